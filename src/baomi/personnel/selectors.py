"""Reads for 涉密人员 pages, exports and the API: the 涉密人员登记表, a person's record, the
allowance list (PER-8), and what a superior unit may see of its subordinates (ORG-4)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from baomi.carriers.models import Carrier
from baomi.classification.choices import CLEARANCE_MAX_LEVEL, Clearance
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, RuleViolation
from baomi.org.models import Person, Unit
from baomi.personnel.choices import CommitmentKind, DecisionStatus, DepartureStatus
from baomi.personnel.rules import is_office

CLEARED = (Clearance.CORE, Clearance.IMPORTANT, Clearance.GENERAL)


# --- ORG-4 -----------------------------------------------------------------------------------


def descendants(unit: Unit) -> list[Unit]:
    found, frontier = [], [unit.pk]
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier).order_by("code"))
        found += children
        frontier = [u.pk for u in children]
    return found


def units_supervised_by(person: Person) -> list[Unit]:
    """ORG-4: the subordinate units whose statistics this person's 保密办 sees (never upwards)."""
    if person is None or not is_office(person, person.unit_id):
        return []
    return descendants(person.unit)


@action("unit.statistics")
def unit_statistics(viewer: Person, unit: Unit) -> dict:
    """ORG-4: counts only — carriers by level and status, people by level — for the unit's own
    保密办 and the 保密办 of a superior unit; a subordinate never sees its superior's."""
    if viewer.has_system_role or not is_office(viewer, viewer.unit_id):
        raise Forbidden("只有保密办可以查看保密工作统计。")
    if unit.pk != viewer.unit_id and unit.pk not in {u.pk for u in units_supervised_by(viewer)}:
        raise RuleViolation(
            "ORG-4",
            f"{viewer.unit.name}不是{unit.name}的上级单位，不能查看其统计（ORG-4：上级保密办"
            "监督下级，反之不可）。",
        )
    carriers = Carrier.objects.filter(unit=unit)
    by_level = dict(carriers.values_list("level").annotate(n=Count("id")).order_by())
    by_status = dict(carriers.values_list("status").annotate(n=Count("id")).order_by())
    people = Person.objects.filter(unit=unit, is_automation=False)
    people_by_level = dict(
        people.filter(active=True).values_list("clearance").annotate(n=Count("id")).order_by()
    )
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "carriers_total": carriers.count(),
        "carriers_by_level": by_level,
        "carriers_by_status": by_status,
        "people_by_clearance": people_by_level,
        "cooling_off": people.filter(on_cooling_off_until__gte=timezone.localdate()).count(),
        "inspections": _inspection_results(unit),  # ORG-4: results, never carrier titles
    }


def _inspection_results(unit: Unit) -> list[dict]:
    """ORG-4: each inspection of the unit with its findings and open rectifications (counts)."""
    from baomi.inspections.choices import RectificationStatus
    from baomi.inspections.models import Inspection

    rows = (
        Inspection.objects.filter(unit=unit)
        .annotate(
            findings_count=Count("findings", distinct=True),
            open_rectifications=Count(
                "findings__rectification",
                filter=~Q(findings__rectification__status=RectificationStatus.CLOSED),
                distinct=True,
            ),
        )
        .order_by("-planned_on", "-id")[:50]
    )
    return [
        {
            "id": i.pk,
            "title": i.title,
            "kind": i.kind,
            "planned_on": i.planned_on.isoformat(),
            "status": i.status,
            "findings": i.findings_count,
            "open_rectifications": i.open_rectifications,
        }
        for i in rows
    ]


# --- the 涉密人员登记表 --------------------------------------------------------------------------


def on_ledger(unit_id: int, today: date | None = None) -> QuerySet[Person]:
    """PER-5: cleared people in post, and those in their 脱密期 (also after retirement)."""
    today = today or timezone.localdate()
    return (
        Person.objects.filter(unit_id=unit_id, is_automation=False, system_role="")
        .filter(Q(active=True, clearance__in=CLEARED) | Q(on_cooling_off_until__gte=today))
        .select_related("department", "unit")
        .order_by("department__name", "id")
    )


@dataclass
class LedgerRow:
    person: Person
    clearance: str
    clearance_display: str
    level_since: date | None
    vetting_result: str
    vetting_on: date | None
    next_review_on: date | None
    commitment_on: date | None
    last_training_on: date | None
    training_hours_12m: Decimal
    highest_level: str
    highest_level_display: str
    cooling_off_start: date | None
    cooling_off_end: date | None
    is_classifier: bool
    status: str = field(default="在岗")


