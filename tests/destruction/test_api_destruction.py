"""CR-12 through the API: `destruction-lists` refusals are 403 with the rule id, change nothing,
and are audited; the certificate PDF is served once destroyed."""

from __future__ import annotations

import pytest

from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.destruction import actions as destruction
from tests.api.helpers import api_as, assert_error, assert_refused, last_seq, ledger_state
from tests.factories import receive
from tests.lifecycle import approved_list, my_state

MILL = "XX市涉密载体销毁中心"


def _refused(response, rule_id, before, seq):
    ledger, mine = before
    assert_refused(response, rule_id, ledger, seq)
    assert my_state() == mine


def _before():
    return (ledger_state(), my_state())


def test_api_full_destruction_flow(world):
    w = world
    a, b = receive(w, copies=2)
    api = api_as(w, w.clerk)
    r = api.post("destruction-lists", {"carrier_ids": [a.pk, b.pk], "reason": "到期"})
    assert r.status_code == 201, r.content
    body = r.json()
    list_id = body["id"]
    assert [i["status"] for i in body["items"]] == ["pending_destruction"] * 2
    for c in (a, b):
        assert api.post(f"destruction-lists/{list_id}/items/{c.pk}/check").status_code == 200
    r = api.post(f"destruction-lists/{list_id}/submit", {"approver_id": w.leader.pk})
    assert r.status_code == 200, r.content
    request_id = r.json()["request_id"]
    assert api_as(w, w.leader).post(f"requests/{request_id}/approve", {}).status_code == 200
    r = api.get(f"destruction-lists/{list_id}/certificate.pdf")
    assert_error(r, 409, "invalid_state")
    r = api.post(
        f"destruction-lists/{list_id}/destroy",
        {"method": "pulp", "place": MILL, "witness_ids": [w.zhang.pk, w.classifier.pk]},
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "destroyed"
    assert set(Carrier.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {
        Status.DESTROYED
    }
    r = api.get(f"destruction-lists/{list_id}/certificate.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_r_cr_12_api_no_single_carrier_destroy(world):
    w = world
    c = receive(w)
    r = api_as(w, w.clerk).post(f"carriers/{c.pk}/destroy", {})
    assert r.status_code in (404, 405)
    c.refresh_from_db()
    assert c.status == Status.IN_REGISTRY


def test_r_cr_12_api_unapproved_list_is_refused(world):
    w = world
    c = receive(w)
    dlist = destruction.create_list(w.clerk, [c])
    destruction.check_item(w.clerk, dlist, c)
    before, seq = _before(), last_seq()
    r = api_as(w, w.clerk).post(
        f"destruction-lists/{dlist.pk}/destroy",
        {"method": "shred", "place": MILL, "witness_ids": [w.zhang.pk, w.classifier.pk]},
    )
    _refused(r, "CR-12", before, seq)


def test_r_cr_12_api_unchecked_items_are_refused(world):
    w = world
    c = receive(w)
    dlist = approved_list(w, [c], check=False)
    before, seq = _before(), last_seq()
    r = api_as(w, w.clerk).post(
        f"destruction-lists/{dlist.pk}/destroy",
        {"method": "shred", "place": MILL, "witness_ids": [w.zhang.pk, w.classifier.pk]},
    )
    _refused(r, "CR-12", before, seq)


@pytest.mark.parametrize("who", ["one", "same_twice", "requester", "uncleared"])
def test_r_cr_12_api_witness_refusals(world, who):
    w = world
    c = receive(w, level=Level.CONFIDENTIAL)
    dlist = approved_list(w, [c])
    ids = {
        "one": [w.zhang.pk],
        "same_twice": [w.zhang.pk, w.zhang.pk],
        "requester": [w.clerk.pk, w.zhang.pk],
        "uncleared": [w.zhang.pk, w.wang.pk],
    }[who]
    before, seq = _before(), last_seq()
    r = api_as(w, w.clerk).post(
        f"destruction-lists/{dlist.pk}/destroy",
        {"method": "shred", "place": MILL, "witness_ids": ids},
    )
    _refused(r, "CR-12", before, seq)


def test_r_cr_12_api_wrong_method_for_top_secret_is_refused(world):
    w = world
    c = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    dlist = approved_list(w, [c])
    from baomi.org import actions as org

    other = org.set_clearance(
        w.system, org.create_person(w.system, w.unit, name="周监销", department=w.office), "core"
    )
    before, seq = _before(), last_seq()
    r = api_as(w, w.clerk).post(
        f"destruction-lists/{dlist.pk}/destroy",
        {"method": "shred", "place": MILL, "witness_ids": [w.leader.pk, other.pk]},
    )
    _refused(r, "CR-12", before, seq)


def test_api_bad_input_is_422_and_unknown_list_is_404(world):
    w = world
    api = api_as(w, w.clerk)
    assert_error(api.post("destruction-lists", {"carrier_ids": []}), 422, "invalid")
    assert_error(api.post("destruction-lists", {"carrier_ids": [999999]}), 404, "not_found")
    assert_error(api.get("destruction-lists/999999"), 404, "not_found")
    c = receive(w)
    dlist = approved_list(w, [c])
    r = api.post(
        f"destruction-lists/{dlist.pk}/destroy",
        {"method": "fax", "place": MILL, "witness_ids": [w.zhang.pk, w.classifier.pk]},
    )
    assert_error(r, 422, "invalid")
    # Staff and system roles do not see lists.
    assert_error(api_as(w, w.li).get(f"destruction-lists/{dlist.pk}"), 404, "not_found")
    assert api_as(w, w.auditor).get("destruction-lists").json()["count"] == 0
