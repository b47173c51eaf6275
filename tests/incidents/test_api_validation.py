"""Bad input to every POST endpoint the incident workflow added (the report itself and its
authority report are in tests/devices): 422 `invalid` naming the field, nothing changed.
`CASES` is also read by tests/api (every POST endpoint has a bad-input case)."""

from __future__ import annotations

import pytest

from baomi.incidents.models import Drill, EmergencyPlan, Incident, IncidentEntry
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.incidents.helpers import loss, seat_committee

# template → (who, body, fields named in the 422)
CASES = {
    "incidents/{incident_id}/carriers": ("clerk", {"carrier_ids": []}, ["carrier_ids"]),
    "incidents/{incident_id}/confirm": (
        "clerk",
        {"still_missing_ids": ["x"], "note": 5},
        ["still_missing_ids.0", "note"],
    ),
    "incidents/{incident_id}/entries": ("clerk", {"kind": "gossip", "text": ""}, ["kind", "text"]),
    "incidents/{incident_id}/close": (
        "leader",
        {"cause": 5, "responsibility": ["x"], "responsible_person_id": "x"},
        ["cause", "responsibility", "responsible_person_id"],
    ),
    "incidents/emergency-plans": (
        "clerk",
        {"title": "", "version": "", "approved_on": "去年", "content_base64": "@@@"},
        ["title", "version", "approved_on"],
    ),
    "incidents/drills": (
        "clerk",
        {"held_on": "x", "scenario": "", "participant_ids": [], "findings": ""},
        ["held_on", "scenario", "participant_ids", "findings"],
    ),
}


def my_state() -> dict:
    models = (Incident, IncidentEntry, EmergencyPlan, Drill)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    w = world
    seat_committee(w)
    incident = loss(w)
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template.format(incident_id=incident.pk), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
