"""The ledger facts behind the computed items of a scoring sheet (INS-3).

Each function answers for every subject at once (a handful of queries, never one per person or
carrier) and returns {subject id: Fact}. A subject is a department of the assessing unit or one
of its subordinate units (ORG-4). The period is the assessment year up to `until` (31 December,
or the day the assessment is computed if the year is not over). Basis texts count and name no
carrier title, so a superior unit reads them freely (ORG-4)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from baomi.assessments.choices import Source, Target
from baomi.inspections.choices import RectificationStatus, Severity
from baomi.org.models import Person

SEVERITY_WEIGHT = {Severity.MINOR: 1, Severity.SERIOUS: 2, Severity.CRITICAL: 3}


@dataclass(frozen=True)
class Fact:
    value: Decimal  # a count (deducting sources) or a rate between 0 and 1 (rate sources)
    basis: str


@dataclass(frozen=True)
class Period:
    year: int
    until: date  # last day counted

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    def aware(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    @property
    def start_at(self) -> datetime:
        return self.aware(self.start)

    @property
    def end_at(self) -> datetime:
        return self.aware(self.until + timedelta(days=1))

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.until


def period_of(year: int, today: date) -> Period:
    return Period(year, min(date(year, 12, 31), today))


@dataclass(frozen=True)
class Subjects:
    """The assessed: departments of `unit_id`, or subordinate units (ids)."""

    target: str
    unit_id: int
    ids: tuple[int, ...]

    @property
    def by_unit(self) -> bool:
        return self.target == Target.UNITS

    def units(self) -> Iterable[int]:
        return self.ids if self.by_unit else (self.unit_id,)


def _rate(done: int, due: int, what: str, none: str) -> Fact:
    if not due:
        return Fact(Decimal(1), none)
    return Fact(Decimal(done) / Decimal(due), f"{what}：应 {due}，实 {done}")


def findings(s: Subjects, p: Period) -> dict[int, Fact]:
    from baomi.inspections.models import Finding

    rows = Finding.objects.filter(
        inspection__unit_id__in=s.units(), created_at__gte=p.start_at, created_at__lt=p.end_at
    ).values_list("inspection__unit_id", "person__department_id", "site__department_id", "severity")
    counts: dict[int, Counter] = defaultdict(Counter)
    for unit_id, person_dept, site_dept, severity in rows:
        subject = unit_id if s.by_unit else (person_dept or site_dept)
        if subject is not None:
            counts[subject][severity] += 1
    out = {}
    for subject in s.ids:
        c = counts.get(subject, Counter())
        weighted = sum(SEVERITY_WEIGHT[Severity(k)] * n for k, n in c.items())
        parts = "、".join(f"{Severity(k).label} {c[k]} 个" for k in Severity.values if c[k])
        out[subject] = Fact(Decimal(weighted), f"检查发现问题：{parts or '无'}（加权 {weighted}）")
    return out


def rectification_on_time(s: Subjects, p: Period) -> dict[int, Fact]:
    from baomi.inspections.models import Rectification

    rows = Rectification.objects.filter(
        finding__inspection__unit_id__in=s.units(), deadline__gte=p.start, deadline__lte=p.until
    ).values_list(
        "finding__inspection__unit_id", "owner__department_id", "status", "deadline", "verified_at"
    )
    due: Counter = Counter()
    done: Counter = Counter()
    for unit_id, dept, status, deadline, verified_at in rows:
        subject = unit_id if s.by_unit else dept
        due[subject] += 1
        closed = status == RectificationStatus.CLOSED and verified_at is not None
        if closed and timezone.localdate(verified_at) <= deadline:
            done[subject] += 1
    return {
        x: _rate(done[x], due[x], "年内到期整改，按期验证关闭", "年内无到期整改") for x in s.ids
    }


def overdue_loans(s: Subjects, p: Period) -> dict[int, Fact]:
    """Hand-outs (circulation, loan, take-out) due within the period that came back after their
    due date, or had not come back by the end of the period — from the custody events, so a
    carrier returned late still counts after it is back."""
    from baomi.carriers.models import CustodyEvent

    events = CustodyEvent.objects.filter(carrier__unit_id__in=s.units())
    outs = list(
        events.filter(
            holder_after__isnull=False, due_date__gte=p.start, due_date__lte=p.until
        ).values_list("id", "carrier_id", "carrier__unit_id", "holder_after_id", "at", "due_date")
    )
    if not outs:
        return {x: Fact(Decimal(0), "逾期归还：0 件次") for x in s.ids}
    first = min(row[4] for row in outs)
    backs: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    for carrier_id, holder_id, at in (
        events.filter(carrier_id__in={row[1] for row in outs}, holder_before__isnull=False)
        .filter(at__gte=first)
        .exclude(holder_after_id=F("holder_before_id"))
        .values_list("carrier_id", "holder_before_id", "at")
        .order_by("at", "id")
    ):
        backs[(carrier_id, holder_id)].append(at)
    holders = {row[3] for row in outs}
    dept_of = dict(Person.objects.filter(pk__in=holders).values_list("pk", "department_id"))
    late: Counter = Counter()
    for _, carrier_id, unit_id, holder_id, at, due in outs:
        back = next((b for b in backs[(carrier_id, holder_id)] if b > at), None)
        back_day = timezone.localdate(back) if back is not None else None
        if (back_day is not None and back_day > due) or (back_day is None and due < p.until):
            late[unit_id if s.by_unit else dept_of.get(holder_id)] += 1
    return {x: Fact(Decimal(late[x]), f"逾期归还：{late[x]} 件次") for x in s.ids}


def closing_checks_missing(s: Subjects, p: Period) -> dict[int, Fact]:
    from baomi.sites.models import KeySite
    from baomi.sites.selectors import missing_checks

    sites = KeySite.objects.filter(unit_id__in=s.units())
    day_after = p.until + timedelta(days=1)
    missing = missing_checks(sites, day_after, days=(day_after - p.start).days)
    counts = Counter(site.unit_id if s.by_unit else site.department_id for site, _ in missing)
    return {x: Fact(Decimal(counts[x]), f"缺少下班检查：{counts[x]} 个工作日") for x in s.ids}


def training_coverage(s: Subjects, p: Period) -> dict[int, Fact]:
    from baomi.personnel.models import TrainingRecord
    from baomi.personnel.selectors import on_ledger

    people: list[tuple[int, int, int | None]] = []
    for unit_id in s.units():
        people += (
            on_ledger(unit_id, p.until)
            .filter(active=True)
            .values_list("pk", "unit_id", "department_id")
        )
    trained = set(
        TrainingRecord.objects.filter(
            person_id__in=[pk for pk, _, _ in people], on__gte=p.start, on__lte=p.until
        ).values_list("person_id", flat=True)
    )
    due: Counter = Counter()
    done: Counter = Counter()
    for pk, unit_id, dept in people:
        subject = unit_id if s.by_unit else dept
        due[subject] += 1
        done[subject] += pk in trained
    return {x: _rate(done[x], due[x], "在岗涉密人员年内参加培训", "无在岗涉密人员") for x in s.ids}


def quarters_ended(p: Period) -> list[tuple[date, date]]:
    """The quarters of the year that have ended by `until` (a running quarter is not yet due)."""
    out = []
    for month in (1, 4, 7, 10):
        start = date(p.year, month, 1)
        end = (date(p.year + 1, 1, 1) if month == 10 else date(p.year, month + 3, 1)) - timedelta(
            days=1
        )
        if end <= p.until:
            out.append((start, end))
    return out


def device_checks_overdue(s: Subjects, p: Period) -> dict[int, Fact]:
    """DEV-6: (computer, ended quarter) pairs without a check, from the quarter it was
    registered in."""
    from baomi.devices.models import Device, DeviceCheck
    from baomi.devices.selectors import internet_computers

    quarters = quarters_ended(p)
    devices = list(
        internet_computers(Device.objects.filter(unit_id__in=s.units())).values_list(
            "pk", "unit_id", "department_id", "registered_at"
        )
    )
    checked = {
        (device_id, timezone.localdate(at))
        for device_id, at in DeviceCheck.objects.filter(
            device_id__in=[d[0] for d in devices],
            checked_at__gte=p.start_at,
            checked_at__lt=p.end_at,
        ).values_list("device_id", "checked_at")
    }
    days_by_device: dict[int, list[date]] = defaultdict(list)
    for device_id, day in checked:
        days_by_device[device_id].append(day)
    missing: Counter = Counter()
    for pk, unit_id, dept, registered_at in devices:
        registered = timezone.localdate(registered_at)
        for start, end in quarters:
            if end < registered:
                continue
            if not any(start <= d <= end for d in days_by_device[pk]):
                missing[unit_id if s.by_unit else dept] += 1
    return {x: Fact(Decimal(missing[x]), f"缺少季度检查：{missing[x]} 台次") for x in s.ids}


def incidents(s: Subjects, p: Period) -> dict[int, Fact]:
    """Incidents discovered in the period. For departments, an incident counts against the
    department of a device it concerns or of the person who held a carrier it concerns when
    that carrier was reported lost — never the department of whoever reported it (INC-1: a
    report must never cost the reporter)."""
    from baomi.carriers.choices import EventKind
    from baomi.carriers.models import CustodyEvent
    from baomi.incidents.models import Incident

    found = Incident.objects.filter(
        unit_id__in=s.units(), discovered_at__gte=p.start_at, discovered_at__lt=p.end_at
    )
    if s.by_unit:
        counts = Counter(found.values_list("unit_id", flat=True))
    else:
        concerned: dict[int, set[int]] = defaultdict(set)
        for incident_id, dept in found.filter(devices__department__isnull=False).values_list(
            "pk", "devices__department_id"
        ):
            concerned[dept].add(incident_id)
        ids = set(found.values_list("pk", flat=True))
        lost = CustodyEvent.objects.filter(
            kind=EventKind.REPORT_LOST,
            carrier__incidents__in=ids,
            holder_before__department__isnull=False,
        ).values_list("carrier__incidents", "holder_before__department_id")
        for incident_id, dept in lost:
            if incident_id in ids:
                concerned[dept].add(incident_id)
        counts = Counter({dept: len(ids) for dept, ids in concerned.items()})
    return {x: Fact(Decimal(counts[x]), f"失泄密事件：{counts[x]} 起") for x in s.ids}


COMPUTE = {
    Source.FINDINGS: findings,
    Source.RECTIFICATION_ON_TIME: rectification_on_time,
    Source.OVERDUE_LOANS: overdue_loans,
    Source.CLOSING_CHECKS_MISSING: closing_checks_missing,
    Source.TRAINING_COVERAGE: training_coverage,
    Source.DEVICE_CHECKS_OVERDUE: device_checks_overdue,
    Source.INCIDENTS: incidents,
}