def ledger_rows(people, today: date | None = None) -> list[LedgerRow]:
    """The columns of the official 涉密人员登记表, one row per person."""
    from baomi.classification.choices import Level

    today = today or timezone.localdate()
    people = list(
        people.prefetch_related(
            "clearance_decisions", "vettings", "commitments", "trainings", "departures"
        )
    )
    rows = []
    for p in people:
        decisions = [d for d in p.clearance_decisions.all() if d.status == DecisionStatus.APPROVED]
        latest = max(decisions, key=lambda d: (d.effective_on, d.pk), default=None)
        vettings = sorted(p.vettings.all(), key=lambda v: (v.on, v.pk))
        vetting = vettings[-1] if vettings else None
        commitments = [c for c in p.commitments.all() if c.kind == CommitmentKind.ON_POST]
        trainings = sorted(p.trainings.all(), key=lambda t: t.on)
        recent = [t for t in trainings if t.on > today - timedelta(days=365)]
        departures = [d for d in p.departures.all() if d.status == DepartureStatus.COMPLETED]
        departure = max(departures, key=lambda d: d.end_date, default=None)
        clearance = departure.clearance if (departure and not p.active) else p.clearance
        highest = latest.highest_level if latest else CLEARANCE_MAX_LEVEL[Clearance(clearance)]
        rows.append(
            LedgerRow(
                person=p,
                clearance=clearance,
                clearance_display=Clearance(clearance).label,
                level_since=latest.effective_on if latest else None,
                vetting_result=vetting.get_result_display() if vetting else "未审查",
                vetting_on=vetting.on if vetting else None,
                next_review_on=vetting.next_review_on if vetting else None,
                commitment_on=max((c.signed_on for c in commitments), default=None),
                last_training_on=trainings[-1].on if trainings else None,
                training_hours_12m=sum((t.hours for t in recent), Decimal("0")),
                highest_level=highest,
                highest_level_display=Level(highest).label,
                cooling_off_start=departure.cooling_off_start if departure else None,
                cooling_off_end=departure.cooling_off_end if departure else None,
                is_classifier=p.is_classifier,
                status="在岗" if p.active else "脱密期",
            )
        )
    return rows


def filtered_ledger(
    unit_id: int, *, department=None, clearance="", status="", q=""
) -> QuerySet[Person]:
    people = on_ledger(unit_id)
    if department:
        people = people.filter(department_id=department)
    if clearance:
        people = people.filter(clearance=clearance)
    if status == "active":
        people = people.filter(active=True)
    elif status == "cooling_off":
        people = people.filter(active=False)
    if q:
        people = people.filter(Q(name__icontains=q) | Q(post__icontains=q))
    return people


def require_ledger_viewer(viewer: Person) -> None:
    if not (viewer.is_unit_head or is_office(viewer, viewer.unit_id)) or viewer.has_system_role:
        raise Forbidden("只有保密办和单位负责人可以查看涉密人员登记表。")


# --- PER-8: the allowance list -----------------------------------------------------------------


@dataclass
class AllowanceRow:
    person: Person
    parts: list[tuple[str, int, Decimal]]  # (clearance, days, amount)
    total: Decimal


def level_on(person: Person, day: date, decisions: list, departures: list) -> str:
    """The person's clearance on a day, from the approved PER-2 history (current level when the
    level was set before the history existed); none after leaving the post."""
    for d in departures:
        if d.status == DepartureStatus.COMPLETED and d.end_date < day:
            return Clearance.NONE
    past = [d for d in decisions if d.effective_on and d.effective_on <= day]
    if past:
        return max(past, key=lambda d: (d.effective_on, d.pk)).clearance
    if decisions:
        return min(decisions, key=lambda d: (d.effective_on, d.pk)).previous
    return person.clearance


def allowance_list(unit: Unit, year: int, month: int) -> list[AllowanceRow]:
    """PER-8: who gets what for a month, prorated by the days at each level."""
    days_in_month = calendar.monthrange(year, month)[1]
    first = date(year, month, 1)
    people = (
        Person.objects.filter(unit=unit, is_automation=False, system_role="")
        .select_related("department")
        .prefetch_related("clearance_decisions", "departures")
        .order_by("department__name", "id")
    )
    rows = []
    for p in people:
        decisions = [d for d in p.clearance_decisions.all() if d.status == DecisionStatus.APPROVED]
        departures = list(p.departures.all())
        days: dict[str, int] = {}
        for offset in range(days_in_month):
            level = level_on(p, first + timedelta(days=offset), decisions, departures)
            if level != Clearance.NONE:
                days[level] = days.get(level, 0) + 1
        if not days:
            continue
        parts = []
        for level, n in days.items():
            amount = (Decimal(unit.allowance_for(level)) * n / days_in_month).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            parts.append((level, n, amount))
        rows.append(AllowanceRow(p, parts, sum((a for _, _, a in parts), Decimal("0"))))
    return rows
