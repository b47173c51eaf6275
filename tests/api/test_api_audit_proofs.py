"""`audit/checkpoints` and `audit/proofs` (SEC-4): auditor only; a proof verifies offline."""

from __future__ import annotations

from baomi.audit.merkle import Tree
from baomi.audit.models import AuditCheckpoint, AuditEvent
from baomi.audit.proofs import check_inclusion
from tests.api.helpers import assert_conforms, assert_error
from tests.factories import receive


def test_r_sec_4_proofs_api_gives_a_verifiable_inclusion_proof(world, api):
    receive(world, copies=2)
    event = AuditEvent.objects.order_by("seq")[4]
    response = api(world.auditor).get("audit/proofs", {"event": event.pk})
    assert response.status_code == 200
    assert_conforms(response, "get", "audit/proofs")
    proof = response.json()
    assert proof["event_id"] == event.pk and proof["leaf_index"] < proof["tree_size"]
    assert check_inclusion(proof)
    forged_entry = proof["entry"].replace(f'"seq":{event.seq}', f'"seq":{event.seq + 1}')
    forged_leaf = Tree(proof["algorithm"]).leaf(forged_entry.encode()).hex()
    assert forged_entry != proof["entry"]
    assert not check_inclusion({**proof, "entry": forged_entry, "leaf_hash": forged_leaf})
    assert_error(api(world.auditor).get("audit/proofs", {"event": 999999}), 404, "not_found")
    assert api(world.auditor).get("audit/proofs").status_code == 422


def test_r_sec_4_checkpoints_api_lists_creates_and_downloads(world, api):
    receive(world)
    auditor = api(world.auditor)
    made = auditor.post("audit/checkpoints")
    assert made.status_code == 201
    body = made.json()
    assert body["size"] == AuditEvent.objects.count() and body["reason"] == "manual"
    page = auditor.get("audit/checkpoints")
    assert page.status_code == 200
    assert_conforms(page, "get", "audit/checkpoints")
    assert page.json()["results"][0]["id"] == body["id"]
    note = auditor.get(f"audit/checkpoints/{body['id']}/note")
    assert note.status_code == 200 and note["Content-Type"].startswith("text/plain")
    assert note.content.decode() == AuditCheckpoint.objects.get(pk=body["id"]).note
    assert_error(auditor.get("audit/checkpoints/999999"), 404, "not_found")


def test_r_sec_3_only_the_auditor_reaches_checkpoints_and_proofs(world, api):
    receive(world)
    event = AuditEvent.objects.first()
    for other in (world.sysadmin, world.secadmin, world.clerk, world.leader):
        client = api(other)
        assert_error(client.get("audit/checkpoints"), 403, "forbidden")
        assert_error(client.post("audit/checkpoints"), 403, "forbidden")
        assert_error(client.get("audit/proofs", {"event": event.pk}), 403, "forbidden")


def test_events_show_sealing_and_filter_by_unit(world, api):
    receive(world)
    auditor = api(world.auditor)
    events = auditor.get("audit/events", {"page_size": 100}).json()["results"]
    # No sequencer ran in this test: the rows are visible as not yet sealed.
    assert events and all(e["sealed"] is False and e["leaf_index"] is None for e in events)
    auditor.get("audit/verify")  # catches up: seals
    sealed = auditor.get("audit/events", {"sealed": True}).json()
    assert sealed["count"] == AuditEvent.objects.count()
    mine = auditor.get("audit/events", {"unit_id": world.unit.pk}).json()["count"]
    assert mine == AuditEvent.objects.filter(unit_id=world.unit.pk).count() > 0
