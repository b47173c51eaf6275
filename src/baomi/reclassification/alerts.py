"""Alerts: periods ending within 90 days and the yearly review due (CL-9, 法23), unclear items
awaiting a decision (CL-14), and unread notices (CL-8, CL-13). A few queries each."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from baomi.lib.alerts import Alert, provider
from baomi.reclassification.selectors import (
    ENDING_WITHIN_DAYS,
    ending_soon,
    may_manage,
    notices_of,
    review_due_count,
    unclear_pending,
)


@provider
def classification_due(person, today: date) -> list[Alert]:
    if person is None or not may_manage(person, person.unit_id):
        return []
    alerts = []
    ending = ending_soon(person.unit_id, today).count()
    if ending:
        alerts.append(
            Alert(
                "period_ending",
                f"{ending} 件载体的保密期限将在 {ENDING_WITHIN_DAYS} 天内届满，请审核解密或延期（CL-9）",
                reverse("reclassification:periods"),
                "due_soon",
                None,
                "CL-9",
            )
        )
    due = review_due_count(person.unit_id, today)
    if due:
        alerts.append(
            Alert(
                "review_due",
                f"{due} 件载体超过一年未审核密级，须进行年度审核（CL-9，保密法第23条）",
                reverse("reclassification:reviews"),
                "due_soon",
                None,
                "CL-9",
            )
        )
    for item in unclear_pending(person.unit_id).order_by("deadline")[:100]:
        overdue = item.deadline < today
        alerts.append(
            Alert(
                "unclear_overdue" if overdue else "unclear_pending",
                f"载体 {item.carrier.label} 密级不明确，须于 {item.deadline} 前确定（CL-14）",
                reverse("reclassification:unclear"),
                "overdue" if overdue else ("due_today" if item.deadline == today else "due_soon"),
                item.deadline,
                "CL-14",
                "unclearitem",
                item.pk,
            )
        )
    return alerts


@provider
def unread_notices(person, today: date) -> list[Alert]:
    if person is None or person.has_system_role:
        return []
    unread = notices_of(person).filter(read_at__isnull=True).count()
    if not unread:
        return []
    return [
        Alert(
            "notice_unread",
            f"您有 {unread} 条未读的密级变更/知悉范围通知（CL-8）",
            reverse("reclassification:notices"),
            "info",
            None,
            "CL-8",
        )
    ]
