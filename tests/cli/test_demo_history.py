"""The demo office has a past (issue 9, item 8): its registrations are spread over two years and
some loans are overdue, all through the actions (run at earlier moments of `lib.clock`), so the
dashboard's trend and overdue charts show something; the audit chain still verifies."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Min
from django.test import override_settings
from django.utils import timezone

from baomi.audit.trail import verify
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.lib import clock
from baomi.org.models import Person
from baomi.reports.selectors import carrier_statistics, dashboard_scope
from baomi.web.demo import UNIT_NAME


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def test_demo_registrations_span_two_years(demo_db):
    carriers = Carrier.objects.filter(unit__name=UNIT_NAME)
    today = timezone.localdate()
    first = timezone.localtime(carriers.aggregate(m=Min("registered_at"))["m"]).date()
    assert first <= today - timedelta(days=700)
    months = {
        timezone.localtime(c).strftime("%Y-%m")
        for c in carriers.values_list("registered_at", flat=True)
    }
    assert len(months) >= 20
    # Nothing happened to a carrier before it was registered.
    assert not CustodyEvent.objects.filter(
        carrier__unit__name=UNIT_NAME, at__lt=F("carrier__registered_at")
    ).exists()


def test_demo_has_overdue_loans_and_the_dashboard_shows_them(demo_db, client):
    today = timezone.localdate()
    overdue = Carrier.objects.filter(
        unit__name=UNIT_NAME, status=Status.ON_LOAN, due_date__lt=today
    )
    assert overdue.count() >= 3
    clerk = Person.objects.get(user__username="baomiyuan")
    stats = carrier_statistics(dashboard_scope(clerk), today)
    assert stats["overdue"] >= 3
    registered = [month["registered"] for month in stats["trend"]]
    assert sum(1 for n in registered if n) >= 10, stats["trend"]
    assert verify().ok


def test_the_clock_refuses_the_future_and_naive_moments():
    with pytest.raises(ValueError), clock.at(timezone.now() + timedelta(days=1)):
        pass
    with pytest.raises(ValueError), clock.at(timezone.now().replace(tzinfo=None)):
        pass
    moment = timezone.now() - timedelta(days=3)
    with clock.at(moment):
        assert clock.now() == moment and clock.today() == timezone.localdate(moment)
    assert clock.now() > moment
