"""JSON API: `working-days` — the unit's working-day calendar (State Council holidays and make-up
days, with the unit's corrections). design.md names no resource for it. Anyone signed in may ask
whether a day is a working day; only the 系统管理员 or 安全保密管理员 corrects the table."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import READ_ERRORS, WRITE_ERRORS, Day, Id, InputSchema, Ref, ref, text
from baomi.lib.errors import NotFound
from baomi.workdays import actions
from baomi.workdays.calendar import calendar_for, library_covers, published_note
from baomi.workdays.models import WorkdayOverride

router = Router()


class WorkdayOverrideOut(Schema):
    id: int
    day: date
    is_working_day: bool
    note: str
    updated_by: Ref
    updated_at: datetime


class WorkingCalendarOut(Schema):
    year: int
    published_calendar_covers_year: bool = Field(
        description="chinesecalendar 库是否含本年国务院节假日安排；否则仅按周末计，请在调整表中补录"
    )
    overrides: list[WorkdayOverrideOut]


class WorkingDayOut(Schema):
    day: date
    is_working_day: bool
    source: str = Field(description="override（本单位调整）| published（国务院安排/周末）")
    note: str


def override_out(row: WorkdayOverride) -> dict:
    return {
        "id": row.pk,
        "day": row.day,
        "is_working_day": row.is_working_day,
        "note": row.note,
        "updated_by": ref(row.updated_by),
        "updated_at": row.updated_at,
    }


class WorkingCalendarYearQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)


@router.get("", response={200: WorkingCalendarOut, **READ_ERRORS}, summary="工作日历（本单位调整）")
def get_calendar(request, query: Query[WorkingCalendarYearQuery]):
    rows = WorkdayOverride.objects.filter(
        unit_id=request.auth.unit_id, day__year=query.year
    ).select_related("updated_by")
    return {
        "year": query.year,
        "published_calendar_covers_year": library_covers(query.year),
        "overrides": [override_out(r) for r in rows],
    }


@router.get("/{day}", response={200: WorkingDayOut, **READ_ERRORS}, summary="某日是否工作日")
def get_day(request, day: date):
    row = WorkdayOverride.objects.filter(unit_id=request.auth.unit_id, day=day).first()
    if row is not None:
        return {
            "day": day,
            "is_working_day": row.is_working_day,
            "source": "override",
            "note": row.note,
        }
    return {
        "day": day,
        "is_working_day": calendar_for(None).is_working_day(day),
        "source": "published",
        "note": published_note(day),
    }


class WorkdayOverrideIn(InputSchema):
    day: Day
    is_working_day: bool
    note: text(200) = ""


@router.post("", response={200: WorkdayOverrideOut, **WRITE_ERRORS}, summary="调整某日")
def set_override(request, payload: WorkdayOverrideIn):
    row = actions.set_override(
        request.auth, day=payload.day, is_working_day=payload.is_working_day, note=payload.note
    )
    return override_out(row)


@router.delete("/overrides/{override_id}", response={204: None, **WRITE_ERRORS}, summary="撤销调整")
def remove_override(request, override_id: Id):
    row = WorkdayOverride.objects.filter(pk=override_id, unit_id=request.auth.unit_id).first()
    if row is None:
        raise NotFound("调整记录不存在。")
    actions.remove_override(request.auth, row)
    return 204, None
