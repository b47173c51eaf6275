"""Working days (工作日) in one place: the State Council's holidays and make-up days (调休) as the
`chinesecalendar` library publishes them, corrected by the unit's own table (`WorkdayOverride`).
For a year the library has no data for yet, a weekday is a working day until the unit enters
that year's calendar in the table — `library_covers` tells the pages to say so.

Used for CR-2 (papers brought back not declared within 2 working days), CL-14 (10 working days
to decide an unclear level) and SITE-3 (a working day without a closing check)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from baomi.workdays.models import WorkdayOverride


def library_covers(year: int) -> bool:
    """Whether the published calendar (the library's data) covers this year."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def published_working_day(day: date) -> bool:
    """The State Council's answer; a weekday where the library has no data for the year."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def published_note(day: date) -> str:
    """Why the published calendar says what it does: 国庆节, 调休上班, 周末…"""
    try:
        holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return "周末（法定节假日数据未覆盖本年）" if day.weekday() >= 5 else ""
    label = HOLIDAY_NAMES.get(name, name or "")
    if holiday:
        return label or "周末"
    return f"{label}调休上班" if day.weekday() >= 5 else ""


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class WorkingCalendar:
    """One unit's working days: the published calendar with the unit's corrections on top.
    Built once per question (one query for the corrections), then answered in memory."""

    overrides: dict[date, bool]

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return published_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days after `start` (start itself not counted)."""
        current, left = start, days
        while left > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count


def calendar_for(unit_id: int | None) -> WorkingCalendar:
    if unit_id is None:
        return WorkingCalendar({})
    rows = WorkdayOverride.objects.filter(unit_id=unit_id).values_list("day", "is_working_day")
    return WorkingCalendar(dict(rows))


def is_working_day(day: date, unit_id: int | None) -> bool:
    return calendar_for(unit_id).is_working_day(day)


def add_working_days(start: date, days: int, unit_id: int | None) -> date:
    return calendar_for(unit_id).add_working_days(start, days)
