"""The only writers of classified meetings (MTG-1…3). Each takes the acting person first and runs
in one transaction with its audit row; papers move only through the carriers' custody actions
(register, circulate, return), so the meeting keeps no custody of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.rules import consume_registered
from baomi.audit.trail import record
from baomi.carriers import actions as carrier_actions
from baomi.carriers.choices import CarrierKind
from baomi.carriers.models import Carrier
from baomi.carriers.registration import Registration
from baomi.classification.choices import LEVEL_RANK, STATE_SECRET_LEVELS, Level
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.meetings.choices import ATTENDEES_KIND, MEETING_KIND, MeetingState, PaperRole
from baomi.meetings.models import Attendee, Meeting, MeetingPaper
from baomi.meetings.rules import (
    require_approved,
    require_cleared,
    require_clerk,
    require_manager,
    require_open,
)
from baomi.meetings.selectors import not_returned, papers_held_by
from baomi.org.models import Person


def _lock(meeting: Meeting) -> Meeting:
    """Two clerks changing one meeting's list at once serialise here."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("request", "unit")
        .get(pk=meeting.pk)
    )


def snapshot(meeting: Meeting) -> dict:
    """What the audit row keeps of a meeting: no title, no venue (they may be classified)."""
    return {
        "level": meeting.level,
        "state": meeting.state,
        "starts_at": meeting.starts_at.isoformat(),
        "organiser": meeting.organiser_id,
        "attendees": sorted(meeting.attendees.values_list("person_id", flat=True))
        if meeting.pk
        else [],
        "request": meeting.request_id,
    }


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(f"请填写{label}。", {field: [f"请填写{label}"]})
    if len(value) > limit:
        raise Invalid(f"{label}过长。", {field: [f"最多 {limit} 个字"]})
    return value


@action("meeting.create")
def create_meeting(
    actor: Person,
    *,
    title: str,
    level: str,
    venue: str,
    starts_at: datetime,
    organiser: Person,
    ends_at: datetime | None = None,
) -> Meeting:
    """登记涉密会议 with its level (MTG-1); the organiser must be cleared for it (PER-1)."""
    errors: dict[str, list[str]] = {}
    if level not in STATE_SECRET_LEVELS:
        errors["level"] = ["涉密会议的密级须为绝密、机密或秘密"]
    if starts_at is None:
        errors["starts_at"] = ["请填写开始时间"]
    elif ends_at is not None and ends_at < starts_at:
        errors["ends_at"] = ["结束时间不能早于开始时间"]
    if errors:
        raise Invalid("会议信息有误。", errors)
    title = _text(title, "title", "会议名称", 200)
    venue = _text(venue, "venue", "会议地点", 200)
    draft = Meeting(
        unit=actor.unit, level=level, organiser=organiser, title=title, starts_at=starts_at
    )
    require_manager(actor, draft, "登记涉密会议")
    require_cleared(draft, organiser)
    meeting = Meeting.objects.create(
        unit=actor.unit,
        title=title,
        level=level,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        organiser=organiser,
        created_by=actor,
        created_at=timezone.now(),
    )
    record("meeting.create", actor, meeting, after=snapshot(meeting))
    return meeting


@action("meeting.add_attendees")
def add_attendees(
    actor: Person, meeting: Meeting, people: list[Person], *, approval=None
) -> list[Attendee]:
    """MTG-1 / PER-1: every attendee cleared for the level; once the meeting is approved, the list
    grows only with an approved `meeting_attendees` request naming each person (APR-3)."""
    meeting = _lock(meeting)
    require_manager(actor, meeting, "登记参会人员")
    require_open(meeting)
    people = list(dict.fromkeys(people))
    if not people:
        raise Invalid("请选择参会人员。", {"person_ids": ["请至少选择一人"]})
    present = set(meeting.attendees.values_list("person_id", flat=True))
    again = [p.name for p in people if p.pk in present]
    if again:
        raise Invalid("已在参会名单中。", {"person_ids": [f"{n}已在名单中" for n in again]})
    for person in people:
        require_cleared(meeting, person)
    state = meeting.state
    if state == MeetingState.PENDING:
        raise InvalidState(
            "会议正在审批，名单以送审时为准；如需增加人员，请待批准后另行申请。",
            {"state": state, "state_display": meeting.get_state_display()},
        )
    if state == MeetingState.APPROVED:
        if approval is None:
            raise RuleViolation(
                "MTG-1",
                f"{meeting}已经批准，增加参会人员须另行审批（MTG-1：参会人员名单未经批准不得扩大）。",
            )
        approval = consume_registered(approval, ATTENDEES_KIND)
        change = approval.proposed_change or {}
        named = set(change.get("add", []))
        outside = [p.name for p in people if p.pk not in named]
        if change.get("meeting") != meeting.pk or outside:
            raise RuleViolation(
                "APR-3",
                f"审批单 #{approval.pk} 不包含{'、'.join(outside) or '此会议'}"
                "（APR-3：批准只覆盖所列人员）。",
            )
    elif approval is not None:
        raise Invalid("会议尚未批准，无须增加人员审批。", {"request_id": ["会议尚未批准"]})
    before = snapshot(meeting)
    now = timezone.now()
    made = [
        Attendee.objects.create(
            meeting=meeting, person=p, added_by=actor, added_at=now, approval=approval
        )
        for p in people
    ]
    record(
        "meeting.add_attendees",
        actor,
        meeting,
        before=before,
        after=snapshot(meeting),
        request_id=approval.pk if approval is not None else None,
    )
    return made


