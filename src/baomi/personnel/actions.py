"""Writers for 涉密人员 (PER-1…PER-7, CR-13): levels through their approval path, vetting,
commitments, training, departure and the 脱密期, moves during it, travel abroad.

Every function takes the acting person first, runs in one transaction (`@action`) and writes its
audit row; a refusal raises RuleViolation with the rule id and is audited on its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.audit.trail import record
from baomi.classification.choices import Clearance, Level
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.models import Person
from baomi.personnel.choices import (
    CommitmentKind,
    DecisionStatus,
    DepartureKind,
    DepartureStatus,
    MoveKind,
    MoveStatus,
    TravelStatus,
    VettingResult,
)
from baomi.personnel.models import (
    ClearanceDecision,
    Commitment,
    Departure,
    Move,
    PersonnelNote,
    TrainingRecord,
    TravelAbroad,
    Vetting,
)
from baomi.personnel.rules import (
    held_above,
    is_office,
    labels,
    require_eligible,
    require_matches_post,
    require_no_carriers_abroad,
    require_nothing_held,
    require_office,
)


def _today() -> date:
    return timezone.localdate()


def _lock(person: Person) -> Person:
    return (
        Person.objects.select_for_update(of=("self",))
        .select_related("department", "unit")
        .get(pk=person.pk)
    )


def _text(value: str, field: str, label: str, max_length: int = 500) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(f"请填写{label}。", {field: [f"请填写{label}"]})
    if len(value) > max_length:
        raise Invalid(f"{label}过长。", {field: [f"长度不能超过 {max_length} 个字符"]})
    return value


def _not_future(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise Invalid(f"请填写{label}。", {field: [f"请填写{label}"]})
    if day > _today():
        raise Invalid(f"{label}不能晚于今天。", {field: ["日期不能晚于今天"]})
    return day


def _business(actor: Person, person: Person) -> None:
    """SEC-3: the three system roles neither act on nor are 涉密人员; one unit only."""
    if actor.has_system_role and not actor.is_automation:
        raise RuleViolation("SEC-3", "三员不参与涉密人员管理（SEC-3：三员分立）。")
    if person.has_system_role:
        raise RuleViolation("SEC-3", f"{person.name}是三员账号，不能作为涉密人员（SEC-3）。")
    if actor.unit_id != person.unit_id:
        raise Forbidden("不能办理其他单位人员的事项。")


# --- PER-2: the level's path -------------------------------------------------------------------


@action("clearance.propose")
def propose_clearance(
    actor: Person, person: Person, *, clearance: str, highest_level: str, reason: str
) -> ClearanceDecision:
    """PER-2 step 1: the department proposes a level with the highest level the post touches."""
    _business(actor, person)
    person = _lock(person)
    errors = {}
    if clearance not in Clearance.values:
        errors["clearance"] = ["涉密等级无效"]
    if highest_level not in Level.values:
        errors["highest_level"] = ["密级无效"]
    if errors:
        raise Invalid("涉密等级信息有误。", errors)
    reason = _text(reason, "reason", "理由")
    same_department = person.department_id and actor.department_id == person.department_id
    # The 保密办 files the proposal on the department's behalf where the department has no one
    # who may open the person's record; the person never proposes their own level.
    on_behalf = is_office(actor, person.unit_id)
    if not (actor.is_automation or same_department or on_behalf) or actor.pk == person.pk:
        raise RuleViolation(
            "PER-2",
            f"涉密等级须由{person.name}所在部门（或保密办代为）提出，本人不能为自己提出（PER-2）。",
        )
    if not person.active:
        raise InvalidState(f"{person.name}已离岗，不能确定涉密等级。", {"active": False})
    require_matches_post(clearance, highest_level)
    if clearance == person.clearance:
        raise Invalid("拟定等级与现等级相同。", {"clearance": ["与现等级相同"]})
    if clearance != Clearance.NONE:
        require_eligible(person)
    if person.clearance_decisions.filter(
        status__in=(DecisionStatus.PROPOSED, DecisionStatus.CHECKED)
    ).exists():
        raise InvalidState(f"{person.name}已有待审批的涉密等级申请。", {"status": "pending"})
    decision = ClearanceDecision.objects.create(
        unit=person.unit,
        person=person,
        previous=person.clearance,
        clearance=clearance,
        highest_level=highest_level,
        reason=reason,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    record("clearance.propose", actor, decision, after=_decision_snapshot(decision))
    return decision


@action("clearance.check")
def check_clearance(
    actor: Person, decision: ClearanceDecision, *, comment: str = ""
) -> ClearanceDecision:
    """PER-2 step 2: the department head checks the proposal."""
    decision = _lock_decision(decision)
    person = decision.person
    _business(actor, person)
    if decision.status != DecisionStatus.PROPOSED:
        raise InvalidState(
            f"该申请当前为“{decision.get_status_display()}”，不能审核。",
            {"status": decision.status},
        )
    department = person.department
    if department is None or department.head_id != actor.pk:
        raise RuleViolation(
            "PER-2", f"涉密等级须由{person.name}所在部门的负责人审核，{actor.name}不是（PER-2）。"
        )
    if actor.pk in (person.pk, decision.proposed_by_id):
        raise RuleViolation("PER-2", "提出人或本人不能审核该涉密等级申请（PER-2）。")
    before = _decision_snapshot(decision)
    decision.status, decision.checked_by, decision.checked_at = (
        DecisionStatus.CHECKED,
        actor,
        timezone.now(),
    )
    decision.comment = (comment or "").strip()[:500]
    decision.save()
    record("clearance.check", actor, decision, before=before, after=_decision_snapshot(decision))
    return decision


@action("clearance.approve")
def approve_clearance(
    actor: Person, decision: ClearanceDecision, *, comment: str = ""
) -> ClearanceDecision:
    """PER-2 step 3: the unit head approves; the person's level (what PER-1 checks) changes."""
    decision = _lock_decision(decision)
    person = _lock(decision.person)
    _business(actor, person)
    if decision.status != DecisionStatus.CHECKED:
        if decision.status == DecisionStatus.PROPOSED:
            raise RuleViolation(
                "PER-2", "涉密等级申请须先经部门负责人审核，才能由单位负责人批准（PER-2）。"
            )
        raise InvalidState(
            f"该申请当前为“{decision.get_status_display()}”，不能批准。",
            {"status": decision.status},
        )
    if not (actor.is_unit_head and actor.active) or actor.pk == person.pk:
        raise RuleViolation("PER-2", f"涉密等级须由单位负责人批准，{actor.name}无此权限（PER-2）。")
    if actor.pk in (decision.proposed_by_id, decision.checked_by_id):
        raise RuleViolation(
            "APR-1", "提出或审核该涉密等级申请的人不能再批准它（APR-1：三步须由不同的人办理）。"
        )
    if decision.clearance != Clearance.NONE:
        require_eligible(person)
    above = held_above(person, decision.clearance)
    if above:
        raise RuleViolation(
            "PER-1",
            f"{person.name}仍持有新等级不能接触的载体：{'、'.join(labels(above))}，"
            "须先交回（PER-1）。",
            {"carriers": labels(above)},
        )
    before = _decision_snapshot(decision)
    decision.status, decision.decided_by, decision.decided_at = (
        DecisionStatus.APPROVED,
        actor,
        timezone.now(),
    )
    decision.effective_on = _today()
    decision.comment = (comment or decision.comment).strip()[:500]
    decision.save()
    person.clearance = decision.clearance
    person.save(update_fields=["clearance"])
    record("clearance.approve", actor, decision, before=before, after=_decision_snapshot(decision))
    return decision


