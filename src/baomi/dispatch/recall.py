"""What is due for recall (清退, CR-10), per issuing authority — a query, computed when asked.

A carrier is recallable when it was received from an issuer (or is a copy of such a carrier) and
is still in the unit's custody. It is due:
- 绝密: at once (seed 000: 绝密 goes back as soon as it has been read);
- otherwise: on its issuer's schedule date (every 6 or 12 months), if the issuer has a schedule —
  the first round date on or after the day it was received.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from baomi.carriers.choices import LIVE, Source
from baomi.carriers.models import Carrier
from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.dispatch.models import IssuerRecallSchedule
from baomi.lib.clock import local_midnight
from baomi.org.models import Person, Unit


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The horizon the 清退 page opens with; the export and the API default to the same one, so the
# page, its 清退单 and `recalls/list` name the same carriers unless a horizon is asked for.
DEFAULT_WITHIN_DAYS = 30
MAX_WITHIN_DAYS = 366


def within_days_of(value: str | None) -> int:
    """The `?within=` of the 清退 page and its export links (the default when absent or bad)."""
    value = (value or "").strip()
    if value.isdigit() and int(value) <= MAX_WITHIN_DAYS:
        return int(value)
    return DEFAULT_WITHIN_DAYS


def recallable(unit: Unit, viewer: Person | None = None) -> QuerySet[Carrier]:
    """Live carriers of the unit that came from an outside issuer (received, papers brought back
    from a meeting elsewhere, or copies of those);
    with `viewer`, only those the viewer may see (a clerk: up to their own level)."""
    carriers = (
        carriers_visible_to(viewer).filter(unit_id=unit.pk)
        if viewer is not None
        else Carrier.objects.filter(unit=unit)
    )
    return (
        carriers.filter(
            status__in=LIVE,
            # Papers brought back from a meeting elsewhere came from its organiser (CR-2).
            source__in=[Source.RECEIVED, Source.COPY, Source.OUTSIDE_MEETING],
        )
        .exclude(issuer="")
        .select_related("holder", "place")
        .order_by("number", "copy_no")
    )


def due_date(carrier: Carrier, schedule: IssuerRecallSchedule | None) -> date | None:
    """When `carrier` is due back to its issuer, or None (no schedule: no calendar date).

    绝密: the day it was registered (it goes back once read). Otherwise the first of the issuer's
    round dates on or after the day it arrived: a carrier received after a round's date (even
    while that round is still open) belongs to the next round, not to the overdue one."""
    return _due_of(carrier.level, carrier.registered_at, schedule)


def _due_of(level: str, registered_at, schedule: IssuerRecallSchedule | None) -> date | None:
    received = timezone.localdate(registered_at)
    if level == Level.TOP_SECRET:
        return received
    if schedule is None:
        return None
    due = schedule.next_due
    while due < received:
        due = add_months(due, schedule.interval_months)
    return due


@dataclass
class IssuerDue:
    """One issuer's recall round: the date, and the carriers due then."""

    issuer: str
    due: date
    schedule: IssuerRecallSchedule | None
    carriers: list[Carrier] = field(default_factory=list)

    @property
    def highest_level(self) -> str:
        return max(
            (c.level for c in self.carriers), key=lambda lv: LEVEL_RANK[Level(lv)], default="public"
        )

    @property
    def marking(self) -> str:
        level = self.highest_level
        return Level(level).label if level != Level.PUBLIC else ""


def recall_rounds(
    unit: Unit,
    today: date,
    *,
    within_days: int = 0,
    viewer: Person | None = None,
    issuer: str | None = None,
) -> list[IssuerDue]:
    """Per issuer, the carriers due by `today + within_days` — the one query behind the 清退 page,
    its 清退单 (PDF, xlsx), the API and the alerts. `viewer` limits it to what they may see;
    `issuer` to one issuing authority."""
    schedules, carriers, horizon = _candidates(unit, today, within_days, viewer, issuer)
    rounds: dict[str, IssuerDue] = {}
    for carrier in carriers:
        schedule = schedules.get(carrier.issuer)
        due = due_date(carrier, schedule)
        if due is None or due > horizon:
            continue  # no schedule for this issuer (not due by CR-10's calendar), or not yet
        entry = rounds.setdefault(carrier.issuer, IssuerDue(carrier.issuer, due, schedule))
        entry.due = min(entry.due, due)
        entry.carriers.append(carrier)
    return sorted(rounds.values(), key=lambda r: (r.due, r.issuer))


