"""Carrier statistics for the dashboard (看板), its xlsx export and `GET /statistics/carriers`
(design.md: "a dashboard with charts — by level, by status, overdue, trends").

Counts only, never a title. Who counts what:
- the unit's 保密办 (ORG-4's `is_office`: registry clerks and secrecy officers), its head (ORG-2)
  and the members of its 保密委员会 (ORG-1): every carrier of the unit, as the ORG-4 statistics
  count them; a superior unit's 保密办 may also pick a subordinate unit (`units_supervised_by`);
- everyone else: `carriers_visible_to(person)` — what they may not see is absent from the counts;
- the three system roles (SEC-3) and people no longer in post: no dashboard at all (NotFound).

Every figure is one aggregate query (values().annotate(Count)); none runs per carrier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request
from baomi.approvals.rules import requests_visible_to
from baomi.carriers.choices import LIVE, EventKind, Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.carriers.selectors import carriers_visible_to, overdue
from baomi.classification.choices import Level
from baomi.lib.errors import NotFound
from baomi.org.models import CommitteeMember, Person, Unit
from baomi.personnel.rules import is_office
from baomi.personnel.selectors import units_supervised_by

TREND_MONTHS = 12
# The custody events that take a carrier out of the unit's holdings for good, and their series.
LEAVING = {EventKind.DESTROY: "destroyed", EventKind.RECALL: "recalled"}
NO_DASHBOARD = "看板不存在，或您无权查看。"


@dataclass(frozen=True)
class Scope:
    """What one viewer's figures count: a whole unit, or (unit None) what the viewer may see."""

    viewer: Person
    unit: Unit | None

    @property
    def whole_unit(self) -> bool:
        return self.unit is not None

    @property
    def display(self) -> str:
        return f"{self.unit.name}全部载体" if self.unit else "您有权查看的载体"

    def carriers(self) -> QuerySet[Carrier]:
        if self.unit is not None:
            return Carrier.objects.filter(unit_id=self.unit.pk)
        return carriers_visible_to(self.viewer)

    def requests(self) -> QuerySet[Request]:
        if self.unit is not None:
            return Request.objects.filter(unit_id=self.unit.pk)
        return requests_visible_to(self.viewer)


def answers_for_unit(person: Person, unit_id: int) -> bool:
    """The people who answer for the whole unit's figures: its 保密办 (`is_office`, as ORG-4),
    its head (ORG-2: 第一责任人) and the serving members of its 保密委员会 (ORG-1)."""
    if person.has_system_role or not person.active or person.unit_id != unit_id:
        return False
    if person.is_unit_head or is_office(person, unit_id):
        return True
    serving = Q(end_on__isnull=True) | Q(end_on__gte=timezone.localdate())
    return CommitteeMember.objects.filter(
        serving, person=person, committee__unit_id=unit_id
    ).exists()


def dashboard_scope(viewer: Person | None, unit_id: int | None = None) -> Scope:
    """The viewer's own figures, or those of `unit_id`: their own unit when they answer for it,
    a subordinate unit when their 保密办 supervises it (ORG-4). Anything else does not exist."""
    if viewer is None or viewer.has_system_role or not viewer.active:
        raise NotFound(NO_DASHBOARD)
    if unit_id is None or unit_id == viewer.unit_id:
        if answers_for_unit(viewer, viewer.unit_id):
            return Scope(viewer, viewer.unit)
        if unit_id is None:
            return Scope(viewer, None)
        raise NotFound(NO_DASHBOARD)
    unit = next((u for u in units_supervised_by(viewer) if u.pk == unit_id), None)
    if unit is None:
        raise NotFound(NO_DASHBOARD)
    return Scope(viewer, unit)


def units_to_choose(scope: Scope) -> list[Unit]:
    """The units a viewer may switch between: their own and those their 保密办 supervises."""
    if not scope.whole_unit:
        return []
    own = scope.viewer.unit
    return [own, *units_supervised_by(scope.viewer)]


# --- the figures -------------------------------------------------------------------------------


