"""Who is calling: a bearer token (the API's own way), or the signed-in web session (HTMX).

Both resolve to the caller's `Person` (set as `request.auth`); anything else is 401.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from baomi.accounts import session
from baomi.accounts.policy import account_of, change_reason
from baomi.lib.errors import RuleViolation
from baomi.org.models import ApiToken, Person

# How stale `last_used_at` may get: one write per token per minute, not one per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _usable(person: Person | None, *, account_checked: bool = True) -> Person | None:
    """A caller that may act: active, with an enabled login that is not locked (SEC-2: a locked
    or disabled account's token stops working at once)."""
    if person is None or not person.active or person.is_automation:
        return None
    user = person.user
    if user is None or not user.is_active:
        return None
    if account_checked:
        account = account_of(user)
        if account is not None and account.is_locked():
            return None
    return person


def _changing_own_password(request) -> bool:
    return request.path_info.rstrip("/").endswith("/me/password")


def _refuse_until_changed(request, reason: str) -> None:
    """SEC-2: a one-time or expired password is changed before anything else (403 SEC-2)."""
    if reason and not _changing_own_password(request):
        raise RuleViolation("SEC-2", reason + "请先调用 POST /api/v1/me/password 修改口令。")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; only the token's SHA-256 is stored (org.ApiToken)."""

    def authenticate(self, request, token: str) -> Person | None:
        token = token.strip()
        if not token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.select_related("person__user__account", "person__unit")
            .filter(digest=ApiToken.digest_of(token), revoked=False, expires_at__gt=timezone.now())
            .first()
        )
        if found is None:
            return None
        person = _usable(found.person)
        if person is not None:
            _touch(request, found)
            _refuse_until_changed(request, change_reason(account_of(person.user)))
        return person


def _touch(request, token: ApiToken) -> None:
    """Bookkeeping, not business state: a conditional UPDATE so the row is written at most once
    a minute however many calls arrive. The first use is an audit row (SEC-2): the UPDATE that
    fills an empty `last_used_at` wins once, however many first calls race."""
    now = timezone.now()
    if token.last_used_at is None:
        first = ApiToken.objects.filter(pk=token.pk, last_used_at__isnull=True).update(
            last_used_at=now
        )
        if first:
            from baomi.accounts.actions import record_token_first_use
            from baomi.accounts.lockout import client_address

            record_token_first_use(token.person, token, address=client_address(request))
    elif now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


class WebSession(APIKeyCookie):
    """The web pages' own session, so HTMX can call the API; CSRF is checked on writes.

    Skipped when an Authorization header is present: a bad token must be a 401, not fall back
    to a cookie the client may not even know it sends.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request) -> Person | None:
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key: str | None) -> Person | None:
        # The account's lock and pending steps come from the session's snapshot (no query).
        person = _usable(getattr(request.user, "person", None), account_checked=False)
        if person is None or session.locked(request):
            return None
        step = session.pending_step(request)
        if step is not None:
            url_name, why = step
            if url_name != "accounts:password" or not _changing_own_password(request):
                raise RuleViolation("SEC-2", why)
        return person
