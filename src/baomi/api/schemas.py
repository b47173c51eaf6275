"""Shapes shared by every router of the JSON API v1: ids, bounded texts, errors, pages, periods.

Conventions (design.md "JSON API (v1)"): enum values are the glossary's snake_case codes with a
Chinese `*_display` beside them; a period is `{"kind","years","months","until","condition"}`;
lists are `{"count","page","page_size","results"}`; errors are `{"error": {code,message,detail}}`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from baomi.classification.choices import PeriodKind
from baomi.classification.periods import Period

# The largest id any database we run on can hold: bigger numbers are refused as input (422/404)
# instead of overflowing the SQL driver (a 500).
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Dates a ledger can mean; also keeps date arithmetic (periods, time zones) far from year 1/9999.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]


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
    ]


class InputSchema(Schema):
    """Request bodies refuse unknown keys: a misspelt field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


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


class PageQuery(Schema):
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
