"""Bad input to every personnel POST endpoint: 422 `invalid` naming the field, nothing changed."""

from __future__ import annotations

import pytest

from baomi.personnel import actions as personnel
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.personnel.helpers import hire, personnel_state, today, vet_and_commit, with_head

# template → (who, body, fields named in the 422)
CASES = {
    "people/{person_id}/clearance-decisions": (
        "zhang",
        {"clearance": "ultra", "highest_level": "secret", "reason": ""},
        ["clearance", "reason"],
    ),
    "clearance-decisions/{decision_id}/check": ("classifier", {"comment": 5}, ["comment"]),
    "clearance-decisions/{decision_id}/approve": ("leader", {"oops": 1}, ["oops"]),
    "clearance-decisions/{decision_id}/reject": ("leader", {"reason": ""}, ["reason"]),
    "people/{person_id}/vettings": (
        "clerk",
        {"on": "2026-02-30", "result": "ok"},
        ["on", "result"],
    ),
    "people/{person_id}/commitments": (
        "clerk",
        {"kind": "x", "signed_on": "x"},
        ["kind", "signed_on"],
    ),
    "people/{person_id}/trainings": (
        "clerk",
        {"on": "2026-01-01", "hours": -1, "subject": "", "score": 101},
        ["hours", "subject", "score"],
    ),
    "people/{person_id}/departures": (
        "clerk",
        {"kind": "fired", "end_date": "x"},
        ["kind", "end_date", "reason"],
    ),
    "departures/{departure_id}/reminder-talk": ("clerk", {}, ["on"]),
    "departures/{departure_id}/devices-returned": ("clerk", {"on": "x"}, ["on", "note"]),
    "departures/{departure_id}/complete": ("clerk", {"x": 1}, ["x"]),
    "departures/{departure_id}/extend": ("clerk", {"until": "x"}, ["until", "reason"]),
    "people/{person_id}/moves": (
        "clerk",
        {"kind": "fly", "approver_id": 0},
        ["kind", "reason", "approver_id"],
    ),
    "moves/{move_id}/complete": ("clerk", {"signed_on": "x"}, ["signed_on", "note"]),
    "people/{person_id}/travels": (
        "zhang",
        {
            "destination": "",
            "depart_on": "x",
            "return_on": "2026-01-01",
            "purpose": "p",
            "approver_id": "a",
        },
        ["destination", "depart_on", "approver_id"],
    ),
    "travels/{travel_id}/briefing": ("clerk", {"on": "tomorrow"}, ["on"]),
    "travels/{travel_id}/exit": ("zhang", {}, ["on"]),
    "travels/{travel_id}/report": ("zhang", {"on": "2026-01-01", "report": ""}, ["report"]),
}


@pytest.fixture
def scene(world):
    w = with_head(world)
    p = hire(w)
    vet_and_commit(w, p)
    decision = personnel.propose_clearance(
        w.zhang, p, clearance="important", highest_level="secret", reason="机要"
    )
    departure = personnel.start_departure(
        w.clerk, w.li, kind="retirement", end_date=today(), reason="退休"
    )
    travel = personnel.request_travel(
        w.zhang,
        w.zhang,
        destination="新加坡",
        depart_on=today(),
        return_on=today(),
        purpose="旅游",
        approver=w.leader,
    )
    ids = {
        "person_id": p.pk,
        "decision_id": decision.pk,
        "departure_id": departure.pk,
        "move_id": 1,
        "travel_id": travel.pk,
    }
    return w, ids


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(scene, template):
    w, ids = scene
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    before, people_before = ledger_state(), personnel_state()
    response = client.post(template.format(**ids), body)
    assert_invalid(response, *fields)  # the body is checked before any id is looked up
    assert ledger_state() == before and personnel_state() == people_before
