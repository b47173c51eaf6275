"""Checks shared by the meeting actions and pages (MTG-1, MTG-3, PER-1, SEC-3)."""

from __future__ import annotations

from baomi.carriers.policies import is_clerk_of
from baomi.classification.choices import Level
from baomi.lib.errors import Forbidden, InvalidState, RuleViolation
from baomi.meetings.choices import MeetingState
from baomi.meetings.models import Meeting
from baomi.org.models import Person


def require_cleared(meeting: Meeting, person: Person) -> None:
    """MTG-1 / PER-1: an attendee is an active business person cleared for the meeting's level."""
    level = Level(meeting.level).label
    if person.has_system_role:
        raise RuleViolation(
            "MTG-1",
            f"{person.name}是{person.get_system_role_display()}，三员不接触涉密事项，"
            f"不能参加{level}会议（MTG-1、SEC-3）。",
        )
    if not person.active or person.is_automation:
        raise RuleViolation("MTG-1", f"{person.name}已不在涉密岗位，不能参加{level}会议（MTG-1）。")
    if person.unit_id != meeting.unit_id:
        raise RuleViolation(
            "MTG-1", f"{person.name}不是本单位人员，须由其单位确认涉密等级后登记（MTG-1）。"
        )
    if not person.covers(meeting.level):
        raise RuleViolation(
            "MTG-1",
            f"{person.name}的涉密等级为“{person.get_clearance_display()}”，不能参加{level}会议"
            "（MTG-1、PER-1：参会人员须具备与会议密级相应的涉密等级）。",
        )


def require_open(meeting: Meeting) -> None:
    if meeting.cancelled_at or meeting.closed_at:
        raise InvalidState(
            f"{meeting}已{'取消' if meeting.cancelled_at else '结束'}，不能再办理。",
            {"state": meeting.state, "state_display": meeting.get_state_display()},
        )


def may_manage(person: Person, meeting: Meeting) -> bool:
    """The unit's registry clerk, or the organiser — either cleared for the level."""
    if person.has_system_role or not person.active or not person.covers(meeting.level):
        return False
    return is_clerk_of(person, meeting.unit_id) or person.pk == meeting.organiser_id


def require_manager(actor: Person, meeting: Meeting, doing: str) -> None:
    if not may_manage(actor, meeting):
        raise Forbidden(f"只有本单位保密员或会议组织者可以{doing}。")


def require_clerk(actor: Person, meeting: Meeting, doing: str) -> None:
    """Papers are carriers: only the registry moves them (CR-1, CR-4)."""
    if not is_clerk_of(actor, meeting.unit_id) or not actor.covers(meeting.level):
        raise Forbidden(f"只有本单位保密员可以{doing}。")


def require_approved(meeting: Meeting, doing: str) -> None:
    """MTG-1: nothing classified is handed out at a meeting that is not approved."""
    if meeting.state != MeetingState.APPROVED:
        raise RuleViolation(
            "MTG-1",
            f"{meeting}当前为“{meeting.get_state_display()}”，未经批准不能{doing}"
            "（MTG-1：涉密会议须登记密级并经批准）。",
        )