def recall_counts(
    unit: Unit, today: date, *, within_days: int = 0, viewer: Person | None = None
) -> list[tuple[str, date, int]]:
    """(issuer, due, number of carriers) of each round `recall_rounds` would list, without
    loading the carriers: the alerts need only the counts (a big unit has thousands of 绝密)."""
    schedules, carriers, horizon = _candidates(unit, today, within_days, viewer, None)
    carriers = carriers.select_related(None).order_by()
    rounds: dict[str, list] = {}

    def add(issuer: str, due: date, n: int) -> None:
        entry = rounds.setdefault(issuer, [due, 0])
        entry[0], entry[1] = min(entry[0], due), entry[1] + n

    # 绝密 is due the day it came, and `_may_be_due_by` let in only those come by the horizon:
    # counted per issuer in SQL, the earliest arrival being the round's date.
    top_secret = (
        carriers.filter(level=Level.TOP_SECRET)
        .values_list("issuer")
        .annotate(n=Count("id"), first=Min("registered_at"))
    )
    for issuer, n, first in top_secret:
        add(issuer, timezone.localdate(first), n)
    rows = carriers.exclude(level=Level.TOP_SECRET).values_list("issuer", "level", "registered_at")
    for issuer, level, registered_at in rows:
        due = _due_of(level, registered_at, schedules.get(issuer))
        if due is not None and due <= horizon:
            add(issuer, due, 1)
    return sorted(((i, d, n) for i, (d, n) in rounds.items()), key=lambda r: (r[1], r[0]))


def _candidates(unit, today, within_days, viewer, issuer):
    """The schedules by issuer, the carriers that may be due by the horizon, and the horizon."""
    schedules = {s.issuer: s for s in IssuerRecallSchedule.objects.filter(unit=unit)}
    horizon = today + timedelta(days=within_days)
    carriers = recallable(unit, viewer).filter(_may_be_due_by(schedules.values(), horizon))
    if issuer is not None:
        carriers = carriers.filter(issuer=issuer)
    return schedules, carriers, horizon


def _last_round_by(schedule: IssuerRecallSchedule, horizon: date) -> date | None:
    if schedule.next_due > horizon:
        return None
    last = schedule.next_due
    while (following := add_months(last, schedule.interval_months)) <= horizon:
        last = following
    return last


def _may_be_due_by(schedules, horizon: date) -> Q:
    """The carriers `due_date` can put on or before `horizon`, as a filter, so that a unit's tens
    of thousands of received carriers are not all loaded to find the few due: 绝密 registered by
    then; others of a scheduled issuer that arrived by its last round date before the horizon
    (a carrier is due at the first round on or after its arrival). `due_date` stays the judge."""
    # `registered_at < the next local midnight` is `registered_at__date <= day`, as an index range.
    may = Q(level=Level.TOP_SECRET, registered_at__lt=local_midnight(horizon + timedelta(days=1)))
    for schedule in schedules:
        last = _last_round_by(schedule, horizon)
        if last is not None:
            may |= Q(
                issuer=schedule.issuer,
                registered_at__lt=local_midnight(last + timedelta(days=1)),
            )
    return may


def round_for(
    viewer: Person, issuer: str, today: date, *, within_days: int = DEFAULT_WITHIN_DAYS
) -> IssuerDue:
    """The 清退单 of one issuer: exactly the carriers the 清退 page lists for it (same query,
    same horizon), empty when none is due."""
    for entry in recall_rounds(
        viewer.unit, today, within_days=within_days, viewer=viewer, issuer=issuer
    ):
        return entry
    schedule = IssuerRecallSchedule.objects.filter(unit_id=viewer.unit_id, issuer=issuer).first()
    return IssuerDue(issuer, schedule.next_due if schedule else today, schedule)