@action("meeting.remove_attendee")
def remove_attendee(actor: Person, meeting: Meeting, person: Person) -> Meeting:
    """A shorter list needs no approval; someone still holding the meeting's papers stays (MTG-3)."""
    meeting = _lock(meeting)
    require_manager(actor, meeting, "调整参会人员")
    require_open(meeting)
    if meeting.state == MeetingState.PENDING:
        raise InvalidState(
            "会议正在审批，不能修改名单。", {"state": meeting.state, "state_display": "待审批"}
        )
    seat = meeting.attendees.filter(person=person).first()
    if seat is None:
        raise Invalid("此人不在参会名单中。", {"person_id": ["不在参会名单中"]})
    held = [p.carrier.label for p in papers_held_by(meeting, person)]
    if held:
        raise RuleViolation(
            "MTG-3",
            f"{person.name}仍持有会议文件 {'、'.join(held)}，须先收回（MTG-3：会议文件会后清退）。",
        )
    before = snapshot(meeting)
    seat.delete()
    record("meeting.remove_attendee", actor, meeting, before=before, after=snapshot(meeting))
    return meeting


@action("meeting.submit")
def submit_for_approval(
    actor: Person, meeting: Meeting, *, approver: Person, reason: str = ""
) -> Meeting:
    """MTG-1: the meeting and its attendee list go to the approval engine as one request."""
    meeting = _lock(meeting)
    require_manager(actor, meeting, "送审涉密会议")
    require_open(meeting)
    if meeting.state in (MeetingState.PENDING, MeetingState.APPROVED):
        raise InvalidState(
            f"{meeting}已{meeting.get_state_display()}，不能重复送审。",
            {"state": meeting.state, "state_display": meeting.get_state_display()},
        )
    attendees = list(meeting.attendees.values_list("person_id", flat=True))
    if not attendees:
        raise Invalid("请先登记参会人员。", {"attendees": ["参会人员名单为空"]})
    before = snapshot(meeting)
    request = approvals.create_request(
        actor,
        approvals.RequestForm(
            kind=MEETING_KIND,
            carriers=[],
            reason=(reason or "").strip()
            or f"{meeting.get_level_display()}会议，{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}，"
            f"参会 {len(attendees)} 人",
            approver=approver,
            beneficiary=meeting.organiser,
            proposed_change={"meeting": meeting.pk, "attendees": attendees},
        ),
    )
    meeting.request = request
    meeting.save(update_fields=["request"])
    record(
        "meeting.submit",
        actor,
        meeting,
        before=before,
        after=snapshot(meeting),
        request_id=request.pk,
    )
    return meeting


@action("meeting.request_attendees")
def request_attendees(
    actor: Person, meeting: Meeting, people: list[Person], *, approver: Person, reason: str
):
    """MTG-1: after approval the list grows only through a new approval naming each person."""
    meeting = _lock(meeting)
    require_manager(actor, meeting, "申请增加参会人员")
    require_open(meeting)
    if meeting.state != MeetingState.APPROVED:
        raise InvalidState(
            "会议尚未批准：直接调整名单后送审即可。",
            {"state": meeting.state, "state_display": meeting.get_state_display()},
        )
    people = list(dict.fromkeys(people))
    if not people:
        raise Invalid("请选择拟增加的人员。", {"person_ids": ["请至少选择一人"]})
    for person in people:
        require_cleared(meeting, person)
    request = approvals.create_request(
        actor,
        approvals.RequestForm(
            kind=ATTENDEES_KIND,
            carriers=[],
            reason=_text(reason, "reason", "事由", 500),
            approver=approver,
            beneficiary=meeting.organiser,
            proposed_change={"meeting": meeting.pk, "add": [p.pk for p in people]},
        ),
    )
    record(
        "meeting.request_attendees",
        actor,
        meeting,
        after={"add": [p.pk for p in people]},
        request_id=request.pk,
    )
    return request