@action("clearance.reject")
def reject_clearance(
    actor: Person, decision: ClearanceDecision, *, reason: str
) -> ClearanceDecision:
    """The head (at check) or the unit head (at approval) turns the proposal down."""
    reason = _text(reason, "reason", "不同意的理由")
    decision = _lock_decision(decision)
    person = decision.person
    _business(actor, person)
    head_may = (
        decision.status == DecisionStatus.PROPOSED
        and person.department_id
        and person.department.head_id == actor.pk
    )
    leader_may = decision.status == DecisionStatus.CHECKED and actor.is_unit_head
    if decision.status not in (DecisionStatus.PROPOSED, DecisionStatus.CHECKED):
        raise InvalidState("该申请已办结。", {"status": decision.status})
    if not (head_may or leader_may) or actor.pk == person.pk:
        raise RuleViolation("PER-2", "该涉密等级申请当前不在您的审批环节（PER-2）。")
    before = _decision_snapshot(decision)
    decision.status, decision.decided_by, decision.decided_at = (
        DecisionStatus.REJECTED,
        actor,
        timezone.now(),
    )
    decision.comment = reason
    decision.save()
    record("clearance.reject", actor, decision, before=before, after=_decision_snapshot(decision))
    return decision


def _lock_decision(decision: ClearanceDecision) -> ClearanceDecision:
    return (
        ClearanceDecision.objects.select_for_update(of=("self",))
        .select_related("person__department", "person__unit")
        .get(pk=decision.pk)
    )


