"""The two request kinds meetings register with the approval engine (MTG-1, APR-2, APR-3):

    meeting            {"meeting": id, "level": str, "attendees": [person ids]}
    meeting_attendees  {"meeting": id, "level": str, "add": [person ids]}

The approval covers exactly the people it names; the engine asks `check_approvable` before each
step, so an approver never approves a list with someone no longer cleared for the level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from baomi.approvals import kinds
from baomi.lib.errors import Invalid, RuleViolation
from baomi.meetings.choices import ATTENDEES_KIND, MEETING_KIND

FIELD = "proposed_change"


def _invalid(message: str) -> Invalid:
    return Invalid(f"审批内容有误：{message}", {FIELD: [message]})


def _ids(value) -> list[int]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in value
    ):
        raise _invalid("人员须为人员编号（整数）的列表")
    return sorted(set(value))


def _meeting(data: Any, unit_id: int):
    from baomi.meetings.models import Meeting

    if not isinstance(data, Mapping) or not isinstance(data.get("meeting"), int):
        raise _invalid("须写明会议")
    meeting = Meeting.objects.filter(pk=data["meeting"], unit_id=unit_id).first()
    if meeting is None:
        raise _invalid(f"会议 #{data['meeting']} 不存在")
    return meeting


def _normalize_meeting(data: Any, unit_id: int) -> dict:
    meeting = _meeting(data, unit_id)
    return {"meeting": meeting.pk, "level": meeting.level, "attendees": _ids(data.get("attendees"))}


def _normalize_attendees(data: Any, unit_id: int) -> dict:
    meeting = _meeting(data, unit_id)
    add = _ids(data.get("add"))
    if not add:
        raise _invalid("须写明拟增加的参会人员")
    return {"meeting": meeting.pk, "level": meeting.level, "add": add}


def _names(ids) -> str:
    from baomi.org.models import Person

    found = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    return "、".join(found.get(i, f"#{i}") for i in ids) or "（无）"


def _describe_meeting(change: dict) -> str:
    return f"涉密会议 #{change.get('meeting')}，参会人员：{_names(change.get('attendees', []))}"


def _describe_attendees(change: dict) -> str:
    return f"涉密会议 #{change.get('meeting')} 拟增加参会人员：{_names(change.get('add', []))}"


def _check(approver, request) -> None:
    """MTG-1: still open, and everyone named still cleared for the level."""
    from baomi.meetings.models import Meeting
    from baomi.meetings.rules import require_cleared, require_open
    from baomi.org.models import Person

    change = request.proposed_change or {}
    meeting = Meeting.objects.filter(pk=change.get("meeting")).first()
    if meeting is None:
        raise RuleViolation("MTG-1", "审批单所指的涉密会议不存在（MTG-1）。")
    require_open(meeting)
    named = change.get("attendees") if request.kind == MEETING_KIND else change.get("add")
    if request.kind == MEETING_KIND:
        current = sorted(meeting.attendees.values_list("person_id", flat=True))
        if current != sorted(named or []):
            raise RuleViolation(
                "MTG-1", "参会人员名单在送审后有变化，须重新送审（MTG-1：名单未经批准不得扩大）。"
            )
    for person in Person.objects.filter(pk__in=named or []):
        require_cleared(meeting, person)


def _url(change: dict) -> str:
    from django.urls import reverse

    meeting = change.get("meeting")
    return reverse("meetings:detail", args=[meeting]) if isinstance(meeting, int) else ""


def register_kinds() -> None:
    kinds.register(
        kinds.KindSpec(
            code=MEETING_KIND,
            label="涉密会议",
            rule_id="MTG-1",
            need="涉密会议及其参会人员名单须经批准",
            normalize=_normalize_meeting,
            level_of=lambda change: change["level"],
            describe=_describe_meeting,
            check_approvable=_check,
            url_of=_url,
        )
    )
    kinds.register(
        kinds.KindSpec(
            code=ATTENDEES_KIND,
            label="涉密会议增加参会人员",
            rule_id="MTG-1",
            need="会议批准后增加参会人员须另行批准",
            normalize=_normalize_attendees,
            level_of=lambda change: change["level"],
            describe=_describe_attendees,
            check_approvable=_check,
            url_of=_url,
        )
    )
