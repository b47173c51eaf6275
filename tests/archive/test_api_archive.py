"""ARC-1, CR-11, CL-6, ARC-2 through the API."""

from __future__ import annotations

from baomi.approvals.choices import RequestKind
from baomi.archive import actions as archive
from baomi.carriers.choices import Status
from baomi.classification.choices import Level
from baomi.org import actions as org
from tests.api.helpers import api_as, assert_error, assert_refused, last_seq, ledger_state
from tests.factories import receive
from tests.lifecycle import archive_room, dossier, my_state


def test_api_archive_and_retrieve(world):
    w = world
    api = api_as(w, w.clerk)
    r = api.post(
        "dossiers",
        {
            "number": "2026-WS-009",
            "title": "文书档案",
            "year": 2026,
            "place_id": archive_room(w).pk,
        },
    )
    assert r.status_code == 201, r.content
    dossier_id = r.json()["id"]
    c = receive(w, level=Level.SECRET)
    r = api.post(f"carriers/{c.pk}/archive", {"dossier_id": dossier_id})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "archived"
    body = api.get(f"dossiers/{dossier_id}").json()
    assert body["marking"].startswith("机密") and [x["id"] for x in body["carriers"]] == [c.pk]
    r = api_as(w, w.zhang).post(
        "retrievals", {"carrier_ids": [c.pk], "reason": "查阅", "approver_id": w.leader.pk}
    )
    assert r.status_code == 201, r.content
    request_id = r.json()["id"]
    assert api_as(w, w.leader).post(f"requests/{request_id}/approve", {}).status_code == 200
    r = api.post(f"carriers/{c.pk}/retrieve", {"request_id": request_id})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_registry"
    moves = api.get("dossiers/movements").json()
    assert [m["kind"] for m in moves["results"]] == ["retrieve", "archive"]


def test_r_arc_1_api_retrieval_without_approval_is_refused(world):
    w = world
    c = receive(w)
    archive.archive(w.clerk, c, dossier(w))
    before, mine, seq = ledger_state(), my_state(), last_seq()
    r = api_as(w, w.clerk).post(f"carriers/{c.pk}/retrieve", {})
    assert_refused(r, "ARC-1", before, seq)
    assert my_state() == mine


def test_r_arc_1_api_top_secret_retrieval_to_a_non_leader_is_refused(world):
    w = world
    c = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    archive.archive(w.clerk, c, dossier(w, place=w.safe))
    deputy = org.create_person(w.system, w.unit, name="孙副主任", department=w.office)
    org.set_clearance(w.system, deputy, "core")
    org.grant_approval_authority(w.system, deputy, RequestKind.ARCHIVE_RETRIEVAL, Level.TOP_SECRET)
    before, seq = ledger_state(), last_seq()
    r = api_as(w, w.clerk).post(
        "retrievals", {"carrier_ids": [c.pk], "reason": "查阅", "approver_id": deputy.pk}
    )
    assert_refused(r, "ARC-1", before, seq)


def test_r_cr_11_api_archiving_a_carrier_still_out_is_refused(world):
    w = world
    d = dossier(w)
    c = receive(w)
    from baomi.carriers import actions as carriers

    carriers.circulate(w.clerk, c, w.zhang)
    before, mine, seq = ledger_state(), my_state(), last_seq()
    r = api_as(w, w.clerk).post(f"carriers/{c.pk}/archive", {"dossier_id": d.pk})
    assert_refused(r, "CR-11", before, seq)
    assert my_state() == mine


def test_r_cl_6_api_marking_recomputed(world):
    w = world
    d = dossier(w)
    api = api_as(w, w.clerk)
    low, high = receive(w, level=Level.CONFIDENTIAL), receive(w, level=Level.SECRET)
    api.post(f"carriers/{low.pk}/archive", {"dossier_id": d.pk})
    assert api.get(f"dossiers/{d.pk}").json()["level"] == "confidential"
    api.post(f"carriers/{high.pk}/archive", {"dossier_id": d.pk})
    assert api.get(f"dossiers/{d.pk}").json()["level"] == "secret"
    api.post("destruction-lists", {"carrier_ids": [high.pk]})
    assert api.get(f"dossiers/{d.pk}").json()["level"] == "confidential"


def test_api_archive_bad_input(world):
    w = world
    c = receive(w)
    api = api_as(w, w.clerk)
    assert_error(api.post(f"carriers/{c.pk}/archive", {"dossier_id": 99999}), 404, "not_found")
    assert_error(api.post(f"carriers/{c.pk}/archive", {}), 422, "invalid")
    assert_error(api.get("dossiers/99999"), 404, "not_found")
    assert_error(
        api_as(w, w.wang).post(f"carriers/{c.pk}/archive", {"dossier_id": 1}), 404, "not_found"
    )
    c.refresh_from_db()
    assert c.status == Status.IN_REGISTRY
