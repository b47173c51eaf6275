"""Builders for meeting tests: people per clearance, a meeting, its approval, its papers."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.registration import Registration
from baomi.classification.choices import Level
from baomi.meetings import actions
from baomi.meetings.choices import ATTENDEES_KIND, MEETING_KIND
from baomi.org import actions as org
from tests.factories import person


def grant_meeting_authority(w) -> None:
    """The leader approves meetings and attendee changes up to 绝密 (APR-2)."""
    for kind in (MEETING_KIND, ATTENDEES_KIND):
        org.grant_approval_authority(w.system, w.leader, kind, Level.TOP_SECRET)


def extra_people(w):
    """Two more 重要 staff of 办公室秘书科 (the world has zhang 重要, li 一般, wang 非涉密)."""
    zhou = person(w.system, w.unit, "周六", w.office, "important", "zhouliu")
    wu = person(w.system, w.unit, "吴七", w.office, "core", "wuqi")
    return zhou, wu


def new_meeting(w, *, level=Level.SECRET, organiser=None, title="年度保密工作部署会"):
    return actions.create_meeting(
        w.clerk,
        title=title,
        level=level,
        venue="三楼保密会议室",
        starts_at=timezone.now() + timedelta(hours=1),
        organiser=organiser or w.clerk,
    )


def approve_meeting(w, meeting):
    meeting = actions.submit_for_approval(w.clerk, meeting, approver=w.leader)
    approvals.approve(w.leader, meeting.request, comment="同意")
    meeting.refresh_from_db()
    return meeting


def paper_registration(w, *, copies=5, level=Level.SECRET) -> Registration:
    """Papers received from the provincial office for the meeting (收文)."""
    return Registration(
        kind=CarrierKind.MEETING_PAPER,
        title="会议材料",
        doc_date=date(2026, 1, 5),
        level=level,
        source=Source.RECEIVED,
        place=w.safe if level == Level.TOP_SECRET else w.cabinet,
        copies=copies,
        issuer="XX省保密局",
        doc_number="X保发〔2026〕3号",
    )
