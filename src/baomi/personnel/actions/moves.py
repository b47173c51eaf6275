"""PER-6: transfer and resignation during the 脱密期 — approved, then done with a new
commitment and a personnel-file note."""

from __future__ import annotations

from datetime import date

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.audit.trail import record
from baomi.classification.choices import Clearance
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person
from baomi.personnel.actions._common import _business, _not_future, _text, _today
from baomi.personnel.choices import CommitmentKind, DepartureStatus, MoveKind, MoveStatus
from baomi.personnel.models import Commitment, Departure, Move, PersonnelNote
from baomi.personnel.rules import require_office


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
