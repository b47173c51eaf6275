"""The dashboard's oversight figures (issue 12): open findings and their rectification deadlines,
incidents and their 24-hour report, training and exam coverage, quarterly checks of internet
computers — for the viewer's unit and, for a superior unit's 保密办, each subordinate unit
(ORG-4: counts only, never a carrier, a finding's text or a person's name).

Every figure is one aggregate query grouped by unit over all the units shown, so the page costs
the same number of queries for one unit or a hundred subordinates. Only for a whole-unit scope
(`selectors.Scope.whole_unit`): these figures are about the unit, never a person's own view."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from baomi.devices.models import Device, DeviceCheck
from baomi.devices.selectors import internet_computers, previous_quarter_start, quarter_start
from baomi.incidents.choices import REPORT_WITHIN_HOURS, IncidentState
from baomi.incidents.models import Incident
from baomi.inspections.choices import RectificationStatus, Severity
from baomi.inspections.models import Finding, Rectification
from baomi.org.models import Person, Unit
from baomi.personnel.selectors import CLEARED
from baomi.reports.selectors import Scope
from baomi.training.models import ExamAttempt

DUE_SOON_DAYS = 7
DEADLINES_SHOWN = 10
TRAINED_WITHIN_DAYS = 365  # as the inspection checklist's "近12个月未参加保密培训" (INS-2)


def open_incidents(unit_ids: list[int]):
    """Incidents not yet closed — read through the incident's current model: open means any
    state but closed (the incidents app may add states in between)."""
    return Incident.objects.filter(unit_id__in=unit_ids).exclude(state=IncidentState.CLOSED)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _blank() -> dict:
    return {
        "findings_open": 0,
        "findings_by_severity": {s.value: 0 for s in Severity},
        "rectifications_open": 0,
        "rectifications_overdue": 0,
        "rectifications_due_soon": 0,
        "incidents_open": 0,
        "incidents_report_pending": 0,
        "incidents_report_overdue": 0,
        "people_cleared": 0,
        "people_trained": 0,
        "people_examined": 0,
        "people_passed": 0,
        "computers_internet": 0,
        "computers_checked_this_quarter": 0,
        "computers_check_overdue": 0,
    }


def figures_by_unit(unit_ids: list[int], today: date, now: datetime) -> dict[int, dict]:
    """{unit id: figures} for every unit of `unit_ids`, in six queries whatever their number."""
    out = {pk: _blank() for pk in unit_ids}

    open_findings = (
        Finding.objects.filter(inspection__unit_id__in=unit_ids)
        .exclude(rectification__status=RectificationStatus.CLOSED)
        .values_list("inspection__unit_id", "severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, severity, n in open_findings:
        out[unit_id]["findings_by_severity"][severity] = n
        out[unit_id]["findings_open"] += n

    soon = today + timedelta(days=DUE_SOON_DAYS)
    rects = (
        Rectification.objects.filter(finding__inspection__unit_id__in=unit_ids)
        .exclude(status=RectificationStatus.CLOSED)
        .values("finding__inspection__unit_id")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(deadline__lt=today)),
            soon=Count("id", filter=Q(deadline__gte=today, deadline__lte=soon)),
        )
        .order_by()
    )
    for row in rects:
        figures = out[row["finding__inspection__unit_id"]]
        figures["rectifications_open"] = row["open"]
        figures["rectifications_overdue"] = row["overdue"]
        figures["rectifications_due_soon"] = row["soon"]

    cutoff = now - timedelta(hours=REPORT_WITHIN_HOURS)
    unreported = Q(authority_reported_at__isnull=True)
    for row in (
        open_incidents(unit_ids)
        .values("unit_id")
        .annotate(
            open=Count("id"),
            pending=Count("id", filter=unreported & Q(discovered_at__gte=cutoff)),
            overdue=Count("id", filter=unreported & Q(discovered_at__lt=cutoff)),
        )
        .order_by()
    ):
        figures = out[row["unit_id"]]
        figures["incidents_open"] = row["open"]
        figures["incidents_report_pending"] = row["pending"]
        figures["incidents_report_overdue"] = row["overdue"]

    # PER-4 / EDU-1: cleared people in post; trained within 12 months; examined this year.
    cleared = Person.objects.filter(
        unit_id__in=unit_ids,
        active=True,
        clearance__in=CLEARED,
        is_automation=False,
        system_role="",
    )
    since = today - timedelta(days=TRAINED_WITHIN_DAYS)
    for row in (
        cleared.values("unit_id")
        .annotate(
            total=Count("id", distinct=True),
            trained=Count("id", filter=Q(trainings__on__gt=since), distinct=True),
        )
        .order_by()
    ):
        out[row["unit_id"]]["people_cleared"] = row["total"]
        out[row["unit_id"]]["people_trained"] = row["trained"]
    for row in (
        ExamAttempt.objects.filter(
            person__in=cleared,
            score__isnull=False,
            submitted_at__gte=_aware(date(today.year, 1, 1)),
        )
        .values("person__unit_id")
        .annotate(
            examined=Count("person", distinct=True),
            passed=Count("person", filter=Q(score__gte=F("exam__pass_score")), distinct=True),
        )
        .order_by()
    ):
        out[row["person__unit_id"]]["people_examined"] = row["examined"]
        out[row["person__unit_id"]]["people_passed"] = row["passed"]

    # DEV-6, as devices.alerts: overdue when neither this quarter nor the last had a check and
    # the computer was registered before this quarter.
    this_quarter = _aware(quarter_start(today))
    last_quarter = _aware(previous_quarter_start(today))
    checks = DeviceCheck.objects.filter(device=OuterRef("pk"))
    for row in (
        internet_computers(Device.objects.filter(unit_id__in=unit_ids))
        .annotate(
            this_q=Exists(checks.filter(checked_at__gte=this_quarter)),
            since_last_q=Exists(checks.filter(checked_at__gte=last_quarter)),
        )
        .values("unit_id")
        .annotate(
            total=Count("id"),
            checked=Count("id", filter=Q(this_q=True)),
            overdue=Count("id", filter=Q(since_last_q=False, registered_at__lt=this_quarter)),
        )
        .order_by()
    ):
        figures = out[row["unit_id"]]
        figures["computers_internet"] = row["total"]
        figures["computers_checked_this_quarter"] = row["checked"]
        figures["computers_check_overdue"] = row["overdue"]
    return out


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _with_rates(figures: dict) -> dict:
    cleared = figures["people_cleared"]
    figures["training_coverage"] = _percent(figures["people_trained"], cleared)
    figures["exam_coverage"] = _percent(figures["people_examined"], cleared)
    figures["findings_by_severity"] = [
        {
            "severity": s.value,
            "severity_display": s.label,
            "count": figures["findings_by_severity"][s.value],
        }
        for s in Severity
    ]
    return figures


def deadlines(unit: Unit, today: date) -> list[dict]:
    """The unit's open rectifications by deadline, the overdue first (one query)."""
    rows = (
        Rectification.objects.filter(finding__inspection__unit=unit)
        .exclude(status=RectificationStatus.CLOSED)
        .select_related("owner", "finding")
        .order_by("deadline", "id")[:DEADLINES_SHOWN]
    )
    return [
        {
            "id": r.pk,
            "deadline": r.deadline,
            "overdue": r.deadline < today,
            "days_left": (r.deadline - today).days,
            "owner": r.owner.name,
            "severity": r.finding.severity,
            "severity_display": Severity(r.finding.severity).label,
            "status_display": RectificationStatus(r.status).label,
        }
        for r in rows
    ]


def oversight_statistics(unit: Unit, subordinates: list[Unit], today: date) -> dict:
    """The unit's oversight figures, its nearest rectification deadlines, and (ORG-4) the same
    figures for each subordinate unit — counts only."""
    now = timezone.now()
    figures = figures_by_unit([unit.pk, *(u.pk for u in subordinates)], today, now)
    return {
        **_with_rates(figures[unit.pk]),
        "deadlines": deadlines(unit, today),
        "subordinates": [
            {"unit_id": u.pk, "unit_name": u.name, **_with_rates(figures[u.pk])}
            for u in subordinates
        ],
    }


def oversight_for(scope: Scope, units: list[Unit], today: date) -> dict | None:
    """A whole unit's figures (None for a person's own view); with each subordinate unit when
    the viewer looks at their own unit (`units`: `selectors.units_to_choose`, ORG-4)."""
    if not scope.whole_unit:
        return None
    own = scope.unit.pk == scope.viewer.unit_id
    return oversight_statistics(scope.unit, units[1:] if own else [], today)
