"""Classified meetings through the actions: MTG-1 (attendees cleared, list grows only with
approval), MTG-2 (checklist), MTG-3 (papers per attendee, recalled, the list of those not back)."""

from __future__ import annotations

import pytest

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestStatus
from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carrier_actions
from baomi.carriers.choices import CarrierKind, EventKind, Status
from baomi.carriers.models import CustodyEvent
from baomi.classification.choices import Level
from baomi.lib.errors import InvalidState
from baomi.meetings import actions
from baomi.meetings.choices import MeetingState, PaperRole
from baomi.meetings.selectors import meetings_visible_to, not_returned
from tests.factories import refused
from tests.meetings.helpers import (
    approve_meeting,
    extra_people,
    grant_meeting_authority,
    new_meeting,
    paper_registration,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    grant_meeting_authority(world)
    return world


def test_r_mtg_1_uncleared_attendee_refused(w):
    meeting = new_meeting(w, level=Level.SECRET)
    # 李四 is 一般: covers 秘密 only, not a 机密 meeting.
    with refused("MTG-1"):
        actions.add_attendees(w.clerk, meeting, [w.li])
    with refused("MTG-1"):
        actions.add_attendees(w.clerk, meeting, [w.wang])
    with refused("MTG-1"):
        actions.add_attendees(w.clerk, meeting, [w.sysadmin])
    assert meeting.attendees.count() == 0


def test_r_mtg_1_one_refusal_adds_nobody(w):
    meeting = new_meeting(w)
    with refused("MTG-1"):
        actions.add_attendees(w.clerk, meeting, [w.zhang, w.li])
    assert meeting.attendees.count() == 0


def test_r_mtg_1_list_grows_after_approval_only_with_a_new_approval(w):
    zhou, wu = extra_people(w)
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang, zhou])
    meeting = approve_meeting(w, meeting)
    assert meeting.state == MeetingState.APPROVED

    with refused("MTG-1"):
        actions.add_attendees(w.clerk, meeting, [wu])

    request = actions.request_attendees(
        w.clerk, meeting, [wu], approver=w.leader, reason="增加分管领导列席"
    )
    assert request.get_kind_display() == "涉密会议增加参会人员"
    assert "吴七" in request.proposed_change_text
    # Not approved yet: still refused, with the rule of the kind.
    with refused("MTG-1"):
        actions.add_attendees(w.clerk, meeting, [wu], approval=request)
    approvals.approve(w.leader, request)
    # The approval names 吴七 only: 孙定密 (重要) is not covered (APR-3).
    with refused("APR-3"):
        actions.add_attendees(w.clerk, meeting, [w.classifier], approval=request)
    actions.add_attendees(w.clerk, meeting, [wu], approval=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.CONSUMED
    assert set(meeting.attendees.values_list("person__name", flat=True)) == {
        "张三",
        "周六",
        "吴七",
    }
    # Used once: it cannot add anyone else.
    with refused("APR-3"):
        actions.add_attendees(w.clerk, meeting, [w.classifier], approval=request)


def test_r_mtg_1_request_for_uncleared_person_refused_up_front(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang])
    meeting = approve_meeting(w, meeting)
    with refused("MTG-1"):
        actions.request_attendees(w.clerk, meeting, [w.li], approver=w.leader, reason="列席")


def test_r_mtg_1_list_frozen_while_pending(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang])
    actions.submit_for_approval(w.clerk, meeting, approver=w.leader)
    with pytest.raises(InvalidState):
        actions.add_attendees(w.clerk, meeting, [w.classifier])


def test_r_apr_2_approver_must_cover_the_meeting_level(w):
    from baomi.org import actions as org

    meeting = new_meeting(w, level=Level.TOP_SECRET)
    actions.add_attendees(w.clerk, meeting, [w.leader])
    org.grant_approval_authority(w.system, w.classifier, "meeting", Level.TOP_SECRET)
    # 孙定密 is 重要: not cleared for 绝密, so cannot approve a 绝密 meeting (APR-2).
    with refused("APR-2"):
        actions.submit_for_approval(w.clerk, meeting, approver=w.classifier)


def test_r_mtg_1_papers_not_handed_out_before_approval(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang])
    papers = actions.register_papers(w.clerk, meeting, paper_registration(w, copies=1))
    with refused("MTG-1"):
        actions.hand_out(w.clerk, meeting, [(papers[0], w.zhang)])


def test_r_mtg_1_paper_above_meeting_level_refused(w):
    meeting = new_meeting(w, level=Level.CONFIDENTIAL)
    actions.add_attendees(w.clerk, meeting, [w.li])
    with refused("MTG-1"):
        actions.register_papers(w.clerk, meeting, paper_registration(w, level=Level.SECRET))


