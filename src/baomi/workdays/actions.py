"""The only writers of the unit's working-day corrections: the 系统管理员 or the 安全保密管理员
keeps the calendar right (a make-up day announced late, a year the library has no data for)."""

from __future__ import annotations

from datetime import date

from baomi.audit.trail import record
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid
from baomi.org.choices import SystemRole
from baomi.org.models import Person
from baomi.workdays.calendar import published_working_day
from baomi.workdays.models import WorkdayOverride

EDITORS = (SystemRole.SYSADMIN, SystemRole.SECADMIN)


def may_edit(person: Person | None) -> bool:
    return bool(person and person.active and person.system_role in EDITORS)


def _require_editor(actor: Person) -> None:
    if not may_edit(actor):
        raise Forbidden("只有系统管理员或安全保密管理员可以调整工作日历。")


def _snapshot(row: WorkdayOverride) -> dict:
    return {"day": row.day.isoformat(), "is_working_day": row.is_working_day, "note": row.note}


@action("workday.set")
def set_override(
    actor: Person, *, day: date, is_working_day: bool, note: str = ""
) -> WorkdayOverride:
    """Record how the unit counts `day`; a correction that repeats the published calendar is
    refused (it would hide a later change of the library behind a stale row)."""
    _require_editor(actor)
    note = (note or "").strip()
    if len(note) > 200:
        raise Invalid("说明最多 200 字。", {"note": ["最多 200 字"]})
    row = WorkdayOverride.objects.select_for_update().filter(unit=actor.unit, day=day).first()
    if row is None and published_working_day(day) == is_working_day:
        kind = "工作日" if is_working_day else "休息日"
        raise Invalid(
            f"{day} 按国务院公布的安排已是{kind}，无需调整。",
            {"is_working_day": [f"该日已是{kind}"]},
        )
    before = _snapshot(row) if row else None
    if row is None:
        row = WorkdayOverride(unit=actor.unit, day=day)
    row.is_working_day, row.note = is_working_day, note
    row.updated_by, row.updated_at = actor, clock.now()
    row.save()
    record("workday.set", actor, row, before=before, after=_snapshot(row))
    return row


@action("workday.remove")
def remove_override(actor: Person, row: WorkdayOverride) -> None:
    """Back to the published calendar for that day."""
    _require_editor(actor)
    if row.unit_id != actor.unit_id:
        raise Forbidden("只能调整本单位的工作日历。")
    before = _snapshot(row)
    record("workday.remove", actor, row, before=before, after=None)
    row.delete()
