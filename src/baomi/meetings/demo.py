"""Demo meetings, through the actions: a 机密 meeting held today whose papers are not all back
(the recall list and its alert), and a 秘密 meeting being prepared for next week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.registration import Registration
from baomi.classification.choices import Level
from baomi.meetings import actions
from baomi.meetings.choices import ATTENDEES_KIND, MEETING_KIND
from baomi.org import actions as org


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_meetings_demo(demo) -> None:
    p, clerk, today = demo.people, demo.people["clerk"], demo.today
    for kind in (MEETING_KIND, ATTENDEES_KIND):
        org.grant_approval_authority(demo.system, p["leader"], kind, Level.TOP_SECRET)

    held = actions.create_meeting(
        clerk,
        title="全市保密工作会议",
        level=Level.SECRET,
        venue="三楼保密会议室",
        starts_at=timezone.now() - timedelta(hours=2),
        organiser=p["director"],
    )
    actions.add_attendees(clerk, held, [p["director"], p["zhang"], p["wu"], p["liu"]])
    held = actions.submit_for_approval(clerk, held, approver=p["leader"])
    approvals.approve(p["leader"], held.request, comment="同意")
    actions.record_checklist(
        clerk,
        held,
        equipment_checked=True,
        no_wireless_mics=True,
        phones_collected=True,
        attendees_briefed=True,
        not_to_record="第三项议题不得记录、录音",
    )
    papers = actions.register_papers(
        clerk,
        held,
        Registration(
            kind=CarrierKind.MEETING_PAPER,
            title="全市保密工作会议材料",
            doc_date=today,
            level=Level.SECRET,
            source=Source.RECEIVED,
            place=demo.places["机要室文件柜B"],
            copies=4,
            issuer="XX省保密局",
            doc_number="X保发〔2026〕12号",
        ),
    )
    actions.hand_out(clerk, held, actions.one_per_attendee(held))
    actions.collect(clerk, held, papers[:3])
    actions.close_meeting(clerk, held)  # copy 4 is still with 刘洋: on the recall list

    planned = actions.create_meeting(
        clerk,
        title="保密检查工作部署会",
        level=Level.CONFIDENTIAL,
        venue="二楼小会议室",
        starts_at=_at(today + timedelta(days=7), 9),
        organiser=p["director"],
    )
    actions.add_attendees(clerk, planned, [p["director"], p["li"], p["he"]])
