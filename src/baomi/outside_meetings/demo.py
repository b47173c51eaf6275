"""Demo outside meetings, through the actions (CR-2): a paper brought back and declared, waiting
for the 保密员 to register it, and an attendance left undeclared past its 2 working days."""

from __future__ import annotations

from datetime import timedelta

from baomi.classification.choices import Level
from baomi.outside_meetings import actions


def load_outside_meetings_demo(demo) -> None:
    p, today = demo.people, demo.today
    declared = actions.record_attendance(
        p["zhang"],
        meeting_title="全省保密工作会议",
        organiser="XX省国家保密局",
        held_on=today - timedelta(days=1),
        level=Level.SECRET,
    )
    actions.declare_papers(
        p["zhang"],
        declared,
        [
            actions.PaperSpec(
                title="全省保密工作会议材料汇编",
                level=Level.SECRET,
                issuer="XX省国家保密局",
                original_copy_no="023",
                pages=46,
            )
        ],
    )
    actions.record_attendance(
        p["director"],
        meeting_title="全省机要工作座谈会",
        organiser="XX省委机要局",
        held_on=today - timedelta(days=10),
        level=Level.CONFIDENTIAL,
    )
