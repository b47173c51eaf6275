"""Alerts: stocktakes due (CR-14, INS-1) — at least twice a year, and before 五一, 国庆 and 春节.

春节 moves with the lunar calendar; it comes from `lunar-python` (正月初一 → the solar date)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from django.urls import reverse
from lunar_python import Lunar

from baomi.carriers.policies import is_clerk_of
from baomi.lib.alerts import Alert, provider
from baomi.lib.clock import local_midnight
from baomi.stocktake.models import Stocktake

HALF_YEAR_DAYS = 183
BEFORE_HOLIDAY_DAYS = 30


@cache  # a lunar computation of ~50 ms; every alerts call asks for it
def spring_festival(year: int) -> date:
    """正月初一 of the lunar year that starts in `year`."""
    solar = Lunar.fromYmd(year, 1, 1).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def holidays_ahead(today: date) -> list[tuple[str, date]]:
    """The holidays that need a count beforehand, from today on (this year's and next year's)."""
    found = []
    for year in (today.year, today.year + 1):
        found += [
            ("春节", spring_festival(year)),
            ("五一", date(year, 5, 1)),
            ("国庆", date(year, 10, 1)),
        ]
    return sorted((name, day) for name, day in found if day >= today)


def stocktake_alerts_for_unit(unit_id: int, today: date) -> list[Alert]:
    """Two queries: the last count, and (only when a holiday is near) none since the window."""
    url = reverse("stocktake:list")
    alerts = []
    last = (
        Stocktake.objects.filter(
            unit_id=unit_id, started_at__lt=local_midnight(today + timedelta(days=1))
        )
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    last_day = last.date() if last else None
    if last_day is None or last_day < today - timedelta(days=HALF_YEAR_DAYS):
        since = f"上次清查为 {last_day}" if last_day else "尚无清查记录"
        alerts.append(
            Alert(
                "stocktake_half_year",
                f"近半年未开展涉密载体清查（{since}），每年至少清查两次（CR-14）",
                url,
                "overdue",
                None,
                "CR-14",
                "unit",
                unit_id,
            )
        )
    for name, day in sorted(holidays_ahead(today), key=lambda x: x[1]):
        window = day - timedelta(days=BEFORE_HOLIDAY_DAYS)
        if not window <= today < day:
            continue
        if last_day is not None and last_day >= window:
            continue
        alerts.append(
            Alert(
                "stocktake_holiday",
                f"{name}（{day}）前须开展涉密载体清查（CR-14、INS-1）",
                url,
                "due_soon",
                day,
                "CR-14",
                "unit",
                unit_id,
            )
        )
    return alerts


@provider
def stocktakes_due(person, today: date) -> list[Alert]:
    if person is None or not is_clerk_of(person, person.unit_id):
        return []
    return stocktake_alerts_for_unit(person.unit_id, today)
