"""Shapes shared by every router of the JSON API v1: ids, bounded texts, errors, pages, periods.

Conventions (design.md "JSON API (v1)"): enum values are the glossary's snake_case codes with a
Chinese `*_display` beside them; a period is `{"kind","years","months","until","condition"}`;
lists are `{"count","page","page_size","results"}`; errors are `{"error": {code,message,detail}}`.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from baomi.classification.choices import PeriodKind
from baomi.classification.periods import Period

# The largest id any database we run on can hold: bigger numbers are refused as input (422/404)
# instead of overflowing the SQL driver (a 500).
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Dates are ISO strings and nothing else (design.md): pydantic would otherwise read 0 or "0" as
# 1970-01-01 (a Unix time) and "2026-01-01T00:00:00" as a date.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
)
DATE_MESSAGE = "日期格式应为 YYYY-MM-DD"
DATETIME_MESSAGE = "时间格式应为 ISO 8601（YYYY-MM-DDTHH:MM:SS）"


def iso_date(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # already a date (Python callers, defaults)
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(DATE_MESSAGE)
    return value


def iso_datetime(value):
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATETIME.fullmatch(value):
        raise ValueError(DATETIME_MESSAGE)
    return value


def _temporal_kind(annotation) -> str | None:
    """ "date" or "datetime" when a field's type is (an optional) date or datetime."""
    if annotation is datetime:
        return "datetime"
    if annotation is date:
        return "date"
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, Annotated):
        for arg in typing.get_args(annotation):
            kind = _temporal_kind(arg)
            if kind:
                return kind
    return None


class IsoDates:
    """Mixed into every input shape (bodies, queries): each date or datetime field takes an ISO
    string only, whatever type annotation spells it (date, Day, date | None, datetime)."""

    @field_validator("*", mode="before")
    @classmethod
    def _iso_only(cls, value, info: ValidationInfo):
        if value is None or info.field_name is None:
            return value
        kind = _temporal_kind(cls.model_fields[info.field_name].annotation)
        if kind == "date":
            return iso_date(value)
        if kind == "datetime":
            return iso_datetime(value)
        return value


# Dates a ledger can mean; also keeps date arithmetic (periods, time zones) far from year 1/9999.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY_PATTERN = r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"


def _within_ledger_years(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError("日期须在 1900-01-01 至 2999-12-31 之间")
    return value


Day = Annotated[
    date,
    BeforeValidator(iso_date),
    AfterValidator(_within_ledger_years),
    # Published: the years a client may send (the format alone would allow 0001…9999).
    Field(json_schema_extra={"pattern": DAY_PATTERN}),
]


NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$"


def _no_control_characters(value: str) -> str:
    # PostgreSQL refuses NUL in text; other control characters have no place in a ledger.
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
        raise ValueError("不能包含控制字符")
    return value


def text(max_length: int, *, min_length: int = 0):
    """A string bounded like the model field it ends up in (oversized input is a 422)."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(_no_control_characters),
        # Published, so a client (or a generated one) knows what the validator refuses.
        Field(json_schema_extra={"pattern": NO_CONTROL_CHARACTERS}),
    ]


class InputSchema(IsoDates, Schema):
    """Request bodies refuse unknown keys: a misspelt field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class EmptyIn(InputSchema):
    """No fields: the body may be left out or be `{}`; anything else is a 422."""


class ReasonIn(InputSchema):
    reason: text(500, min_length=1)


class ErrorBody(Schema):
    code: str = Field(description="规则编号（如 CR-7）或错误代码")
    message: str = Field(description="中文说明")
    detail: dict[str, Any]


class ErrorOut(Schema):
    error: ErrorBody


READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 409: ErrorOut}


class Ref(Schema):
    """A referenced person, place or department: its id and its name."""

    id: int
    name: str


def ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def display(choices, value: str | None) -> str:
    """The Chinese label of a choice code ('' for an empty or unknown code)."""
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


class PageQuery(IsoDates, Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 开始")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}"
    )


def paginate(items: QuerySet | list, query: PageQuery, serialize: Callable[[Any], dict]) -> dict:
    """One page of a list; a page past the end is empty (the count says how many there are)."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (query.page - 1) * query.page_size
    rows: Iterable = items[start : start + query.page_size]
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "results": [serialize(row) for row in rows],
    }


class PeriodOut(Schema):
    kind: str
    years: int | None
    months: int | None
    until: date | None
    condition: str | None


class PeriodIn(InputSchema):
    """保密期限 (CL-2): only the field matching `kind` is given."""

    kind: PeriodKind
    years: int | None = None
    months: int | None = None
    until: Day | None = None
    condition: text(50) | None = None

    @model_validator(mode="after")
    def _is_a_period(self) -> PeriodIn:
        self.to_period()  # ValueError (Chinese) → 422 on the field "period"
        return self

    def to_period(self) -> Period:
        return Period.from_dict(self.model_dump())
