/* Small behaviours of Baomi's forms, in a static file so that a Content-Security-Policy without
   'unsafe-inline' holds. Every page works without them; they only save keystrokes. */
(function () {
  "use strict";

  // A scanner form (number + Enter) answered by htmx: clear and refocus for the next scan.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-scan-form]") : null;
    if (!form) return;
    form.reset();
    var input = form.querySelector("input:not([type=hidden])");
    if (input) input.focus();
  });

  // A "select all" box: <input type="checkbox" data-check-all="carriers"> ticks every box named
  // `carriers` in the same form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-check-all]")) return;
    var scope = box.form || document;
    var name = box.getAttribute("data-check-all");
    scope.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (other) {
      if (!other.disabled) other.checked = box.checked;
    });
  });

  // The request form shows only the fields of the chosen kind (progressive: without JavaScript
  // every field shows, each labelled with the kinds it belongs to).
  function showKindFields(select) {
    var kind = select.value;
    var form = select.form;
    if (!form) return;
    form.querySelectorAll("[data-kinds]").forEach(function (group) {
      var kinds = group.getAttribute("data-kinds").split(" ");
      group.hidden = kind !== "" && kinds.indexOf(kind) === -1;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-kind-select]")) {
      showKindFields(event.target);
    }
  });
  function init() {
    document.querySelectorAll("select[data-kind-select]").forEach(showKindFields);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSettle", init);
})();
