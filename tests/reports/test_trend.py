"""The 12-month trend with a frozen clock: months in local time (Asia/Shanghai), oldest first,
ending with the current month; registrations, destructions (CR-12) and recalls (CR-10) each in
the month they happened; a staff member's trend counts only what they may see."""

from __future__ import annotations

from datetime import date, datetime

import time_machine

from baomi.classification.choices import Level
from baomi.destruction import actions as destruction
from baomi.destruction.models import Method
from baomi.dispatch import actions as dispatch
from baomi.reports.selectors import trend_months
from tests.factories import receive
from tests.lifecycle import approved_list
from tests.reports.helpers import stats_for
from tests.reports.test_statistics import TZ


def at(year, month, day, hour=10, minute=0):
    return time_machine.travel(datetime(year, month, day, hour, minute, tzinfo=TZ), tick=False)


def test_trend_months_roll_over_the_year():
    assert trend_months(date(2026, 5, 10))[0] == date(2025, 6, 1)
    assert trend_months(date(2026, 5, 10))[-1] == date(2026, 5, 1)
    assert trend_months(date(2026, 1, 31), 3) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    assert trend_months(date(2026, 12, 1), 2) == [date(2026, 11, 1), date(2026, 12, 1)]


def test_registrations_destructions_and_recalls_fall_in_their_months(world):
    w = world
    with at(2025, 5, 31, 23, 30):  # the month before the window
        receive(w, level=Level.SECRET)
    with at(2025, 6, 1, 0, 30):  # still 31 May in UTC: counted in June, local time
        june = receive(w, level=Level.SECRET, copies=3)
    with at(2026, 3, 15):
        receive(w, level=Level.CONFIDENTIAL)
        destruction.destroy(
            w.clerk,
            approved_list(w, [june[0]]),
            method=Method.PULP,
            place="XX市涉密载体销毁中心",
            witnesses=[w.zhang, w.classifier],
        )
    with at(2026, 4, 30, 23, 50):
        dispatch.recall(w.clerk, june[1])
    with at(2026, 5, 10):
        trend = stats_for(w.clerk)["trend"]
    assert [row["month"] for row in trend] == [
        "2025-06",
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    assert trend[0]["month_display"] == "2025年6月"
    busy = {
        row["month"]: (row["registered"], row["destroyed"], row["recalled"])
        for row in trend
        if row["registered"] or row["destroyed"] or row["recalled"]
    }
    assert busy == {"2025-06": (3, 0, 0), "2026-03": (1, 1, 0), "2026-04": (0, 0, 1)}


def test_a_staff_members_trend_leaves_out_what_they_may_not_see(world):
    w = world
    with at(2026, 2, 10):
        theirs = receive(w, level=Level.SECRET)
        finance = receive(w, level=Level.SECRET, scope_departments=[w.finance])
        destruction.destroy(
            w.clerk,
            approved_list(w, [finance]),
            method=Method.PULP,
            place="XX市涉密载体销毁中心",
            witnesses=[w.leader, w.classifier],
        )
        clerk_feb = stats_for(w.clerk)["trend"][-1]
        zhang_feb = stats_for(w.zhang)["trend"][-1]
    assert theirs.pk != finance.pk
    assert (clerk_feb["registered"], clerk_feb["destroyed"]) == (2, 1)
    assert (zhang_feb["registered"], zhang_feb["destroyed"]) == (1, 0)
