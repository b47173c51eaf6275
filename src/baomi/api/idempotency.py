"""Every API write runs in one transaction with its answer, and may carry an `Idempotency-Key`.

Why: under injected faults, writes that had committed were answered with a 500, because the
answer was built by re-reading the database after the commit; the client could not tell, and its
retry was refused (CR-4, 409) and audited as a refusal. Here the answer is built *inside* the
write's transaction — an error while building it rolls the write back, and a 5xx never commits —
and with an `Idempotency-Key` the answer is stored in that same transaction, so a retry after a
lost answer gets the first answer back, with no second change and no second audit row.

Contract (also in the OpenAPI description and as a header parameter of every write):
- `Idempotency-Key: <1–255 visible ASCII characters>` on POST/PUT/PATCH/DELETE under /api/.
- Keys are per caller (the person behind the token or session) and remembered for 24 hours.
- The same key with the same method, path and body → the first answer again (status and body),
  marked `Idempotent-Replayed: true`. With another method, path or body → 422 `invalid`.
- Answers with status ≥ 500 are neither committed nor remembered: retry them with the same key.
- Database unavailable (connection lost or refused) → 503 `unavailable` with Retry-After.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

HEADER = "Idempotency-Key"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
RETRY_AFTER_SECONDS = 2

UNAVAILABLE = "数据库暂时不可用，本次操作未完成，请稍后重试（可携带同一 Idempotency-Key 重试）。"
KEY_REUSED = "此 Idempotency-Key 已用于另一请求（方法、路径或请求体不同）：每个新操作请使用新键。"
KEY_INVALID = "Idempotency-Key 须为 1 至 255 个可见 ASCII 字符。"

OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "幂等键（可选）：同一调用者 24 小时内以同一键重发同一请求，返回第一次的结果，不会重复执行；"
        "同一键用于不同请求返回 422。"
    ),
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": r"^[\x21-\x7e]{1,255}$",
    },
}


def error_body(code: str, message: str, detail: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "detail": detail or {}}}


def unavailable() -> JsonResponse:
    response = JsonResponse(
        error_body("unavailable", UNAVAILABLE),
        status=503,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _invalid(message: str) -> JsonResponse:
    return JsonResponse(
        error_body("invalid", message, {HEADER: [message]}),
        status=422,
        json_dumps_params={"ensure_ascii": False},
    )


class ApiWriteMiddleware:
    """Wraps each API write in a transaction together with its answer (and its idempotency row)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/api/"

    def __call__(self, request):
        if request.method not in WRITE_METHODS or not request.path.startswith(self.prefix):
            return self.get_response(request)
        key = request.headers.get(HEADER)
        if key is not None and not _VALID_KEY.match(key):
            return _invalid(KEY_INVALID)
        try:
            return self._write(request, key)
        except IntegrityError:
            if key is None:
                raise
            # A concurrent request with the same key committed first; ours was rolled back.
            return self._replay_after_race(request, key)
        except (OperationalError, InterfaceError):
            return unavailable()

    def _write(self, request, key: str | None):
        with transaction.atomic():
            caller = _caller(request) if key is not None else None
            if caller is not None:
                _body_sha256(request)  # before the view consumes an upload
                stored = _stored(caller, key)
                if stored is not None:
                    return _answer_from(stored, request)
            response = self.get_response(request)
            if response.status_code >= 500:
                # Whatever was written is undone: a client told "failed" must find nothing done.
                transaction.set_rollback(True)
                return response
            if caller is not None and not getattr(response, "streaming", False):
                _remember(caller, key, request, response)
        return response

    def _replay_after_race(self, request, key: str):
        with transaction.atomic():
            caller = _caller(request)
            stored = _stored(caller, key) if caller is not None else None
        if stored is None:
            return unavailable()
        return _answer_from(stored, request)


def _caller(request):
    """The person the API would authenticate (token, else session), or None."""
    from baomi.api.auth import BearerToken, WebSession

    for auth in (BearerToken(), WebSession()):
        try:
            person = auth(request)
        except DatabaseError:
            raise
        except Exception:  # a bad token or CSRF failure: the view answers it (401/403)
            person = None
        if person is not None:
            return person
    return None


def _body_sha256(request) -> str:
    """What the client sent, as one digest. Memoised on the request: a multipart upload is
    hashed from its parsed fields and files before the view reads them (its raw stream can be
    read only once, and `request.body` would refuse an upload above Django's memory limit)."""
    cached = getattr(request, "_baomi_body_sha256", None)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    request._baomi_body_sha256 = digest.hexdigest()
    return request._baomi_body_sha256


def _expiry():
    return timezone.now() - timedelta(hours=settings.BAOMI_IDEMPOTENCY_HOURS)


def _stored(caller, key: str):
    from baomi.api.models import IdempotentRequest

    found = IdempotentRequest.objects.filter(caller=caller, key=key).first()
    if found is not None and found.created_at < _expiry():
        found.delete()  # expired: the key may be used afresh
        return None
    return found


def _answer_from(stored, request) -> HttpResponse:
    if (stored.method, stored.path, stored.body_sha256) != (
        request.method,
        request.get_full_path(),
        _body_sha256(request),
    ):
        return _invalid(KEY_REUSED)
    response = HttpResponse(bytes(stored.response), status=stored.status)
    response["Content-Type"] = stored.content_type
    response["Idempotent-Replayed"] = "true"
    return response


def _remember(caller, key: str, request, response) -> None:
    from baomi.api.models import IdempotentRequest

    IdempotentRequest.objects.filter(created_at__lt=_expiry()).delete()
    IdempotentRequest.objects.create(
        caller=caller,
        key=key,
        method=request.method,
        path=request.get_full_path()[:1000],
        body_sha256=_body_sha256(request),
        status=response.status_code,
        content_type=response.get("Content-Type", "application/json")[:100],
        response=response.content,
    )
