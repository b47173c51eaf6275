"""The benchmark data generator writes a ledger the system would have written itself."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from baomi.approvals.models import Request, RequestItem
from baomi.audit.models import AuditEvent
from baomi.audit.trail import verify
from baomi.carriers.choices import AT_PLACE, WITH_HOLDER, EventKind, PlaceKind, Status
from baomi.carriers.models import Carrier, CustodyEvent, NumberSequence
from baomi.classification.choices import CLEARANCE_MAX_LEVEL, LEVEL_RANK, Level
from baomi.org.models import Unit

pytestmark = pytest.mark.django_db

CARRIERS = 2000


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("bench", "generate", "--carriers", CARRIERS, "--units", 3, "--chunk", 700)
        yield
        # The module's data goes with it. The audit trigger refuses TRUNCATE (SEC-4): switched
        # off on this connection for the cleanup only, as `committed_db` does.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        call_command("flush", "--noinput", verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")


def test_counts_and_status_mix(generated):
    assert Carrier.objects.count() == CARRIERS
    assert Unit.objects.filter(code__startswith="BENCH").count() == 3
    statuses = dict(Carrier.objects.values_list("status").annotate(n=Count("id")))
    # A registry's mix: most in the registry or archived, some out, some gone.
    assert statuses[Status.IN_REGISTRY] > CARRIERS * 0.3
    for status in (Status.ON_LOAN, Status.CIRCULATING, Status.ARCHIVED, Status.DESTROYED):
        assert statuses.get(status, 0) > 0, status


def test_every_custody_event_has_its_audit_row_and_the_log_verifies(generated):
    """SEC-4: the generated rows are sealed into the tree; `verify` recomputes all of them."""
    events = CustodyEvent.objects.count()
    assert events >= CARRIERS  # at least the registration of each
    assert AuditEvent.objects.filter(object_type="carrier").count() == events
    result = verify()
    assert result.ok, result.problems
    assert result.checked >= events and result.pending == 0


def test_custody_obeys_cr3_and_per1(generated):
    """CR-3: one holder or one place; PER-1: a holder's clearance covers the level; CR-15:
    绝密 in a safe."""
    assert not Carrier.objects.filter(status__in=AT_PLACE, place__isnull=True).exists()
    assert not Carrier.objects.filter(status__in=WITH_HOLDER, holder__isnull=True).exists()
    assert not Carrier.objects.filter(status__in=WITH_HOLDER, place__isnull=False).exists()
    for carrier in Carrier.objects.filter(holder__isnull=False).select_related("holder"):
        max_level = CLEARANCE_MAX_LEVEL[carrier.holder.clearance]
        assert LEVEL_RANK[Level(max_level)] >= LEVEL_RANK[Level(carrier.level)]
    assert (
        not Carrier.objects.filter(level=Level.TOP_SECRET)
        .exclude(home_place__kind=PlaceKind.SAFE)
        .exists()
    )


def test_history_ends_in_the_carriers_state(generated):
    """Each carrier's last event leaves it where the ledger says it is."""
    for carrier in Carrier.objects.order_by("?")[:200]:
        last = carrier.events.order_by("-at", "-id").first()
        first = carrier.events.order_by("at", "id").first()
        assert first.kind == EventKind.REGISTER
        assert last.status_after == carrier.status
        assert last.holder_after_id == carrier.holder_id
        assert last.place_after_id == carrier.place_id


def test_loans_used_an_approved_request_and_numbers_continue(generated):
    out = Carrier.objects.filter(status=Status.ON_LOAN)
    assert out.exists() and not out.filter(out_request__isnull=True).exists()
    assert not RequestItem.objects.filter(
        request__status="consumed", consumed_at__isnull=True
    ).exists()
    assert Request.objects.filter(status="pending").exists() or CARRIERS < 1000
    # The unit's 统一编号 sequence continues after the generated numbers.
    for seq in NumberSequence.objects.filter(unit__code__startswith="BENCH"):
        taken = Carrier.objects.filter(unit=seq.unit, number__startswith=f"{seq.year}-")
        assert taken.values("number").distinct().count() == seq.last
    # Dates spread over years, so trends and overdue figures look real.
    years = Carrier.objects.values_list("registered_at__year", flat=True).distinct()
    assert len(set(years)) >= 5
    for carrier in Carrier.objects.filter(status__in=WITH_HOLDER):
        assert carrier.due_date > carrier.registered_at.date()
        assert carrier.handed_out_at >= carrier.registered_at
