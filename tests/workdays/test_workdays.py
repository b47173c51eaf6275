"""The working-day calendar: the State Council's holidays and make-up days (chinesecalendar),
corrected by the unit's table (系统管理员 / 安全保密管理员, page and API); CL-14 and the closing
check (SITE-3) count on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.reclassification import actions as reclassification
from baomi.sites.models import KeySite
from baomi.sites.selectors import missing_checks
from baomi.workdays import actions
from baomi.workdays.calendar import calendar_for, library_covers
from baomi.workdays.models import WorkdayOverride
from tests.factories import receive, refused
from tests.sites.helpers import registry_room

pytestmark = pytest.mark.django_db


def test_national_day_2026_and_its_make_up_days(world):
    calendar = calendar_for(world.unit.pk)
    assert not calendar.is_working_day(date(2026, 10, 1))  # 国庆节, a Thursday
    assert calendar.is_working_day(date(2026, 10, 10))  # 调休上班, a Saturday
    assert calendar.is_working_day(date(2026, 9, 20))  # 调休上班, a Sunday
    assert calendar.add_working_days(date(2026, 9, 30), 2) == date(2026, 10, 9)


def test_a_year_without_published_data_counts_weekends_only(world):
    """chinesecalendar 1.11.0 ends with 2026: 2027 falls back to weekends until the unit enters it."""
    calendar = calendar_for(world.unit.pk)
    assert library_covers(2026) and not library_covers(2027)
    assert calendar.is_working_day(date(2027, 1, 1))  # a Friday; 元旦 not known yet
    actions.set_override(world.secadmin, day=date(2027, 1, 1), is_working_day=False, note="元旦")
    assert not calendar_for(world.unit.pk).is_working_day(date(2027, 1, 1))


def test_only_the_system_roles_that_keep_settings_correct_it(world):
    w = world
    for who in (w.clerk, w.auditor, w.zhang):
        with refused("forbidden"):
            actions.set_override(who, day=date(2026, 10, 8), is_working_day=False)
    row = actions.set_override(w.sysadmin, day=date(2026, 10, 8), is_working_day=False)
    actions.remove_override(w.secadmin, row)
    assert not WorkdayOverride.objects.exists()


def test_a_correction_equal_to_the_published_calendar_is_refused(world):
    from baomi.lib.errors import Invalid

    with pytest.raises(Invalid):
        actions.set_override(world.sysadmin, day=date(2026, 10, 1), is_working_day=False)


def test_cl_14_deadline_counts_the_holiday_calendar(world, settings):
    """CL-14: 10 working days from Fri 25 Sep 2026 skip the 国庆 week and count the two
    make-up days: 28, 29, 30 Sep, 8, 9, 10 (Sat), 12, 13, 14, 15 Oct."""
    from baomi.lib import clock

    carrier = receive(world)
    with clock.at(timezone.make_aware(timezone.datetime(2026, 9, 25, 10, 0))):
        item = reclassification.report_unclear(
            world.clerk, carrier, proposed_level="secret", question="是否属于国家秘密"
        )
    assert item.deadline == date(2026, 10, 15)
    actions.set_override(world.sysadmin, day=date(2026, 10, 12), is_working_day=False)
    carrier2 = receive(world)
    with clock.at(timezone.make_aware(timezone.datetime(2026, 9, 25, 10, 0))):
        item2 = reclassification.report_unclear(
            world.clerk, carrier2, proposed_level="secret", question="是否属于国家秘密"
        )
    assert item2.deadline == date(2026, 10, 16)


def test_site_3_no_closing_check_is_missing_on_a_holiday(world):
    """SITE-3: the 国庆 holiday needs no daily closing check; the make-up Saturday does."""
    w = world
    site = registry_room(w)
    KeySite.objects.filter(pk=site.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2026, 9, 1))
    )
    missing = {day for _, day in missing_checks(KeySite.objects.all(), date(2026, 10, 11), 10)}
    assert date(2026, 10, 10) in missing and date(2026, 10, 9) in missing
    assert not {date(2026, 10, 1) + timedelta(days=n) for n in range(7)} & missing


def test_working_days_api(api, world):
    w = world
    day = api(w.zhang).get("working-days/2026-10-10").json()
    assert day["is_working_day"] is True and day["source"] == "published"
    assert "国庆" in day["note"]
    refused_ = api(w.clerk).post("working-days", {"day": "2026-10-10", "is_working_day": False})
    assert refused_.status_code == 403
    made = api(w.sysadmin).post(
        "working-days", {"day": "2026-10-10", "is_working_day": False, "note": "本单位统一安排"}
    )
    assert made.status_code == 200, made.content
    day = api(w.zhang).get("working-days/2026-10-10").json()
    assert (day["is_working_day"], day["source"]) == (False, "override")
    year = api(w.zhang).get("working-days", {"year": 2027}).json()
    assert year["published_calendar_covers_year"] is False
    removed = api(w.secadmin).delete(f"working-days/overrides/{made.json()['id']}")
    assert removed.status_code == 204
    assert api(w.zhang).get("working-days/2026-10-10").json()["is_working_day"] is True


def test_working_days_page(client, world):
    w = world
    client.force_login(w.sysadmin.user)
    page = client.get("/working-days/?year=2026")
    assert page.status_code == 200 and "国庆节" in page.content.decode()
    posted = client.post(
        "/working-days/", {"op": "set", "day": "2026-10-08", "is_working_day": "0", "note": "调整"}
    )
    assert posted.status_code == 302
    assert WorkdayOverride.objects.get().day == date(2026, 10, 8)
    assert "尚无 2027 年" in client.get("/working-days/?year=2027").content.decode()
