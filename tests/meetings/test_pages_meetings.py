"""Meeting pages: the register, a meeting, refusals shown with their rule id, exports."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from baomi.meetings import actions
from baomi.meetings.models import Attendee
from tests.meetings.helpers import (
    approve_meeting,
    grant_meeting_authority,
    new_meeting,
    paper_registration,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_(client):
    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


def test_meeting_pages_render(world, as_):
    meeting = new_meeting(world)
    client = as_(world.clerk)
    page = client.get("/meetings/")
    assert page.status_code == 200
    assert "年度保密工作部署会" in page.content.decode() and "涉密会议" in page.content.decode()
    detail = client.get(f"/meetings/{meeting.pk}/")
    assert detail.status_code == 200
    assert "会前保密检查" in detail.content.decode()
    # Someone not concerned: the meeting does not exist for them.
    assert as_(world.classifier).get(f"/meetings/{meeting.pk}/").status_code == 404


def test_r_mtg_1_uncleared_attendee_refused_on_the_page(world, as_):
    meeting = new_meeting(world)
    response = as_(world.clerk).post(
        f"/meetings/{meeting.pk}/", {"op": "add_attendees", "people": [world.li.pk]}
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-code="MTG-1"' in body and "李四" in body
    assert not Attendee.objects.exists()


def test_r_mtg_3_recall_list_on_the_page_and_exports(world, as_):
    grant_meeting_authority(world)
    meeting = new_meeting(world)
    actions.add_attendees(world.clerk, meeting, [world.zhang, world.classifier])
    meeting = approve_meeting(world, meeting)
    actions.register_papers(world.clerk, meeting, paper_registration(world, copies=2))
    client = as_(world.clerk)
    assert client.post(f"/meetings/{meeting.pk}/", {"op": "hand_out"}).status_code == 302
    body = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="recall-list"' in body and "张三" in body and "孙定密" in body
    xlsx = client.get(f"/meetings/{meeting.pk}/papers.xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "机密"  # the level banner
    assert [c.value for c in sheet[3]][:5] == [
        "统一编号-份号",
        "份号",
        "密级标志",
        "类别",
        "领取人",
    ]
    ledger = client.get("/meetings/export.xlsx")
    assert load_workbook(BytesIO(ledger.content)).active["A1"].value == "机密"
    assert client.get("/meetings/export.pdf").status_code == 200


def test_meeting_request_in_the_approvers_inbox_links_to_the_meeting(world, as_):
    grant_meeting_authority(world)
    meeting = new_meeting(world)
    actions.add_attendees(world.clerk, meeting, [world.zhang])
    meeting = actions.submit_for_approval(world.clerk, meeting, approver=world.leader)
    client = as_(world.leader)
    page = client.get(f"/requests/{meeting.request_id}/").content.decode()
    assert "涉密会议申请" in page and "张三" in page
    assert f'href="/meetings/{meeting.pk}/"' in page
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200  # the approver sees it
    approved = client.post(f"/requests/{meeting.request_id}/approve/", {"comment": "同意"})
    assert approved.status_code in (200, 302)
    meeting.refresh_from_db()
    assert meeting.is_approved
