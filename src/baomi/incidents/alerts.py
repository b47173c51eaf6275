"""INC-1: the 24-hour clock to the report to the 保密行政管理部门, shown to those who answer for
the unit's incidents (保密办, head, committee); CR-14 drafts waiting for the 保密办."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from baomi.incidents.choices import IncidentState
from baomi.incidents.policies import may_handle, sees_whole_unit
from baomi.incidents.selectors import incidents_visible_to
from baomi.lib import clock
from baomi.lib.alerts import Alert, provider

MAX_ALERTS = 200


@provider
def incident_report_due(person, today: date) -> list[Alert]:
    if person is None or not sees_whole_unit(person, person.unit_id):
        return []
    now = clock.now()
    rows = incidents_visible_to(person).filter(
        unit_id=person.unit_id, authority_reported_at__isnull=True
    )
    alerts = []
    for incident in rows.exclude(state=IncidentState.CLOSED).order_by("discovered_at")[:MAX_ALERTS]:
        due = timezone.localtime(incident.report_due_at)
        late = incident.report_overdue(now)
        alerts.append(
            Alert(
                "incident_report_overdue" if late else "incident_report_due",
                f"{incident}（{incident.get_kind_display()}）"
                + (
                    f"已超过 24 小时未上报保密行政管理部门（应于 {due:%Y-%m-%d %H:%M} 前）（INC-1）"
                    if late
                    else f"须于 {due:%Y-%m-%d %H:%M} 前上报保密行政管理部门（INC-1）"
                ),
                reverse("incidents:detail", args=[incident.pk]),
                "overdue" if late else "due_today",
                due.date(),
                "INC-1",
                "incident",
                incident.pk,
            )
        )
    return alerts


@provider
def incident_drafts(person, today: date) -> list[Alert]:
    """CR-14: a count closed with items missing; the 保密办 confirms what is still missing."""
    if person is None or not may_handle(person, person.unit_id):
        return []
    rows = incidents_visible_to(person).filter(unit_id=person.unit_id, state=IncidentState.DRAFT)
    return [
        Alert(
            "incident_draft",
            f"{incident}：{incident.summary}，请复查并确认（CR-14）",
            reverse("incidents:detail", args=[incident.pk]),
            "due_today",
            timezone.localtime(incident.discovered_at).date(),
            "CR-14",
            "incident",
            incident.pk,
        )
        for incident in rows.order_by("discovered_at")[:MAX_ALERTS]
    ]
