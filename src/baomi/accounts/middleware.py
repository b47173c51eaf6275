"""Before any page: end idle or locked sessions, then send the user to what they must do first
(enter the second factor, change an expired or one-time password, enrol a second factor).

The API applies the same checks in its authentication (api/auth.py), answering 403 SEC-2."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from baomi.accounts import session

IDLE_MESSAGE = "超过 {minutes} 分钟无操作，已自动退出登录，请重新登录（SEC-2）。"
LOCKED_MESSAGE = "账号已被锁定，已退出登录。请联系系统管理员解锁（SEC-2）。"
# Pages a user who still has a step to take may open (the steps themselves, and the way out).
OPEN_URL_NAMES = (
    "accounts:password",
    "accounts:otp_verify",
    "accounts:otp_setup",
    "logout",
    "login",
)


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in OPEN_URL_NAMES}
        return self._open_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is None
            or not user.is_authenticated
            or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            return self.get_response(request)
        is_api = path.startswith("/api/")
        ended = self._end_session_if_due(request)
        if ended:
            return self.get_response(request) if is_api else self._to_login(request, ended)
        if is_api or path in self.open_paths():
            return self.get_response(request)
        step = session.pending_step(request)
        if step is None:
            return self.get_response(request)
        url_name, why = step
        url = reverse(url_name)
        if request.method == "GET" and not request.htmx:
            url += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            # A fragment the step's own page loads (the bell in the header) is refused quietly:
            # redirecting the page to itself would reload it, load the fragment again, and loop.
            if _path_of(request.htmx.current_url_abs_path) != reverse(url_name):
                response["HX-Redirect"] = url
            return response
        messages.warning(request, why)
        return redirect(url)

    def _end_session_if_due(self, request) -> str:
        if session.idle_expired(request):
            minutes = session.state(request).get("idle", 30)
            request.baomi_logout_reason = f"超过 {minutes} 分钟无操作，自动退出"
            logout(request)
            return IDLE_MESSAGE.format(minutes=minutes)
        if session.locked(request):
            request.baomi_logout_reason = "账号被锁定"
            logout(request)
            return LOCKED_MESSAGE
        return ""

    def _to_login(self, request, why: str):
        messages.info(request, why)
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("login")
            return response
        return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")


def _path_of(url: str | None) -> str:
    return urlsplit(url).path if url else ""
