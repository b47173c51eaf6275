"""Reads: the 涉密人员登记表, one person's whole record, and a unit's statistics (ORG-4)."""

from __future__ import annotations

from datetime import date

from ninja import Query, Schema
from pydantic import Field

from baomi.api.schemas import READ_ERRORS, Id, PageQuery, display, paginate, text
from baomi.carriers.selectors import holdings_of
from baomi.classification.choices import Clearance, Level
from baomi.lib.errors import NotFound
from baomi.org.models import Person, Unit
from baomi.personnel.api._common import Router, _person
from baomi.personnel.api.clearance import DecisionOut, decision_out
from baomi.personnel.api.departure import departure_out
from baomi.personnel.api.moves import move_out
from baomi.personnel.api.travel import travel_out
from baomi.personnel.choices import CommitmentKind, VettingResult
from baomi.personnel.selectors import (
    filtered_ledger,
    ledger_rows,
    require_ledger_viewer,
    unit_statistics,
)

router = Router()


def _iso(value):
    return value.isoformat() if value else None


class LedgerRowOut(Schema):
    person_id: int
    name: str
    department_name: str
    post: str
    clearance: str
    clearance_display: str
    level_since: date | None
    vetting_result: str
    commitment_on: date | None
    last_training_on: date | None
    training_hours_12m: float
    highest_level: str
    highest_level_display: str
    cooling_off_start: date | None
    cooling_off_end: date | None
    is_classifier: bool
    status: str


class LedgerPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LedgerRowOut]


def row_out(r) -> dict:
    p = r.person
    return {
        "person_id": p.pk,
        "name": p.name,
        "department_name": p.department.name if p.department_id else "",
        "post": p.post,
        "clearance": r.clearance,
        "clearance_display": r.clearance_display,
        "level_since": r.level_since,
        "vetting_result": r.vetting_result,
        "commitment_on": r.commitment_on,
        "last_training_on": r.last_training_on,
        "training_hours_12m": float(r.training_hours_12m),
        "highest_level": r.highest_level,
        "highest_level_display": r.highest_level_display,
        "cooling_off_start": r.cooling_off_start,
        "cooling_off_end": r.cooling_off_end,
        "is_classifier": r.is_classifier,
        "status": r.status,
    }


class RecordOut(Schema):
    """A person's whole record: the ledger row, every history, and what they hold now."""

    row: LedgerRowOut
    decisions: list[DecisionOut]
    vettings: list[dict]
    commitments: list[dict]
    trainings: list[dict]
    departures: list[dict]
    moves: list[dict]
    travels: list[dict]
    holdings: list[dict]


class StatisticsOut(Schema):
    unit_id: int
    unit_name: str
    carriers_total: int
    carriers_by_level: dict[str, int]
    carriers_by_status: dict[str, int]
    people_by_clearance: dict[str, int]
    cooling_off: int
    inspections: list[dict]


class LedgerQuery(PageQuery):
    department: Id | None = None
    clearance: Clearance | None = None
    status: text(20) | None = Field(None, description="active（在岗）或 cooling_off（脱密期）")
    q: text(50) | None = None


@router.get(
    "/classified-people", response={200: LedgerPage, **READ_ERRORS}, summary="涉密人员登记表"
)
def classified_people(request, query: Query[LedgerQuery]):
    """The 涉密人员登记表: people in post and in their 脱密期 (保密办 and the unit head)."""
    require_ledger_viewer(request.auth)
    people = filtered_ledger(
        request.auth.unit_id,
        department=query.department,
        clearance=query.clearance or "",
        status=query.status or "",
        q=query.q or "",
    )
    return paginate(ledger_rows(people), query, row_out)


@router.get(
    "/people/{person_id}/record", response={200: RecordOut, **READ_ERRORS}, summary="涉密人员档案"
)
def person_record(request, person_id: Id):
    p = _person(request.auth, person_id)
    return {
        "row": row_out(ledger_rows(Person.objects.filter(pk=p.pk))[0]),
        "decisions": [
            decision_out(d)
            for d in p.clearance_decisions.select_related("proposed_by", "checked_by", "decided_by")
        ],
        "vettings": [
            {
                "id": v.pk,
                "on": _iso(v.on),
                "result": v.result,
                "result_display": display(VettingResult, v.result),
                "reviewer": v.reviewer.name,
                "findings": v.findings,
                "next_review_on": _iso(v.next_review_on),
            }
            for v in p.vettings.select_related("reviewer")
        ],
        "commitments": [
            {
                "id": c.pk,
                "kind": c.kind,
                "kind_display": display(CommitmentKind, c.kind),
                "signed_on": _iso(c.signed_on),
            }
            for c in p.commitments.all()
        ],
        "trainings": [
            {
                "id": t.pk,
                "on": _iso(t.on),
                "hours": float(t.hours),
                "subject": t.subject,
                "score": t.score,
            }
            for t in p.trainings.all()
        ],
        "departures": [
            {**departure_out(d), "end_date": _iso(d.end_date)}
            | {
                k: _iso(v)
                for k, v in departure_out(d).items()
                if k.endswith(("_on", "_start", "_end"))
            }
            for d in p.departures.select_related("commitment")
        ],
        "moves": [move_out(m) for m in p.moves.select_related("request")],
        "travels": [
            {k: _iso(v) if isinstance(v, date) else v for k, v in travel_out(t).items()}
            for t in p.travels.select_related("request")
        ],
        "holdings": [
            {
                "id": c.pk,
                "label": c.label,
                "level": c.level,
                "level_display": display(Level, c.level),
                "status": c.status,
                "due_date": _iso(c.due_date),
            }
            for c in holdings_of(p)
        ],
    }


@router.get(
    "/units/{unit_id}/statistics",
    response={200: StatisticsOut, **READ_ERRORS},
    summary="单位保密工作统计（ORG-4）",
)
def statistics(request, unit_id: Id):
    """Counts only: the caller's own unit, or a subordinate one (ORG-4) — never a superior."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("单位不存在。")
    return unit_statistics(request.auth, unit)