def _decision_snapshot(d: ClearanceDecision) -> dict:
    return {
        "person": d.person_id,
        "previous": d.previous,
        "clearance": d.clearance,
        "highest_level": d.highest_level,
        "status": d.status,
        "effective_on": d.effective_on.isoformat() if d.effective_on else None,
    }


# --- PER-3, PER-4: vetting, commitments, training ----------------------------------------------


@action("vetting.record")
def record_vetting(
    actor: Person,
    person: Person,
    *,
    on: date,
    result: str,
    findings: str = "",
    next_review_on: date | None = None,
) -> Vetting:
    """PER-3: 审查 with its result, and the date of the next periodic re-review (条例50)."""
    _business(actor, person)
    require_office(actor, person.unit_id, "记录保密审查")
    on = _not_future(on, "on", "审查日期")
    if result not in VettingResult.values:
        raise Invalid("审查结论无效。", {"result": ["可选值：passed、failed"]})
    if next_review_on is not None and next_review_on <= on:
        raise Invalid("复审日期须晚于审查日期。", {"next_review_on": ["须晚于审查日期"]})
    vetting = Vetting.objects.create(
        person=person,
        on=on,
        reviewer=actor,
        findings=(findings or "").strip(),
        result=result,
        next_review_on=next_review_on,
    )
    record(
        "vetting.record",
        actor,
        vetting,
        after={"person": person.pk, "on": on.isoformat(), "result": result},
    )
    return vetting


@action("commitment.sign")
def sign_commitment(
    actor: Person, person: Person, *, kind: str, signed_on: date, text: str = ""
) -> Commitment:
    """ORG-3/PER-3: a signed 保密承诺书 (or 离岗/调动后 commitment) with its date."""
    _business(actor, person)
    require_office(actor, person.unit_id, "登记保密承诺书")
    if kind not in CommitmentKind.values:
        raise Invalid("承诺书类型无效。", {"kind": ["承诺书类型无效"]})
    signed_on = _not_future(signed_on, "signed_on", "签订日期")
    commitment = Commitment.objects.create(
        person=person, kind=kind, signed_on=signed_on, text=(text or "").strip(), recorded_by=actor
    )
    if kind == CommitmentKind.DEPARTURE:
        open_departure = person.departures.filter(status=DepartureStatus.OPEN).first()
        if open_departure is not None:
            open_departure.commitment = commitment
            open_departure.save(update_fields=["commitment"])
    record(
        "commitment.sign",
        actor,
        commitment,
        after={"person": person.pk, "kind": kind, "signed_on": signed_on.isoformat()},
    )
    return commitment


