"""Who is calling: a bearer token (the API's own way), or the signed-in web session (HTMX).

Both resolve to the caller's `Person` (set as `request.auth`); anything else is 401.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from baomi.org.models import ApiToken, Person

# How stale `last_used_at` may get: one write per token per minute, not one per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _usable(person: Person | None) -> Person | None:
    if person is None or not person.active or person.is_automation:
        return None
    user = person.user
    if user is None or not user.is_active:
        return None
    return person


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; only the token's SHA-256 is stored (org.ApiToken)."""

    def authenticate(self, request, token: str) -> Person | None:
        token = token.strip()
        if not token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.select_related("person__user", "person__unit")
            .filter(digest=ApiToken.digest_of(token), revoked=False)
            .first()
        )
        if found is None:
            return None
        person = _usable(found.person)
        if person is not None:
            _touch(found)
        return person


def _touch(token: ApiToken) -> None:
    """Bookkeeping, not business state: a conditional UPDATE so the row is written at most once
    a minute however many calls arrive (and never locks or audits anything)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
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
        return _usable(getattr(request.user, "person", None))
