"""The shape every figure of the yearly report shares (INS-4): a number, and the query that
yields it, in words a 保密员 or an auditor can re-run against the ledgers.

`Year` is the window a report covers: from local midnight of 1 January to local midnight of the
next 1 January (settings.TIME_ZONE), or to now while the year is still running — the report is
"as of 31 December" (截至年末) and reads history, never today's state."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from baomi.lib import clock
from baomi.org.models import Unit


@dataclass(frozen=True)
class Figure:
    """One number of the report. `value` is the count (件, 人, 次 …, or a percentage); carrier
    figures also count copies (份) in `copies`. `query` says how to get `value` from the data."""

    key: str
    section: str
    label: str
    value: int | float | None
    measure: str
    query: str
    level: str = ""
    level_display: str = ""
    copies: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Year:
    unit: Unit
    year: int
    start: datetime = field(init=False)
    end: datetime = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "start", local_midnight(date(self.year, 1, 1)))
        object.__setattr__(self, "end", local_midnight(date(self.year + 1, 1, 1)))

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)

    @property
    def complete(self) -> bool:
        """Whether 31 December has passed: until then the figures are "as of now"."""
        return clock.now() >= self.end

    @property
    def as_of(self) -> date:
        return self.last_day if self.complete else clock.today()

    def window_text(self) -> str:
        """The time filter every query names, in local time."""
        tz = timezone.get_current_timezone_name()
        return f"时间 ≥ {self.year}-01-01 00:00 且 < {self.year + 1}-01-01 00:00（{tz}）"

    def year_end_text(self) -> str:
        tz = timezone.get_current_timezone_name()
        return f"{self.year + 1}-01-01 00:00（{tz}）之前"

    def unit_text(self) -> str:
        return f"单位 = {self.unit.name}（编号 {self.unit.pk}）"


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def percent(part: int, whole: int) -> float | None:
    """A rate in per cent with one decimal; None when there is nothing to rate."""
    return round(100.0 * part / whole, 1) if whole else None