@action("training.record")
def record_training(
    actor: Person,
    person: Person,
    *,
    on: date,
    hours,
    subject: str,
    score: int | None = None,
) -> TrainingRecord:
    """PER-4: a training session attended, with its hours and exam score."""
    _business(actor, person)
    require_office(actor, person.unit_id, "登记保密培训")
    on = _not_future(on, "on", "培训日期")
    subject = _text(subject, "subject", "培训内容", 200)
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise Invalid("学时无效。", {"hours": ["学时须为数字"]}) from None
    if not (Decimal("0") < hours <= Decimal("100")):
        raise Invalid("学时无效。", {"hours": ["学时须在 0 到 100 之间"]})
    if score is not None and not (0 <= score <= 100):
        raise Invalid("成绩无效。", {"score": ["成绩须在 0 到 100 之间"]})
    training = TrainingRecord.objects.create(
        person=person, on=on, hours=hours, subject=subject, score=score, recorded_by=actor
    )
    record(
        "training.record",
        actor,
        training,
        after={"person": person.pk, "on": on.isoformat(), "hours": str(hours), "score": score},
    )
    return training


# --- PER-5, CR-13: departure and the 脱密期 ------------------------------------------------------


@action("departure.start")
def start_departure(
    actor: Person, person: Person, *, kind: str, end_date: date, reason: str
) -> Departure:
    """PER-5: open the departure procedure for a person leaving a classified post."""
    _business(actor, person)
    require_office(actor, person.unit_id, "办理离岗")
    person = _lock(person)
    if kind not in DepartureKind.values:
        raise Invalid("离岗类型无效。", {"kind": ["离岗类型无效"]})
    reason = _text(reason, "reason", "事由")
    if end_date is None or end_date < _today():
        raise Invalid("离岗日期不能早于今天。", {"end_date": ["离岗日期不能早于今天"]})
    if not person.active:
        raise InvalidState(f"{person.name}已离岗。", {"active": False})
    if person.departures.filter(status=DepartureStatus.OPEN).exists():
        raise InvalidState(f"{person.name}的离岗手续正在办理。", {"status": "open"})
    departure = Departure.objects.create(
        person=person,
        kind=kind,
        clearance=person.clearance,
        reason=reason,
        end_date=end_date,
        opened_by=actor,
    )
    record("departure.start", actor, departure, after=_departure_snapshot(departure))
    return departure


@action("departure.reminder_talk")
def record_reminder_talk(actor: Person, departure: Departure, *, on: date) -> Departure:
    """PER-5: the 离岗保密提醒谈话 was held."""
    departure = _open_departure(actor, departure)
    before = _departure_snapshot(departure)
    departure.reminder_talk_on = _not_future(on, "on", "谈话日期")
    departure.reminder_talk_by = actor
    departure.save(update_fields=["reminder_talk_on", "reminder_talk_by"])
    record(
        "departure.reminder_talk",
        actor,
        departure,
        before=before,
        after=_departure_snapshot(departure),
    )
    return departure


@action("departure.devices_returned")
def record_devices_returned(
    actor: Person, departure: Departure, *, on: date, note: str
) -> Departure:
    """PER-5: devices (computers, media, keys) returned — a confirmation until DEV exists."""
    departure = _open_departure(actor, departure)
    before = _departure_snapshot(departure)
    departure.devices_returned_on = _not_future(on, "on", "交回日期")
    departure.devices_note = _text(note, "note", "交回的设备（无则填“无”）")
    departure.save(update_fields=["devices_returned_on", "devices_note"])
    record(
        "departure.devices_returned",
        actor,
        departure,
        before=before,
        after=_departure_snapshot(departure),
    )
    return departure


