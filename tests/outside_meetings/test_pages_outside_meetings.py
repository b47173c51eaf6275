"""The pages of CR-2: 我的外出会议 (record, declare a paper or none) and the 保密员's list of
declared papers with its register action."""

from __future__ import annotations

import pytest

from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.outside_meetings.models import MeetingAttendance

pytestmark = pytest.mark.django_db


def _as(client, person):
    client.force_login(person.user)
    return client


def test_record_declare_and_register_through_the_pages(client, world):
    w = world
    c = _as(client, w.zhang)
    page = c.get("/outside-meetings/")
    assert page.status_code == 200 and "我的外出会议" in page.content.decode()
    made = c.post(
        "/outside-meetings/",
        {
            "meeting_title": "全省保密工作会议",
            "organiser": "XX省保密局",
            "held_on": "2026-09-30",
            "level": "secret",
        },
    )
    attendance = MeetingAttendance.objects.get()
    assert made.status_code == 302 and made.url == f"/outside-meetings/{attendance.pk}/"
    detail = c.get(made.url).content.decode()
    assert "2026-10-09" in detail  # 申报期限 across 国庆 2026
    declared = c.post(
        made.url,
        {
            "op": "paper",
            "title": "会议材料之一",
            "level": "secret",
            "kind": "meeting_paper",
            "pages": 3,
            "original_copy_no": "017",
        },
    )
    assert declared.status_code == 302
    paper = Carrier.objects.get()
    assert (paper.status, paper.holder) == (Status.DECLARED, w.zhang)
    assert "已申报带回文件" in c.get(made.url).content.decode()
    # Not the 保密员: no list to register from.
    assert c.get("/outside-meetings/declared/").status_code == 403

    clerk = _as(client, w.clerk)
    listing = clerk.get("/outside-meetings/declared/").content.decode()
    assert paper.label in listing and "张三" in listing
    registered = clerk.post(
        "/outside-meetings/declared/", {"carrier": paper.pk, "place": w.cabinet.pk}
    )
    assert registered.status_code == 302
    paper.refresh_from_db()
    assert (paper.status, paper.place) == (Status.IN_REGISTRY, w.cabinet)
    after = clerk.get("/outside-meetings/declared/").content.decode()
    assert f'data-carrier="{paper.pk}"' not in after and "没有待登记的带回文件" in after


def test_declare_none_and_others_attendances_are_not_found(client, world):
    w = world
    c = _as(client, w.zhang)
    c.post(
        "/outside-meetings/",
        {
            "meeting_title": "某会议",
            "organiser": "某单位",
            "held_on": "2026-11-02",
            "level": "confidential",
        },
    )
    attendance = MeetingAttendance.objects.get()
    assert c.post(f"/outside-meetings/{attendance.pk}/", {"op": "none"}).status_code == 302
    attendance.refresh_from_db()
    assert attendance.declared_none
    other = _as(client, w.li)
    assert other.get(f"/outside-meetings/{attendance.pk}/").status_code == 404


def test_a_refusal_shows_its_rule(client, world):
    """PER-1 on the page: a 一般 person declaring a 机密 paper sees the rule, nothing is made."""
    w = world
    c = _as(client, w.li)
    c.post(
        "/outside-meetings/",
        {
            "meeting_title": "某会议",
            "organiser": "某单位",
            "held_on": "2026-11-02",
            "level": "secret",
        },
    )
    attendance = MeetingAttendance.objects.get()
    response = c.post(
        f"/outside-meetings/{attendance.pk}/",
        {"op": "paper", "title": "材料", "level": "secret", "kind": "meeting_paper", "pages": 1},
    )
    assert response.status_code == 403 and "PER-1" in response.content.decode()
    assert not Carrier.objects.exists()
