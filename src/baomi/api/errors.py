"""Every failure of the API as `{"error": {"code", "message", "detail"}}` with a Chinese message.

401 unauthenticated · 403 <rule id> or forbidden · 404 not_found · 409 invalid_state ·
422 invalid with `detail: {field: [messages]}` · 503 unavailable (database down, Retry-After). Bad input never reaches the database, so it is never
a 500.
"""

from __future__ import annotations

import re

import pydantic
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from baomi.lib.errors import BaomiError, Forbidden, Invalid, InvalidState, NotFound, RuleViolation

UNAUTHENTICATED = "未登录或访问令牌无效：请在 Authorization 头中提供有效的 Bearer 令牌。"
NOT_FOUND = "对象不存在，或您无权查看。"
INVALID = "输入有误，请按提示修改。"
MALFORMED_BODY = "请求体不是有效的 JSON。"

STATUS_OF = {
    RuleViolation: 403,
    Forbidden: 403,
    NotFound: 404,
    InvalidState: 409,
    Invalid: 422,
}


def error_response(
    api: NinjaAPI, request, status: int, code: str, message: str, detail: dict | None = None
):
    body = {"error": {"code": code, "message": message, "detail": detail or {}}}
    return api.create_response(request, body, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers on the one NinjaAPI instance."""

    @api.exception_handler(BaomiError)
    def baomi_error(request, exc: BaomiError):
        status = next((s for cls, s in STATUS_OF.items() if isinstance(exc, cls)), 422)
        message = exc.message
        if isinstance(exc, NotFound):
            message = exc.message or NOT_FOUND
        return error_response(api, request, status, exc.code, message, exc.detail)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request, exc):
        # The database is down or the connection was lost: nothing was done (the write's
        # transaction rolls back, baomi.api.idempotency); say so, and when to retry.
        from baomi.api.idempotency import RETRY_AFTER_SECONDS, UNAVAILABLE

        response = error_response(api, request, 503, "unavailable", UNAVAILABLE)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(api, request, 401, "unauthenticated", UNAUTHENTICATED)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return error_response(
                api, request, 422, "invalid", MALFORMED_BODY, {"body": [MALFORMED_BODY]}
            )
        if exc.status_code == 403:
            return error_response(
                api, request, 403, "forbidden", "请求被拒绝（CSRF 校验失败，请刷新页面后重试）。"
            )
        return error_response(api, request, exc.status_code, "error", "请求无法处理。")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, "not_found", NOT_FOUND)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc: NinjaValidationError):
        # A malformed id in the URL names no object: 404, as an unknown id does.
        if any(err.get("loc", ("",))[0] == "path" for err in exc.errors):
            return error_response(api, request, 404, "not_found", NOT_FOUND)
        return error_response(api, request, 422, "invalid", INVALID, field_errors(exc.errors))

    @api.exception_handler(pydantic.ValidationError)
    def invalid_value(request, exc: pydantic.ValidationError):
        errors = [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]
        return error_response(api, request, 422, "invalid", INVALID, field_errors(errors))

    @api.exception_handler(DjangoValidationError)
    def invalid_model(request, exc: DjangoValidationError):
        detail = (
            {k: list(v) for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": list(exc.messages)}
        )
        return error_response(api, request, 422, "invalid", INVALID, detail)


def field_errors(errors: list[dict]) -> dict[str, list[str]]:
    """pydantic/ninja errors → `{field: [中文 messages]}`; nested fields are dotted (period.kind)."""
    detail: dict[str, list[str]] = {}
    for err in errors:
        field = _field_name(tuple(err.get("loc", ())))
        message = translate(err, whole_body=field == "body")
        detail.setdefault(field, [])
        if message not in detail[field]:
            detail[field].append(message)
    return detail


def _field_name(loc: tuple) -> str:
    # ninja prefixes the source ("body", "query") and, for a body schema, the parameter name.
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]
        if not parts:
            return "body"
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    # pydantic names the validator of a constrained/union type in the location; drop it.
    parts = [
        p for p in parts if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))
    ]
    return ".".join(str(p) for p in parts) or "body"


_QUOTED = re.compile(r"'([^']*)'")


def translate(err: dict, *, whole_body: bool = False) -> str:
    """One pydantic error in Chinese; `ctx` fills in limits and allowed values."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if whole_body and kind == "missing":
        return "请求体不能为空，须为 JSON 对象"
    if kind in ("model_type", "model_attributes_type", "dict_type") and whole_body:
        return "请求体须为 JSON 对象"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", "")) or err.get("msg", "")
        return re.sub(r"^(Value error|Assertion failed), ", "", message) or "格式不正确"
    if kind in ("enum", "literal_error"):
        allowed = _QUOTED.findall(str(ctx.get("expected", "")))
        return f"可选值：{'、'.join(allowed)}" if allowed else "不是可选值"
    template = MESSAGES.get(kind)
    if template is None:
        return "格式不正确"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return "格式不正确"


MESSAGES = {
    "missing": "此字段为必填项",
    "extra_forbidden": "不允许的字段",
    "string_type": "必须是字符串",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "int_parsing_size": "数值过大",
    "float_type": "必须是数字",
    "float_parsing": "必须是数字",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "bool_type": "必须是布尔值（true 或 false）",
    "bool_parsing": "必须是布尔值（true 或 false）",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "datetime_type": "时间格式应为 ISO 8601（YYYY-MM-DDTHH:MM:SS）",
    "datetime_parsing": "时间格式应为 ISO 8601（YYYY-MM-DDTHH:MM:SS）",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601（YYYY-MM-DDTHH:MM:SS）",
    "list_type": "必须是列表",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "model_type": "必须是 JSON 对象",
    "model_attributes_type": "必须是 JSON 对象",
    "dict_type": "必须是 JSON 对象",
    "json_invalid": "不是有效的 JSON",
    "none_required": "必须为空",
    "is_instance_of": "类型不正确",
}