@action("departure.complete")
def complete_departure(actor: Person, departure: Departure) -> Departure:
    """PER-5/CR-13: on the end date, with talk, 离岗承诺书, carriers and devices all done: access
    withdrawn (login disabled, not 在岗) and the 脱密期 set from the level by the unit setting."""
    departure = _open_departure(actor, departure)
    person = _lock(departure.person)
    if departure.reminder_talk_on is None:
        raise RuleViolation("PER-5", f"{person.name}尚未进行离岗保密提醒谈话（PER-5）。")
    if departure.commitment_id is None:
        raise RuleViolation("PER-5", f"{person.name}尚未签订离岗保密承诺书（PER-5）。")
    require_nothing_held(person)
    if departure.devices_returned_on is None:
        raise RuleViolation("PER-5", f"{person.name}的涉密设备尚未确认交回（PER-5）。")
    if departure.end_date > _today():
        raise InvalidState(
            f"离岗日期为 {departure.end_date}，届时才能撤销系统权限。",
            {"end_date": str(departure.end_date)},
        )
    before = _departure_snapshot(departure)
    years = person.unit.cooling_off_years_for(departure.clearance)
    departure.status = DepartureStatus.COMPLETED
    if years:
        departure.cooling_off_start = departure.end_date
        departure.cooling_off_end = _add_years(departure.end_date, years)
    departure.save()
    person.active = False
    person.on_cooling_off_until = departure.cooling_off_end
    person.save(update_fields=["active", "on_cooling_off_until"])
    if person.user_id:
        user = person.user
        user.is_active = False
        user.save(update_fields=["is_active"])
    person.api_tokens.filter(revoked=False).update(revoked=True)
    record(
        "departure.complete", actor, departure, before=before, after=_departure_snapshot(departure)
    )
    return departure


@action("departure.extend")
def extend_cooling_off(
    actor: Person, departure: Departure, *, until: date, reason: str
) -> Departure:
    """PER-5: the 脱密期 may be extended, with a reason."""
    departure = (
        Departure.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=departure.pk)
    )
    _business(actor, departure.person)
    require_office(actor, departure.person.unit_id, "延长脱密期")
    reason = _text(reason, "reason", "延长理由")
    if departure.status != DepartureStatus.COMPLETED or departure.cooling_off_end is None:
        raise InvalidState("该人员不在脱密期内。", {"status": departure.status})
    if until is None or until <= departure.cooling_off_end:
        raise Invalid("延长后的日期须晚于原脱密期止日。", {"until": ["须晚于原脱密期止日"]})
    before = _departure_snapshot(departure)
    departure.cooling_off_end = until
    departure.extension_reason = reason
    departure.save(update_fields=["cooling_off_end", "extension_reason"])
    person = _lock(departure.person)
    person.on_cooling_off_until = until
    person.save(update_fields=["on_cooling_off_until"])
    record(
        "departure.extend", actor, departure, before=before, after=_departure_snapshot(departure)
    )
    return departure


def _open_departure(actor: Person, departure: Departure) -> Departure:
    departure = (
        Departure.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=departure.pk)
    )
    _business(actor, departure.person)
    require_office(actor, departure.person.unit_id, "办理离岗")
    if departure.status != DepartureStatus.OPEN:
        raise InvalidState("离岗手续已办结。", {"status": departure.status})
    return departure


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _departure_snapshot(d: Departure) -> dict:
    def iso(v):
        return v.isoformat() if v else None

    return {
        "person": d.person_id,
        "kind": d.kind,
        "clearance": d.clearance,
        "status": d.status,
        "end_date": iso(d.end_date),
        "reminder_talk_on": iso(d.reminder_talk_on),
        "commitment": d.commitment_id,
        "devices_returned_on": iso(d.devices_returned_on),
        "cooling_off_start": iso(d.cooling_off_start),
        "cooling_off_end": iso(d.cooling_off_end),
    }


# --- PER-6: transfer and resignation during the 脱密期 -----------------------------------------


def cooling_off_departure(person: Person) -> Departure | None:
    """The completed departure whose 脱密期 runs today, if any."""
    return (
        person.departures.filter(status=DepartureStatus.COMPLETED, cooling_off_end__gte=_today())
        .order_by("-cooling_off_end")
        .first()
    )


