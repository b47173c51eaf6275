"""PER-7: travel abroad — approval, the pre-travel briefing, exit, and the report after
return."""

from __future__ import annotations

from datetime import date

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.audit.trail import record
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person
from baomi.personnel.actions._common import _business, _not_future, _text, _today
from baomi.personnel.choices import TravelStatus
from baomi.personnel.models import TravelAbroad
from baomi.personnel.rules import require_no_carriers_abroad, require_office


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
    """PER-7: ask to travel abroad. Carriers the person holds do not block the request — the
    rule is that none goes abroad, so they must be back before the exit (`record_exit`)."""
    _business(actor, person)
    if actor.pk != person.pk:
        require_office(actor, person.unit_id, "代为申请出国（境）")
    destination = _text(destination, "destination", "目的地", 200)
    purpose = _text(purpose, "purpose", "事由")
    if depart_on is None or depart_on < _today():
        raise Invalid("出境日期不能早于今天。", {"depart_on": ["出境日期不能早于今天"]})
    if return_on is None or return_on < depart_on:
        raise Invalid("回国日期不能早于出境日期。", {"return_on": ["不能早于出境日期"]})
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
