"""Key places through the actions: SITE-1 ledger, SITE-2 visitors (escort, identity), SITE-3
closing checks and the next-morning alert, SITE-4 keys handed over."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.lib.alerts import alerts_for
from baomi.lib.errors import Forbidden, Invalid, InvalidState
from baomi.sites import actions
from baomi.sites.choices import CheckKind, KeyKind
from baomi.sites.models import ClosingCheck, KeySite, Visit
from baomi.sites.selectors import keys_held_by, missing_checks, sites_visible_to
from tests.factories import refused
from tests.sites.helpers import ALL_OK, registry_room, visitor

pytestmark = pytest.mark.django_db


def test_r_site_1_ledger_with_people_facilities_places(world):
    site = registry_room(world)
    assert site.facilities == ["铁门", "铁窗", "保险柜", "报警"]
    assert set(site.places.all()) == {world.safe, world.cabinet}
    assert AuditEvent.objects.filter(event_type="site.create", object_id=site.pk).exists()
    assert site in sites_visible_to(world.clerk) and site in sites_visible_to(world.leader)
    assert site not in sites_visible_to(world.zhang)
    assert not sites_visible_to(world.sysadmin).exists()


def test_r_per_1_site_staff_cleared_for_its_level(world):
    with refused("PER-1"):
        registry_room(world, staff=[world.li])  # 一般 cannot work freely in a 绝密 room


def test_site_ledger_kept_by_the_clerk_only(world):
    with pytest.raises(Forbidden):
        actions.create_site(
            world.zhang,
            actions.SiteForm(
                name="档案室", kind="archive", level="secret", responsible=world.zhang
            ),
        )


def test_r_site_2_visitor_without_escort_refused(world):
    site = registry_room(world)
    with refused("SITE-2"):
        actions.admit_visitor(world.clerk, site, visitor(world, escort=None))
    assert not Visit.objects.exists()


def test_r_site_2_escort_must_be_the_places_own_people(world):
    site = registry_room(world)
    with refused("SITE-2"):
        actions.admit_visitor(world.clerk, site, visitor(world, escort=world.zhang))


def test_r_site_2_identity_must_be_checked(world):
    site = registry_room(world)
    with refused("SITE-2"):
        actions.admit_visitor(
            world.clerk, site, visitor(world, escort=world.leader, id_checked=False)
        )


def test_r_site_2_escorted_visit_in_and_out(world):
    site = registry_room(world)
    visit = actions.admit_visitor(world.leader, site, visitor(world, escort=world.leader))
    assert visit.id_number_masked == "BMJ****0001"
    event = AuditEvent.objects.get(event_type="visit.admit")
    assert "陈来访" not in event.object_text and "BMJ2026" not in str(event.after)
    actions.sign_out_visitor(world.leader, visit)
    visit.refresh_from_db()
    assert visit.left_at is not None
    with pytest.raises(InvalidState):
        actions.sign_out_visitor(world.leader, visit)


def test_r_site_2_outsiders_cannot_register_visits(world):
    site = registry_room(world)
    with pytest.raises(Forbidden):
        actions.admit_visitor(world.zhang, site, visitor(world, escort=world.leader))


def test_r_site_4_keys_held_and_handed_over_with_the_post(world):
    site = registry_room(world, level="secret", staff=[world.leader, world.classifier])
    key = actions.register_key(
        world.clerk,
        site,
        name="保险柜1号钥匙",
        kind=KeyKind.SAFE,
        holder=world.clerk,
        place=world.safe,
    )
    assert list(keys_held_by(world.clerk)) == [key]
    with refused("SITE-4"):
        actions.hand_over_key(world.clerk, key, world.zhang)  # not one of the room's people
    actions.hand_over_key(world.clerk, key, world.classifier, note="调岗移交")
    assert list(keys_held_by(world.classifier)) == [key]
    assert not keys_held_by(world.clerk).exists()
    assert [e.kind for e in key.events.all()] == ["issue", "handover"]
    actions.report_key_lost(world.classifier, key, note="下班途中遗失")
    assert not keys_held_by(world.classifier).exists()


def test_r_site_3_closing_check_recorded_once_a_day(world):
    site = registry_room(world)
    check = actions.record_closing_check(world.leader, site, items=ALL_OK)
    assert check.all_ok and check.day == timezone.localdate()
    with pytest.raises(InvalidState):
        actions.record_closing_check(world.clerk, site, items=ALL_OK)
    holiday = actions.record_closing_check(
        world.clerk, site, items=ALL_OK, kind=CheckKind.HOLIDAY, holiday="元旦"
    )
    assert holiday.get_kind_display() == "节假日前检查"


def test_r_site_3_something_not_in_order_needs_a_note(world):
    site = registry_room(world)
    with pytest.raises(Invalid) as info:
        actions.record_closing_check(world.leader, site, items={**ALL_OK, "alarm_on": False})
    assert "note" in info.value.detail
    check = actions.record_closing_check(
        world.leader, site, items={**ALL_OK, "alarm_on": False}, note="报警主机故障，已报修"
    )
    assert check.problems == ["报警装置已设防"]
    kinds = [a.kind for a in alerts_for(world.clerk, timezone.localdate())]
    assert "closing_check_problem" in kinds


def test_r_site_3_closing_check_only_by_the_places_people(world):
    site = registry_room(world)
    with pytest.raises(Forbidden):
        actions.record_closing_check(world.zhang, site, items=ALL_OK)


def _backdate(site: KeySite, days: int) -> None:
    KeySite.objects.filter(pk=site.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_r_site_3_missing_check_alerts_next_morning(world, time_machine):
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 3, 4, 8, 30)))  # Wednesday
    site = registry_room(world)
    _backdate(site, 3)  # registered on Sunday 1 March
    today = timezone.localdate()
    assert today == date(2026, 3, 4)
    # Monday's check was done, Tuesday's was not.
    ClosingCheck.objects.create(
        site=site,
        day=date(2026, 3, 2),
        checked_by=world.clerk,
        checked_at=timezone.now(),
        **ALL_OK,
    )
    missing = missing_checks(sites_visible_to(world.clerk), today)
    assert [(s.pk, d) for s, d in missing] == [(site.pk, date(2026, 3, 3))]
    alerts = [a for a in alerts_for(world.leader, today) if a.kind == "closing_check_missing"]
    assert len(alerts) == 1 and alerts[0].rule_id == "SITE-3" and "2026-03-03" in alerts[0].message
    # Not for someone who does not work there.
    assert not [a for a in alerts_for(world.zhang, today) if a.kind == "closing_check_missing"]
    # Recording Tuesday's check (late) clears it.
    actions.record_closing_check(world.clerk, site, items=ALL_OK, day=date(2026, 3, 3))
    assert not missing_checks(sites_visible_to(world.clerk), today)


def test_r_site_3_no_alert_for_weekends(world, time_machine):
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 3, 9, 8, 30)))  # Monday
    site = registry_room(world)
    _backdate(site, 3)  # Friday 6 March
    ClosingCheck.objects.create(
        site=site, day=date(2026, 3, 6), checked_by=world.clerk, checked_at=timezone.now(), **ALL_OK
    )
    assert missing_checks(sites_visible_to(world.clerk), timezone.localdate()) == []


def test_r_site_2_visitor_never_signed_out_alerts(world, time_machine):
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 3, 4, 10, 0)))
    site = registry_room(world)
    actions.admit_visitor(world.leader, site, visitor(world, escort=world.leader))
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 3, 5, 8, 30)))
    kinds = [a.kind for a in alerts_for(world.clerk, timezone.localdate())]
    assert "visitor_not_signed_out" in kinds