def test_mtg_2_checklist_recorded_and_audited(w):
    meeting = new_meeting(w)
    assert not meeting.checklist_complete
    actions.record_checklist(
        w.clerk,
        meeting,
        equipment_checked=True,
        no_wireless_mics=True,
        phones_collected=True,
        attendees_briefed=True,
        not_to_record="第三项议题不得记录",
    )
    meeting.refresh_from_db()
    assert meeting.checklist_complete and meeting.checked_by == w.clerk
    event = AuditEvent.objects.filter(event_type="meeting.checklist").get()
    assert event.after["phones_collected"] is True
    assert "第三项" not in str(event.after)  # what may not be recorded stays out of the trail


def test_meeting_five_attendees_papers_recall_list(w):
    """The issue's meeting: five attendees, one not cleared (refused), papers handed out with
    copy numbers, two not returned → the recall list names them and who holds them; returning
    them clears it."""
    zhou, wu = extra_people(w)
    meeting = new_meeting(w, level=Level.SECRET)
    cleared = [w.zhang, zhou, wu, w.classifier]
    actions.add_attendees(w.clerk, meeting, cleared)
    with refused("MTG-1"):
        actions.add_attendees(w.clerk, meeting, [w.li])  # the fifth: 一般, not cleared for 机密
    assert meeting.attendees.count() == 4

    meeting = approve_meeting(w, meeting)
    papers = actions.register_papers(w.clerk, meeting, paper_registration(w, copies=4))
    assert [c.copy_no for c in papers] == [1, 2, 3, 4]
    assert {c.kind for c in papers} == {CarrierKind.MEETING_PAPER}
    assert len({c.number for c in papers}) == 1

    handed = actions.hand_out(w.clerk, meeting, actions.one_per_attendee(meeting))
    assert [(p.carrier.copy_no, p.handed_to.name) for p in handed] == [
        (1, "张三"),
        (2, "周六"),
        (3, "吴七"),
        (4, "孙定密"),
    ]
    for carrier in papers:
        carrier.refresh_from_db()
        assert carrier.status == Status.CIRCULATING
    # Custody is the carriers': one 传阅 event per copy, nothing else.
    assert CustodyEvent.objects.filter(kind=EventKind.CIRCULATE).count() == 4

    # Two come back at the end; 周六 and 孙定密 leave with theirs.
    actions.collect(w.clerk, meeting, [papers[0], papers[2]])
    actions.close_meeting(w.clerk, meeting)
    missing = not_returned(meeting)
    assert [(p.carrier.label, p.carrier.holder.name) for p in missing] == [
        (papers[1].label, "周六"),
        (papers[3].label, "孙定密"),
    ]
    close = AuditEvent.objects.filter(event_type="meeting.close").get()
    assert close.after["not_returned"] == [papers[1].label, papers[3].label]

    # One through the meeting's collect, one through the ordinary 归还: both clear it.
    actions.collect(w.clerk, meeting, [papers[1]])
    carrier_actions.return_to_registry(w.clerk, papers[3])
    assert not_returned(meeting) == []


def test_r_mtg_3_papers_only_to_attendees(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang])
    meeting = approve_meeting(w, meeting)
    papers = actions.register_papers(w.clerk, meeting, paper_registration(w, copies=2))
    with refused("MTG-3"):
        actions.hand_out(w.clerk, meeting, [(papers[1], w.classifier)])


def test_r_mtg_3_attendee_holding_papers_cannot_be_removed(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang, w.classifier])
    meeting = approve_meeting(w, meeting)
    papers = actions.register_papers(w.clerk, meeting, paper_registration(w, copies=1))
    actions.hand_out(w.clerk, meeting, [(papers[0], w.zhang)])
    with refused("MTG-3"):
        actions.remove_attendee(w.clerk, meeting, w.zhang)
    with refused("MTG-3"):
        actions.cancel_meeting(w.clerk, meeting, reason="改期")


def test_minutes_registered_as_carriers(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang])
    minutes = actions.register_minutes(w.clerk, meeting, paper_registration(w, copies=1))
    assert minutes[0].meeting_paper.role == PaperRole.MINUTES
    assert minutes[0].status == Status.IN_REGISTRY


def test_meetings_visible_only_to_their_people(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang])
    assert meeting in meetings_visible_to(w.clerk)
    assert meeting in meetings_visible_to(w.zhang)
    assert meeting not in meetings_visible_to(w.classifier)
    assert not meetings_visible_to(w.auditor).exists()


def test_r_mtg_1_cancelled_meeting_cannot_be_approved(w):
    meeting = new_meeting(w)
    actions.add_attendees(w.clerk, meeting, [w.zhang])
    meeting = actions.submit_for_approval(w.clerk, meeting, approver=w.leader)
    actions.cancel_meeting(w.clerk, meeting, reason="改期")
    with pytest.raises(InvalidState):
        approvals.approve(w.leader, meeting.request)
