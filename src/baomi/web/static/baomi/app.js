/*
 * Behaviour the pages once wrote inline (onchange="…"), here instead, so that the
 * Content-Security-Policy allows no inline script at all (baomi.web.security).
 *
 * data-autosubmit on a form control: changing it submits its form (e.g. a status filter).
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control instanceof Element && control.hasAttribute("data-autosubmit") && control.form) {
      control.form.requestSubmit ? control.form.requestSubmit() : control.form.submit();
    }
  });
})();