@action("meeting.checklist")
def record_checklist(
    actor: Person,
    meeting: Meeting,
    *,
    equipment_checked: bool,
    no_wireless_mics: bool,
    phones_collected: bool,
    attendees_briefed: bool,
    not_to_record: str = "",
) -> Meeting:
    """MTG-2: the pre-meeting checks, as recorded by the clerk or the organiser."""
    meeting = _lock(meeting)
    require_manager(actor, meeting, "登记会前检查")
    require_open(meeting)
    not_to_record = (not_to_record or "").strip()
    if len(not_to_record) > 500:
        raise Invalid("内容过长。", {"not_to_record": ["最多 500 个字"]})
    before = _checklist(meeting)
    meeting.equipment_checked = bool(equipment_checked)
    meeting.no_wireless_mics = bool(no_wireless_mics)
    meeting.phones_collected = bool(phones_collected)
    meeting.attendees_briefed = bool(attendees_briefed)
    meeting.not_to_record = not_to_record
    meeting.checked_by, meeting.checked_at = actor, timezone.now()
    meeting.save()
    record("meeting.checklist", actor, meeting, before=before, after=_checklist(meeting))
    return meeting


def _checklist(m: Meeting) -> dict:
    return {
        "equipment_checked": m.equipment_checked,
        "no_wireless_mics": m.no_wireless_mics,
        "phones_collected": m.phones_collected,
        "attendees_briefed": m.attendees_briefed,
        "not_to_record_given": bool(m.not_to_record),
        "checked_by": m.checked_by_id,
    }


def _registration_for(meeting: Meeting, registration: Registration, kind: str) -> Registration:
    """A meeting's carrier: never above the meeting's level (MTG-1), known to its attendees."""
    if registration.level not in Level.values:
        raise Invalid("密级无效。", {"level": ["密级无效"]})
    if LEVEL_RANK[Level(registration.level)] > LEVEL_RANK[Level(meeting.level)]:
        raise RuleViolation(
            "MTG-1",
            f"{Level(registration.level).label}文件不能在{meeting.get_level_display()}会议上使用"
            "（MTG-1：参会人员只按会议密级审核）。",
        )
    attendees = list(Person.objects.filter(meeting_seats__meeting=meeting))
    scope = list(dict.fromkeys([*attendees, *registration.scope_people]))
    return replace(registration, kind=kind, scope_people=scope)


@action("meeting.register_papers")
def register_papers(actor: Person, meeting: Meeting, registration: Registration) -> list[Carrier]:
    """会议文件: registered as carriers of the unit (CR-1), numbered by copy, in the scope of the
    attendees, ready to be handed out one per attendee (MTG-3)."""
    meeting = _lock(meeting)
    require_clerk(actor, meeting, "登记会议文件")
    require_open(meeting)
    made = carrier_actions.register(
        actor, _registration_for(meeting, registration, CarrierKind.MEETING_PAPER)
    )
    MeetingPaper.objects.bulk_create(
        MeetingPaper(meeting=meeting, carrier=c, role=PaperRole.PAPER) for c in made
    )
    record(
        "meeting.register_papers",
        actor,
        meeting,
        after={"carriers": [c.label for c in made], "level": made[0].level},
    )
    return made


