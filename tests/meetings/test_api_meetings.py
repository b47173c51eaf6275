"""Meetings through the JSON API: MTG-1 and MTG-3 refusals (403 with the rule id, nothing changed,
the refusal audited), the approval via `requests/{id}/approve`, the recall list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.meetings.models import Attendee, MeetingPaper
from tests.api.helpers import (
    assert_conforms,
    assert_error,
    assert_invalid,
    assert_refusal_audited,
    last_seq,
    ledger_state,
)
from tests.meetings.helpers import extra_people, grant_meeting_authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    grant_meeting_authority(world)
    return world


def _create(api, w, level="secret"):
    response = api(w.clerk).post(
        "meetings",
        {
            "title": "年度保密工作部署会",
            "level": level,
            "venue": "三楼保密会议室",
            "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
            "organiser_id": w.clerk.pk,
        },
    )
    assert response.status_code == 201, response.content
    assert_conforms(response, "post", "meetings")
    return response.json()


def _state():
    return {
        **ledger_state(),
        "attendees": sorted(Attendee.objects.values_list("meeting_id", "person_id")),
        "papers": sorted(
            MeetingPaper.objects.values_list("carrier_id", "handed_to_id", "returned_at")
        ),
    }


def test_r_mtg_1_uncleared_attendee_refused_api(api, w):
    meeting = _create(api, w)
    before, seq = _state(), last_seq()
    response = api(w.clerk).post(f"meetings/{meeting['id']}/attendees", {"person_ids": [w.li.pk]})
    error = assert_error(response, 403, "MTG-1")
    assert "MTG-1" in error["message"] and "李四" in error["message"]
    assert _state() == before
    assert_refusal_audited("MTG-1", seq)


def test_r_mtg_1_growing_approved_list_needs_approval_api(api, w):
    zhou, wu = extra_people(w)
    meeting = _create(api, w)
    mid = meeting["id"]
    added = api(w.clerk).post(f"meetings/{mid}/attendees", {"person_ids": [w.zhang.pk, zhou.pk]})
    assert added.status_code == 200, added.content
    assert [a["person"]["name"] for a in added.json()["attendees"]] == ["张三", "周六"]
    submitted = api(w.clerk).post(f"meetings/{mid}/submit", {"approver_id": w.leader.pk})
    assert submitted.json()["state"] == "pending"
    request_id = submitted.json()["request_id"]
    # The engine's own endpoint approves it; the kind is named in Chinese.
    shown = api(w.leader).get(f"requests/{request_id}")
    assert shown.json()["kind_display"] == "涉密会议"
    assert api(w.leader).post(f"requests/{request_id}/approve", {}).status_code == 200
    assert api(w.clerk).get(f"meetings/{mid}").json()["state"] == "approved"

    before, seq = _state(), last_seq()
    refused = api(w.clerk).post(f"meetings/{mid}/attendees", {"person_id": wu.pk})
    assert_error(refused, 403, "MTG-1")
    assert _state() == before
    assert_refusal_audited("MTG-1", seq)

    asked = api(w.clerk).post(
        f"meetings/{mid}/attendee-requests",
        {"person_ids": [wu.pk], "approver_id": w.leader.pk, "reason": "分管领导列席"},
    )
    assert asked.status_code == 201, asked.content
    change_id = asked.json()["id"]
    assert api(w.leader).post(f"requests/{change_id}/approve", {}).status_code == 200
    grown = api(w.clerk).post(
        f"meetings/{mid}/attendees", {"person_ids": [wu.pk], "request_id": change_id}
    )
    assert grown.status_code == 200, grown.content
    assert len(grown.json()["attendees"]) == 3


def test_r_mtg_3_papers_recalled_api(api, w):
    zhou, _ = extra_people(w)
    meeting = _create(api, w)
    mid = meeting["id"]
    api(w.clerk).post(f"meetings/{mid}/attendees", {"person_ids": [w.zhang.pk, zhou.pk]})
    request_id = (
        api(w.clerk)
        .post(f"meetings/{mid}/submit", {"approver_id": w.leader.pk})
        .json()["request_id"]
    )
    api(w.leader).post(f"requests/{request_id}/approve", {})
    papers = api(w.clerk).post(
        f"meetings/{mid}/papers",
        {
            "title": "会议材料",
            "doc_date": "2026-01-05",
            "level": "secret",
            "source": "received",
            "place_id": w.cabinet.pk,
            "copies": 2,
            "issuer": "XX省保密局",
        },
    )
    assert papers.status_code == 201, papers.content
    assert [p["copy_no"] for p in papers.json()] == [1, 2]
    first, second = (p["carrier_id"] for p in papers.json())

    # MTG-3: a paper goes only to an attendee.
    before, seq = _state(), last_seq()
    refused = api(w.clerk).post(
        f"meetings/{mid}/papers/hand-out",
        {"assignments": [{"carrier_id": first, "person_id": w.classifier.pk}]},
    )
    assert_error(refused, 403, "MTG-3")
    assert _state() == before
    assert_refusal_audited("MTG-3", seq)

    handed = api(w.clerk).post(f"meetings/{mid}/papers/hand-out", {})
    assert handed.status_code == 200, handed.content
    assert [(p["copy_no"], p["handed_to"]["name"]) for p in handed.json()] == [
        (1, "张三"),
        (2, "周六"),
    ]
    api(w.clerk).post(f"meetings/{mid}/papers/collect", {"carrier_ids": [first]})
    # MTG-3: an attendee still holding a paper is not taken off the list.
    assert_error(api(w.clerk).delete(f"meetings/{mid}/attendees/{zhou.pk}"), 403, "MTG-3")
    assert api(w.clerk).post(f"meetings/{mid}/close").status_code == 200
    recall = api(w.clerk).get(f"meetings/{mid}/papers/not-returned")
    assert_conforms(recall, "get", "meetings/{meeting_id}/papers/not-returned")
    body = recall.json()
    assert body["complete"] is False
    assert [(p["carrier_id"], p["holder"]["name"]) for p in body["not_returned"]] == [
        (second, "周六")
    ]
    back = api(w.clerk).post(f"meetings/{mid}/papers/collect", {"carrier_ids": [second]})
    assert back.status_code == 200
    assert api(w.clerk).get(f"meetings/{mid}/papers/not-returned").json() == {
        "meeting_id": mid,
        "complete": True,
        "not_returned": [],
    }


def test_meeting_not_visible_is_404(api, w):
    meeting = _create(api, w)
    assert_error(api(w.classifier).get(f"meetings/{meeting['id']}"), 404, "not_found")
    assert_error(api(w.auditor).get(f"meetings/{meeting['id']}"), 404, "not_found")
    assert api(w.auditor).get("meetings").json()["count"] == 0


def test_meeting_input_validated(api, w):
    response = api(w.clerk).post(
        "meetings",
        {
            "title": "",
            "level": "public",
            "venue": "x",
            "starts_at": "soon",
            "organiser_id": w.clerk.pk,
        },
    )
    assert_invalid(response, "title", "level", "starts_at")


def test_delete_api_client_supports_attendee_removal(api, w):
    meeting = _create(api, w)
    api(w.clerk).post(f"meetings/{meeting['id']}/attendees", {"person_id": w.zhang.pk})
    removed = api(w.clerk).delete(f"meetings/{meeting['id']}/attendees/{w.zhang.pk}")
    assert removed.status_code == 200
    assert removed.json()["attendees"] == []


def test_sec_4_reading_a_secret_meeting_is_audited(api, w):
    from baomi.audit.models import AuditEvent

    meeting = _create(api, w, level="secret")
    assert api(w.clerk).get(f"meetings/{meeting['id']}").status_code == 200
    read = AuditEvent.objects.filter(event_type="meeting.read", object_id=meeting["id"]).get()
    assert read.outcome == "read" and read.actor_id == w.clerk.pk
    assert "年度" not in read.object_text  # the title stays out of the trail
