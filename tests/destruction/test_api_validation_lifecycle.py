"""Bad input to the archive, destruction and handover endpoints: 422 naming the fields (or 404 for
a malformed id in the path), never a 500, and nothing changed."""

from __future__ import annotations

import pytest

from baomi.carriers import actions as carriers
from baomi.destruction import actions as destruction
from baomi.handover import actions as handover
from tests.api.helpers import api_as, assert_error, assert_invalid, ledger_state
from tests.factories import receive
from tests.lifecycle import dossier, my_state


@pytest.fixture
def scene(world):
    w = world
    c = receive(w)
    held = receive(w)
    carriers.circulate(w.clerk, held, w.zhang)
    d = dossier(w)
    dlist = destruction.create_list(w.clerk, [receive(w)])
    h = handover.open_handover(w.clerk, w.zhang, w.leader)
    return {
        "w": w,
        "c": c.pk,
        "d": d.pk,
        "l": dlist.pk,
        "h": h.pk,
        "item": dlist.items.get().carrier_id,
        "clerk": api_as(w, w.clerk),
        "secadmin": api_as(w, w.secadmin),
    }


# OpenAPI template → (who, concrete path, body or None for "no body: bad path id → 404", fields)
CASES = {
    "carriers/{c}/archive": ("clerk", "carriers/{c}/archive", {"dossier_id": "x"}, ["dossier_id"]),
    "carriers/{c}/retrieve": (
        "clerk",
        "carriers/{c}/retrieve",
        {"request_id": 0, "note": "x" * 501},
        ["request_id", "note"],
    ),
    "dossiers": ("clerk", "dossiers", {"number": "", "year": 1}, ["number", "title", "year"]),
    "retrievals": ("clerk", "retrievals", {"carrier_ids": []}, ["carrier_ids", "reason"]),
    "destruction-lists": ("clerk", "destruction-lists", {"carrier_ids": "a"}, ["carrier_ids"]),
    "destruction-lists/{list_id}/items": (
        "clerk",
        "destruction-lists/{l}/items",
        {"carrier_ids": [0]},
        ["carrier_ids.0"],
    ),
    "destruction-lists/{list_id}/items/{c}/check": (
        "clerk",
        "destruction-lists/{l}/items/abc/check",
        None,
        [],
    ),
    "destruction-lists/{list_id}/items/{c}/unlist": (
        "clerk",
        "destruction-lists/{l}/items/abc/unlist",
        None,
        [],
    ),
    "destruction-lists/{list_id}/submit": (
        "clerk",
        "destruction-lists/{l}/submit",
        {"approver_id": "boss"},
        ["approver_id"],
    ),
    "destruction-lists/{list_id}/destroy": (
        "clerk",
        "destruction-lists/{l}/destroy",
        {"method": "fax", "place": "", "witness_ids": "a"},
        ["method", "place", "witness_ids"],
    ),
    "handovers": ("clerk", "handovers", {"person_id": "x"}, ["person_id", "receiver_id"]),
    "handovers/{handover_id}/confirm": ("clerk", "handovers/abc/confirm", None, []),
    "handovers/{handover_id}/complete": ("clerk", "handovers/abc/complete", None, []),
    "handovers/{handover_id}/cancel": ("clerk", "handovers/abc/cancel", None, []),
    "people/{person_id}/change-post": (
        "secadmin",
        "people/{p}/change-post",
        {"department_id": "x", "post": "岗" * 101},
        ["department_id", "post"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_422_and_changes_nothing(scene, case):
    who, template, body, fields = CASES[case]
    path = template.format(
        c=scene["c"], l=scene["l"], h=scene["h"], p=scene["w"].zhang.pk, d=scene["d"]
    )
    before, mine = ledger_state(), my_state()
    if body is None:
        assert_error(scene[who].post(path, {}), 404, "not_found")
    else:
        assert_invalid(scene[who].post(path, body), *fields)
    assert ledger_state() == before
    assert my_state() == mine


# Every operation of this part as the OpenAPI schema names it (tests/api/test_api_openapi.py).
OPERATIONS = {
    *{("post", t.replace("{c}", "{carrier_id}")) for t in CASES},
    ("get", "dossiers"),
    ("get", "dossiers/movements"),
    ("get", "dossiers/{dossier_id}"),
    ("get", "destruction-lists"),
    ("get", "destruction-lists/{list_id}"),
    ("get", "destruction-lists/{list_id}/certificate.pdf"),
    ("get", "handovers"),
    ("get", "handovers/{handover_id}"),
}