@action("move.request")
def request_move(
    actor: Person, person: Person, *, kind: str, reason: str, approver: Person
) -> Move:
    """PER-6: 核心 staff may not resign during the 脱密期; other moves need approval."""
    _business(actor, person)
    require_office(actor, person.unit_id, "办理脱密期调动或辞职")
    if kind not in MoveKind.values:
        raise Invalid("类型无效。", {"kind": ["可选值：transfer、resignation"]})
    reason = _text(reason, "reason", "事由")
    departure = cooling_off_departure(person)
    if departure is None:
        raise InvalidState(f"{person.name}不在脱密期内，无须此审批。", {"cooling_off": None})
    if kind == MoveKind.RESIGNATION and departure.clearance == Clearance.CORE:
        raise RuleViolation(
            "PER-6",
            f"{person.name}为核心涉密人员，脱密期（至 {departure.cooling_off_end}）内不得辞职"
            "（PER-6）。",
        )
    request = approvals.create_request(
        actor,
        approvals.RequestForm(
            kind=RequestKind.DEPARTURE,
            carriers=[],
            reason=f"脱密期内{MoveKind(kind).label}：{reason}",
            approver=approver,
            beneficiary=person,
        ),
    )
    move = Move.objects.create(
        person=person, kind=kind, reason=reason, request=request, created_by=actor
    )
    record(
        "move.request",
        actor,
        move,
        after={"person": person.pk, "kind": kind},
        request_id=request.pk,
    )
    return move


@action("move.complete")
def complete_move(
    actor: Person, move: Move, *, signed_on: date, commitment_text: str, note: str
) -> Move:
    """PER-6: an approved move is done with a new commitment and a personnel-file note."""
    move = (
        Move.objects.select_for_update(of=("self",))
        .select_related("person", "request")
        .get(pk=move.pk)
    )
    person = move.person
    _business(actor, person)
    require_office(actor, person.unit_id, "办理脱密期调动或辞职")
    if move.status != MoveStatus.REQUESTED:
        raise InvalidState("已办结。", {"status": move.status})
    if move.request.status not in (RequestStatus.APPROVED, RequestStatus.CONSUMED):
        raise RuleViolation(
            "PER-6",
            f"审批单 #{move.request_id} 状态为“{move.request.get_status_display()}”：脱密期内"
            f"{move.get_kind_display()}须经批准（PER-6）。",
        )
    signed_on = _not_future(signed_on, "signed_on", "承诺书签订日期")
    note = _text(note, "note", "人事档案记载", 1000)
    commitment = Commitment.objects.create(
        person=person,
        kind=CommitmentKind.AFTER_TRANSFER,
        signed_on=signed_on,
        text=(commitment_text or "").strip(),
        recorded_by=actor,
    )
    file_note = PersonnelNote.objects.create(
        person=person, on=_today(), text=note, recorded_by=actor
    )
    move.status, move.commitment, move.note = MoveStatus.COMPLETED, commitment, file_note
    move.save(update_fields=["status", "commitment", "note"])
    record(
        "move.complete",
        actor,
        move,
        after={"commitment": commitment.pk, "note": file_note.pk},
        request_id=move.request_id,
    )
    return move


# --- PER-7: travel abroad ---------------------------------------------------------------------


@action("travel.request")
def request_travel(
    actor: Person,
    person: Person,
    *,
    destination: str,
    depart_on: date,
    return_on: date,
    purpose: str,
    approver: Person,
) -> TravelAbroad:
    """PER-7: ask to travel abroad; refused while carriers are held outside an exit procedure."""
    _business(actor, person)
    if actor.pk != person.pk:
        require_office(actor, person.unit_id, "代为申请出国（境）")
    destination = _text(destination, "destination", "目的地", 200)
    purpose = _text(purpose, "purpose", "事由")
    if depart_on is None or depart_on < _today():
        raise Invalid("出境日期不能早于今天。", {"depart_on": ["出境日期不能早于今天"]})
    if return_on is None or return_on < depart_on:
        raise Invalid("回国日期不能早于出境日期。", {"return_on": ["不能早于出境日期"]})
    require_no_carriers_abroad(person)
    request = approvals.create_request(
        actor,
        approvals.RequestForm(
            kind=RequestKind.TRAVEL_ABROAD,
            carriers=[],
            reason=f"出国（境）：{destination}，{depart_on}至{return_on}，{purpose}",
            approver=approver,
            beneficiary=person,
            destination=destination,
        ),
    )
    travel = TravelAbroad.objects.create(
        person=person,
        destination=destination,
        depart_on=depart_on,
        return_on=return_on,
        purpose=purpose,
        request=request,
        created_by=actor,
    )
    record("travel.request", actor, travel, after=_travel_snapshot(travel), request_id=request.pk)
    return travel