def carrier_statistics(scope: Scope, today: date) -> dict:
    """Every figure of the dashboard as plain JSON-ready data (the page, the API and the xlsx
    show the same dict)."""
    carriers = scope.carriers()
    by_level_and_status = _by_level_and_status(carriers)
    by_level = _by_level(carriers, by_level_and_status, today)
    pending = _pending_requests(scope.requests())
    return {
        "scope": "unit" if scope.whole_unit else "visible",
        "scope_display": scope.display,
        "unit_id": scope.unit.pk if scope.unit else None,
        "unit_name": scope.unit.name if scope.unit else None,
        "as_of": today,
        "carriers_total": sum(row["total"] for row in by_level),
        "carriers_live": sum(row["live"] for row in by_level),
        "overdue": sum(row["overdue"] for row in by_level),
        "requests_pending": sum(row["count"] for row in pending),
        "by_level": by_level,
        "by_status": _by_status(by_level_and_status),
        "requests_by_kind": pending,
        "trend": _trend(carriers, today),
    }


def _by_level_and_status(carriers: QuerySet[Carrier]) -> dict[tuple[str, str], int]:
    """One count per (level, status): both tables of the page come from it, in one pass over
    the unit's carriers (an index-only scan of `carrier_unit_level_status`) instead of two."""
    rows = carriers.values_list("level", "status").annotate(n=Count("id")).order_by()
    return {(level, status): n for level, status, n in rows}


def _by_level(
    carriers: QuerySet[Carrier], counts: dict[tuple[str, str], int], today: date
) -> list[dict]:
    """Every level, highest first: all carriers ever registered, those still held (LIVE), and
    those overdue with a person (`carriers.selectors.overdue`)."""
    total: dict[str, int] = {}
    live: dict[str, int] = {}
    for (level, status), n in counts.items():
        total[level] = total.get(level, 0) + n
        if status in LIVE:
            live[level] = live.get(level, 0) + n
    late = dict(overdue(carriers, today).values_list("level").annotate(n=Count("*")).order_by())
    return [
        {
            "level": level.value,
            "level_display": level.label,
            "total": total.get(level.value, 0),
            "live": live.get(level.value, 0),
            "overdue": late.get(level.value, 0),
        }
        for level in Level
    ]


def _by_status(counts: dict[tuple[str, str], int]) -> list[dict]:
    by_status: dict[str, int] = {}
    for (_level, status), n in counts.items():
        by_status[status] = by_status.get(status, 0) + n
    return [
        {"status": s.value, "status_display": s.label, "count": by_status.get(s.value, 0)}
        for s in Status
    ]


def _pending_requests(requests: QuerySet[Request]) -> list[dict]:
    """Requests still waiting for a decision, per kind (only the kinds that have any)."""
    counts = dict(
        requests.filter(status=RequestStatus.PENDING)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"kind": k.value, "kind_display": k.label, "count": counts[k.value]}
        for k in RequestKind
        if counts.get(k.value)
    ]


def trend_months(today: date, count: int = TREND_MONTHS) -> list[date]:
    """The first days of the last `count` months, oldest first, ending with today's month."""
    last = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(last - count + 1, last + 1)]


def _month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _trend(carriers: QuerySet[Carrier], today: date) -> list[dict]:
    """Per month (in local time): carriers that entered the ledger (registered or made as a
    copy: `registered_at` is their first custody event's time), and those destroyed or recalled
    to their issuer (their DESTROY / RECALL custody events)."""
    months = trend_months(today)
    start, end = _local_midnight(months[0]), _local_midnight(_month_after(months[-1]))
    registered = dict(
        carriers.filter(registered_at__gte=start, registered_at__lt=end)
        .annotate(month=TruncMonth("registered_at", output_field=DateField()))
        .values_list("month")
        .annotate(n=Count("*"))
        .order_by()
    )
    leaving: dict[tuple[date, str], int] = {
        (row["month"], row["kind"]): row["n"]
        for row in CustodyEvent.objects.filter(
            carrier__in=carriers, kind__in=list(LEAVING), at__gte=start, at__lt=end
        )
        .annotate(month=TruncMonth("at", output_field=DateField()))
        .values("month", "kind")
        .annotate(n=Count("*"))  # not Count("id"): the index `event_kind_at` answers alone
        .order_by()
    }
    return [
        {
            "month": f"{m:%Y-%m}",
            "month_display": f"{m.year}年{m.month}月",
            "registered": registered.get(m, 0),
            **{series: leaving.get((m, kind), 0) for kind, series in LEAVING.items()},
        }
        for m in months
    ]
