"""CR-2: an attendance without a declaration 2 working days after the meeting, and declared papers
waiting for the 保密员 to register them."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from baomi.lib.alerts import Alert, provider
from baomi.outside_meetings.selectors import (
    attendances_visible_to,
    papers_waiting,
    undeclared_overdue,
)

LIMIT = 200


@provider
def attendance_not_declared(person, today: date) -> list[Alert]:
    if person is None or person.has_system_role or not person.active:
        return []
    rows = attendances_visible_to(person).select_related("person")
    alerts = []
    for attendance, due in undeclared_overdue(rows, today, LIMIT):
        who = "您" if attendance.person_id == person.pk else attendance.person.name
        alerts.append(
            Alert(
                "outside_meeting_undeclared",
                f"{who}于 {attendance.held_on} 外出参加会议（{attendance}），至 {due} 仍未申报"
                "带回文件或申报未带回（CR-2）",
                reverse("outside_meetings:detail", args=[attendance.pk]),
                "overdue",
                due,
                "CR-2",
                "meetingattendance",
                attendance.pk,
            )
        )
    return alerts


@provider
def declared_papers_waiting(person, today: date) -> list[Alert]:
    if person is None or person.has_system_role or not person.active:
        return []
    return [
        Alert(
            "declared_paper_unregistered",
            f"外出会议带回文件 {paper.carrier.label} 已由{paper.carrier.holder.name}申报，"
            "待保密员登记后方可使用（CR-2）",
            reverse("outside_meetings:declared"),
            "due_today",
            paper.carrier.registered_at.date(),
            "CR-2",
            "carrier",
            paper.carrier_id,
        )
        for paper in papers_waiting(person)[:LIMIT]
    ]