def _locked_travel(actor: Person, travel: TravelAbroad) -> TravelAbroad:
    travel = (
        TravelAbroad.objects.select_for_update(of=("self",))
        .select_related("person", "request")
        .get(pk=travel.pk)
    )
    _business(actor, travel.person)
    return travel


def _require_approved(travel: TravelAbroad) -> None:
    if travel.request.status not in (RequestStatus.APPROVED, RequestStatus.CONSUMED):
        raise RuleViolation(
            "PER-7",
            f"出国（境）申请 #{travel.request_id} 状态为“{travel.request.get_status_display()}”，"
            "未经批准（PER-7：出国（境）须经审批）。",
        )


@action("travel.briefing")
def record_briefing(actor: Person, travel: TravelAbroad, *, on: date) -> TravelAbroad:
    """PER-7: the pre-travel secrecy briefing (行前保密教育), after approval, before leaving."""
    travel = _locked_travel(actor, travel)
    require_office(actor, travel.person.unit_id, "记录行前保密教育")
    _require_approved(travel)
    if travel.status not in (TravelStatus.REQUESTED, TravelStatus.BRIEFED):
        raise InvalidState("已出境，不能再记录行前教育。", {"status": travel.status})
    on = _not_future(on, "on", "教育日期")
    if on > travel.depart_on:
        raise Invalid("行前教育须在出境前进行。", {"on": ["不能晚于出境日期"]})
    before = _travel_snapshot(travel)
    travel.status, travel.briefed_on, travel.briefed_by = TravelStatus.BRIEFED, on, actor
    travel.save(update_fields=["status", "briefed_on", "briefed_by"])
    record("travel.briefing", actor, travel, before=before, after=_travel_snapshot(travel))
    return travel


@action("travel.exit")
def record_exit(actor: Person, travel: TravelAbroad, *, on: date) -> TravelAbroad:
    """PER-7: the person leaves — approved, briefed and holding nothing outside an exit procedure."""
    travel = _locked_travel(actor, travel)
    if actor.pk != travel.person_id:
        require_office(actor, travel.person.unit_id, "登记出境")
    _require_approved(travel)
    if travel.briefed_on is None:
        raise RuleViolation(
            "PER-7", f"{travel.person.name}尚未接受行前保密教育，不能出境（PER-7）。"
        )
    require_no_carriers_abroad(travel.person)
    if travel.status != TravelStatus.BRIEFED:
        raise InvalidState("状态不允许登记出境。", {"status": travel.status})
    before = _travel_snapshot(travel)
    travel.status, travel.departed_on = TravelStatus.ABROAD, _not_future(on, "on", "出境日期")
    travel.save(update_fields=["status", "departed_on"])
    record("travel.exit", actor, travel, before=before, after=_travel_snapshot(travel))
    return travel


@action("travel.report")
def report_return(actor: Person, travel: TravelAbroad, *, on: date, report: str) -> TravelAbroad:
    """PER-7 / 条例52: the report after return."""
    travel = _locked_travel(actor, travel)
    if actor.pk != travel.person_id:
        require_office(actor, travel.person.unit_id, "登记回国报告")
    if travel.status != TravelStatus.ABROAD:
        raise InvalidState("尚未登记出境，不能提交回国报告。", {"status": travel.status})
    report = _text(report, "report", "回国报告", 5000)
    before = _travel_snapshot(travel)
    travel.status, travel.reported_on, travel.report = (
        TravelStatus.REPORTED,
        _not_future(on, "on", "报告日期"),
        report,
    )
    travel.save(update_fields=["status", "reported_on", "report"])
    record("travel.report", actor, travel, before=before, after=_travel_snapshot(travel))
    return travel


def _travel_snapshot(t: TravelAbroad) -> dict:
    return {
        "person": t.person_id,
        "status": t.status,
        "depart_on": t.depart_on.isoformat(),
        "return_on": t.return_on.isoformat(),
        "briefed_on": t.briefed_on.isoformat() if t.briefed_on else None,
        "reported_on": t.reported_on.isoformat() if t.reported_on else None,
    }
