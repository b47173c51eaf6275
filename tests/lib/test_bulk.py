"""lib/bulk.insert: rows in at once (COPY on PostgreSQL), each object saved with its pk, JSON and
text as Django would write them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baomi.audit.models import AuditEvent
from baomi.audit.trail import record_many, verify
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.lib import bulk
from tests.factories import receive


def test_objects_come_back_saved_with_their_ids_and_values(world):
    carrier = receive(world)
    events = [
        CustodyEvent(
            carrier=carrier,
            kind="register",
            at=carrier.registered_at,
            actor=world.clerk,
            status_after=carrier.status,
            note=f"第{i}条\t含制表符\n和换行",
        )
        for i in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        bulk.insert(CustodyEvent, events)
    assert all(e.pk and not e._state.adding for e in events)
    assert len({e.pk for e in events}) == 3
    stored = CustodyEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("pk")
    assert [e.note for e in stored] == [e.note for e in events]
    if connection.vendor == "postgresql":  # the ids; the one COPY is past Django's query log
        assert len(queries) == 1 and "nextval" in queries[0]["sql"]


def test_audit_rows_written_in_bulk_verify(world):
    made = [receive(world) for _ in range(2)]
    before = AuditEvent.objects.count()
    record_many("carrier.note", world.clerk, [(c, None, {"键": "值", "n": [1, 2]}) for c in made])
    rows = AuditEvent.objects.order_by("-seq")[:2]
    assert AuditEvent.objects.count() == before + 2
    assert all(r.after == {"键": "值", "n": [1, 2]} for r in rows)
    assert verify().ok


def test_an_unsaved_carrier_asks_no_query_for_its_protection_level(
    world, django_assert_num_queries
):
    carrier = Carrier(unit=world.unit, level="secret")
    with django_assert_num_queries(0):
        assert carrier.protection_level == "secret"


def test_rows_given_as_values_take_the_defaults_of_the_columns_they_leave_out(world):
    carrier = receive(world)
    before = CustodyEvent.objects.count()
    bulk.insert_values(
        CustodyEvent,
        [
            {
                "carrier_id": carrier.pk,
                "kind": "register",
                "at": carrier.registered_at,
                "actor_id": world.clerk.pk,
                "status_after": carrier.status,
            }
            for _ in range(2)
        ],
    )
    made = CustodyEvent.objects.order_by("-pk")[:2]
    assert CustodyEvent.objects.count() == before + 2
    assert all(e.note == "" and e.recorded_at and e.holder_after_id is None for e in made)
