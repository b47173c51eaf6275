"""Security headers on every response, and the answer to a database that is not there.

Content-Security-Policy: no inline script anywhere (templates use static files and data
attributes only), no outside origin (SEC-6). The Swagger UI page at /api/v1/docs renders its
layout with inline styles, so only there styles may be inline — scripts still may not. Django's
own middleware adds nosniff, Referrer-Policy and, with BAOMI_TLS, HSTS and Secure cookies.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
CSP_SWAGGER = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCS_PATH = "/api/v1/docs"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = CSP_SWAGGER if request.path.startswith(DOCS_PATH) else CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        # Static files (WhiteNoise answers before XFrameOptionsMiddleware runs) get it too.
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


DB_DOWN = "数据库暂时不可用，本次操作未完成，请稍后重试。"


def server_error(request, *args, **kwargs):
    """handler500: a database that cannot be reached is a 503 with Retry-After — JSON under
    /api/ as every API error, a short page elsewhere; anything else stays Django's 500 (JSON
    under /api/)."""
    from baomi.api.idempotency import error_body, unavailable

    error = sys.exc_info()[1]
    db_down = isinstance(error, OperationalError | InterfaceError)
    if request.path.startswith("/api/"):
        if db_down:
            return unavailable()
        return JsonResponse(
            error_body("server_error", "服务器内部错误，操作未完成。"),
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    if db_down:
        response = HttpResponse(
            f"<!doctype html><meta charset='utf-8'><title>暂时不可用</title><h1>{DB_DOWN}</h1>",
            status=503,
        )
        response["Retry-After"] = "2"
        return response
    return django_server_error(request, *args, **kwargs)
