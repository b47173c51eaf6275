"""What is due for recall (清退, CR-10), per issuing authority — a query, computed when asked.

A carrier is recallable when it was received from an issuer (or is a copy of such a carrier) and
is still in the unit's custody. It is due:
- 绝密: at once (seed 000: 绝密 goes back as soon as it has been read);
- otherwise: on its issuer's schedule date (every 6 or 12 months), if the issuer has a schedule.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from baomi.carriers.choices import LIVE, Source
from baomi.carriers.models import Carrier
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.dispatch.models import IssuerRecallSchedule
from baomi.org.models import Unit


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recallable(unit: Unit) -> QuerySet[Carrier]:
    """Live carriers of the unit that came from an outside issuer (received, or copies of those)."""
    return (
        Carrier.objects.filter(
            unit=unit, status__in=LIVE, source__in=[Source.RECEIVED, Source.COPY]
        )
        .exclude(issuer="")
        .select_related("holder", "place")
        .order_by("number", "copy_no")
    )


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


def recall_rounds(unit: Unit, today: date, *, within_days: int | None = 0) -> list[IssuerDue]:
    """Per issuer, the carriers due by `today + within_days` (None: every recallable carrier,
    whatever its date — the full list for the issuer)."""
    schedules = {s.issuer: s for s in IssuerRecallSchedule.objects.filter(unit=unit)}
    horizon = (
        date.max if within_days is None else today.fromordinal(today.toordinal() + within_days)
    )
    rounds: dict[str, IssuerDue] = {}
    for carrier in recallable(unit):
        schedule = schedules.get(carrier.issuer)
        if carrier.level == Level.TOP_SECRET:
            due = carrier.registered_at.date()
        elif schedule is not None:
            due = schedule.next_due
        elif within_days is None:
            due = today
        else:
            continue  # no schedule for this issuer: not due by CR-10's calendar
        if due > horizon:
            continue
        entry = rounds.setdefault(carrier.issuer, IssuerDue(carrier.issuer, due, schedule))
        entry.due = min(entry.due, due)
        entry.carriers.append(carrier)
    return sorted(rounds.values(), key=lambda r: (r.due, r.issuer))


def round_for(unit: Unit, issuer: str, today: date) -> IssuerDue:
    """The 清退单 of one issuer: every carrier of that issuer still held (due or not yet)."""
    for entry in recall_rounds(unit, today, within_days=None):
        if entry.issuer == issuer:
            return entry
    schedule = IssuerRecallSchedule.objects.filter(unit=unit, issuer=issuer).first()
    return IssuerDue(issuer, schedule.next_due if schedule else today, schedule)
