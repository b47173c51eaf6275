"""Bad input to every POST endpoint of `meetings`: 422 `invalid` naming the field, nothing
changed. `CASES` is also read by tests/api (every POST endpoint has a bad-input case)."""

from __future__ import annotations

import pytest

from baomi.meetings.models import Attendee, Meeting, MeetingPaper
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.meetings.helpers import new_meeting

pytestmark = pytest.mark.django_db

# template → (who, body, fields named in the 422)
CASES = {
    "meetings": (
        "clerk",
        {"title": "", "level": "internal", "venue": "x", "starts_at": "明天", "organiser_id": 0},
        ["title", "level", "starts_at", "organiser_id"],
    ),
    "meetings/{meeting_id}/attendees": (
        "clerk",
        {"person_ids": ["a"], "request_id": 0},
        ["person_ids.0", "request_id"],
    ),
    "meetings/{meeting_id}/submit": (
        "clerk",
        {"approver_id": "x", "reason": 5},
        ["approver_id", "reason"],
    ),
    "meetings/{meeting_id}/attendee-requests": (
        "clerk",
        {"person_ids": [], "approver_id": 1, "reason": ""},
        ["person_ids", "reason"],
    ),
    "meetings/{meeting_id}/checklist": (
        "clerk",
        {"equipment_checked": "maybe", "not_to_record": "录" * 501},
        ["equipment_checked", "no_wireless_mics", "not_to_record"],
    ),
    "meetings/{meeting_id}/papers": (
        "clerk",
        {"title": "", "doc_date": 0, "level": "ultra", "source": "copy", "place_id": 1},
        ["title", "level", "source"],
    ),
    "meetings/{meeting_id}/minutes": (
        "clerk",
        {"title": "纪要", "doc_date": "2026-13-01", "level": "secret", "source": "received"},
        ["doc_date", "place_id"],
    ),
    "meetings/{meeting_id}/papers/hand-out": (
        "clerk",
        {"assignments": [{"carrier_id": "a"}]},
        ["assignments.0.carrier_id", "assignments.0.person_id"],
    ),
    "meetings/{meeting_id}/papers/collect": ("clerk", {"carrier_ids": []}, ["carrier_ids"]),
    "meetings/{meeting_id}/close": ("clerk", {"when": "now"}, ["when"]),
    "meetings/{meeting_id}/cancel": ("clerk", {"reason": ""}, ["reason"]),
}


def my_state() -> dict:
    models = (Meeting, Attendee, MeetingPaper)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    meeting = new_meeting(world)
    who, body, fields = CASES[template]
    client = api_as(world, getattr(world, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template.format(meeting_id=meeting.pk), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
