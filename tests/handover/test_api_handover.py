"""CR-13 through the API."""

from __future__ import annotations

from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.handover import actions as handover
from tests.api.helpers import api_as, assert_error, assert_refused, last_seq, ledger_state
from tests.factories import receive
from tests.lifecycle import my_state


def _holding(w, person, copies=2):
    made = receive(w, copies=copies, level=Level.CONFIDENTIAL)
    made = made if isinstance(made, list) else [made]
    for c in made:
        carriers.circulate(w.clerk, c, person)
    return made


def test_api_handover_flow(world):
    w = world
    made = _holding(w, w.li)
    r = api_as(w, w.clerk).post("handovers", {"person_id": w.li.pk, "receiver_id": w.zhang.pk})
    assert r.status_code == 201, r.content
    hid = r.json()["id"]
    assert sorted(x["id"] for x in r.json()["carriers"]) == sorted(c.pk for c in made)
    assert api_as(w, w.li).post(f"handovers/{hid}/confirm").status_code == 200
    assert api_as(w, w.zhang).post(f"handovers/{hid}/confirm").status_code == 200
    r = api_as(w, w.clerk).post(f"handovers/{hid}/complete")
    assert r.status_code == 200 and r.json()["status"] == "done"
    for c in made:
        c.refresh_from_db()
        assert c.holder == w.zhang


def test_r_cr_13_api_change_post_while_holding_is_refused(world):
    w = world
    made = _holding(w, w.zhang)
    before, mine, seq = ledger_state(), my_state(), last_seq()
    r = api_as(w, w.secadmin).post(
        f"people/{w.zhang.pk}/change-post", {"department_id": w.finance.pk, "post": "会计"}
    )
    error = assert_refused(r, "CR-13", before, seq)
    assert error["detail"]["carriers"] == [c.label for c in made]
    assert my_state() == mine
    w.zhang.refresh_from_db()
    assert w.zhang.department == w.office


def test_r_cr_13_api_complete_without_both_signatures_is_refused(world):
    w = world
    _holding(w, w.li)
    h = handover.open_handover(w.clerk, w.li, w.zhang)
    handover.confirm(w.zhang, h)
    before, mine, seq = ledger_state(), my_state(), last_seq()
    r = api_as(w, w.clerk).post(f"handovers/{h.pk}/complete")
    assert_refused(r, "CR-13", before, seq)
    assert my_state() == mine


def test_r_per_1_api_receiver_not_allowed_to_hold_is_refused(world):
    w = world
    _holding(w, w.li)
    before, mine, seq = ledger_state(), my_state(), last_seq()
    r = api_as(w, w.clerk).post("handovers", {"person_id": w.li.pk, "receiver_id": w.wang.pk})
    assert_refused(r, "PER-1", before, seq)
    assert my_state() == mine


def test_api_handover_bad_input(world):
    w = world
    api = api_as(w, w.clerk)
    assert_error(api.post("handovers", {"person_id": w.li.pk}), 422, "invalid")
    assert_error(
        api.post("handovers", {"person_id": w.li.pk, "receiver_id": 99999}), 404, "not_found"
    )
    assert_error(api.get("handovers/99999"), 404, "not_found")
    assert_error(api.post("people/99999/change-post", {}), 404, "not_found")
