"""The correlation id that ties one web/API/CLI request to the audit rows it writes."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

_correlation_id: ContextVar[str | None] = ContextVar("baomi_correlation_id", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def correlation_id() -> str:
    """The current id; outside a request (tests, shell) each call site gets a fresh one."""
    return _correlation_id.get() or uuid.uuid4().hex


@contextmanager
def correlated(value: str | None = None):
    token = _correlation_id.set(value or uuid.uuid4().hex)
    try:
        yield _correlation_id.get()
    finally:
        _correlation_id.reset(token)


class CorrelationIdMiddleware:
    """Takes X-Request-ID when it looks sane (a proxy may set it), otherwise makes one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        with correlated(given if _VALID_ID.match(given) else None) as value:
            request.correlation_id = value
            response = self.get_response(request)
        response["X-Request-ID"] = value
        return response