@action("meeting.register_minutes")
def register_minutes(actor: Person, meeting: Meeting, registration: Registration) -> list[Carrier]:
    """会议记录/纪要: a carrier of the unit like any other, linked to the meeting."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("request").get(pk=meeting.pk)
    )
    require_clerk(actor, meeting, "登记会议记录")
    if meeting.cancelled_at:
        raise InvalidState("会议已取消。", {"state": meeting.state})
    made = carrier_actions.register(
        actor, _registration_for(meeting, registration, CarrierKind.DOCUMENT)
    )
    MeetingPaper.objects.bulk_create(
        MeetingPaper(meeting=meeting, carrier=c, role=PaperRole.MINUTES) for c in made
    )
    record(
        "meeting.register_minutes",
        actor,
        meeting,
        after={"carriers": [c.label for c in made], "level": made[0].level},
    )
    return made


def _paper(meeting: Meeting, carrier: Carrier, role=PaperRole.PAPER) -> MeetingPaper:
    paper = (
        MeetingPaper.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, carrier=carrier, role=role)
        .first()
    )
    if paper is None:
        raise Invalid(
            f"载体 {carrier.label} 不是本次会议的会议文件。",
            {"carrier_ids": [f"{carrier.label} 不是本次会议的会议文件"]},
        )
    return paper


@action("meeting.hand_out")
def hand_out(
    actor: Person, meeting: Meeting, assignments: list[tuple[Carrier, Person]]
) -> list[MeetingPaper]:
    """MTG-3: papers handed out copy by copy to named attendees, through the carriers' 传阅
    (custody event per copy, back the same day — CR-5/CR-17 limits apply)."""
    meeting = _lock(meeting)
    require_clerk(actor, meeting, "分发会议文件")
    require_open(meeting)
    require_approved(meeting, "分发会议文件")
    if not assignments:
        raise Invalid("没有要分发的文件。", {"assignments": ["请至少分发一份"]})
    attendees = set(meeting.attendees.values_list("person_id", flat=True))
    today, now, done = timezone.localdate(), timezone.now(), []
    for carrier, person in assignments:
        paper = _paper(meeting, carrier)
        if person.pk not in attendees:
            raise RuleViolation(
                "MTG-3",
                f"{person.name}不在参会名单中，不能领取会议文件 {carrier.label}"
                "（MTG-3：会议文件按参会人员逐份登记分发）。",
            )
        carrier_actions.circulate(
            actor, carrier, person, due_date=today, note=f"{meeting}分发（第{carrier.copy_no}份）"
        )
        paper.handed_to, paper.handed_out_at, paper.returned_at = person, now, None
        paper.save(update_fields=["handed_to", "handed_out_at", "returned_at"])
        done.append(paper)
    record(
        "meeting.hand_out",
        actor,
        meeting,
        after={"handed_out": [[p.carrier.label, p.handed_to_id] for p in done]},
    )
    return done


def one_per_attendee(meeting: Meeting) -> list[tuple[Carrier, Person]]:
    """The default distribution: copy 1 to the first attendee on the list, copy 2 to the
    second…, for every paper registration of the meeting not yet handed out."""
    people = [a.person for a in meeting.attendees.select_related("person")]
    pairs: list[tuple[Carrier, Person]] = []
    waiting = (
        meeting.papers.filter(role=PaperRole.PAPER, handed_out_at__isnull=True)
        .select_related("carrier")
        .order_by("carrier__number", "carrier__copy_no")
    )
    by_number: dict[str, list[Carrier]] = {}
    for paper in waiting:
        by_number.setdefault(paper.carrier.number, []).append(paper.carrier)
    for copies in by_number.values():
        pairs.extend(zip(copies, people, strict=False))
    return pairs


@action("meeting.collect")
def collect(actor: Person, meeting: Meeting, carriers: list[Carrier]) -> list[MeetingPaper]:
    """MTG-3: papers come back to the registry through the carriers' 归还."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("request").get(pk=meeting.pk)
    )
    require_clerk(actor, meeting, "收回会议文件")
    if not carriers:
        raise Invalid("没有要收回的文件。", {"carrier_ids": ["请至少选择一份"]})
    now, done = timezone.now(), []
    for carrier in carriers:
        paper = _paper(meeting, carrier)
        carrier_actions.return_to_registry(actor, carrier, note=f"{meeting}会后收回")
        paper.returned_at = now
        paper.save(update_fields=["returned_at"])
        done.append(paper)
    record("meeting.collect", actor, meeting, after={"collected": [p.carrier.label for p in done]})
    return done


@action("meeting.close")
def close_meeting(actor: Person, meeting: Meeting) -> Meeting:
    """The meeting is over: what is not back is on the recall list and chased (MTG-3)."""
    meeting = _lock(meeting)
    require_manager(actor, meeting, "结束会议")
    require_open(meeting)
    require_approved(meeting, "登记会议结束")
    before = snapshot(meeting)
    meeting.closed_at = timezone.now()
    if meeting.ends_at is None:
        meeting.ends_at = meeting.closed_at
    meeting.save(update_fields=["closed_at", "ends_at"])
    missing = [p.carrier.label for p in not_returned(meeting)]
    record(
        "meeting.close",
        actor,
        meeting,
        before=before,
        after={**snapshot(meeting), "not_returned": missing},
    )
    return meeting


@action("meeting.cancel")
def cancel_meeting(actor: Person, meeting: Meeting, *, reason: str) -> Meeting:
    """取消: handed-out papers must be back first; a pending approval can no longer be granted."""
    meeting = _lock(meeting)
    require_manager(actor, meeting, "取消会议")
    require_open(meeting)
    reason = _text(reason, "reason", "取消原因", 500)
    if not_returned(meeting):
        raise RuleViolation("MTG-3", f"{meeting}尚有会议文件未收回，须先收回（MTG-3）。")
    before = snapshot(meeting)
    # A pending approval is left to the engine: its check refuses a cancelled meeting (MTG-1).
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    record(
        "meeting.cancel",
        actor,
        meeting,
        before=before,
        after={**snapshot(meeting), "reason": "〔见会议登记〕"},
    )
    return meeting
