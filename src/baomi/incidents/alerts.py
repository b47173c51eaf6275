"""INC-1: the 24-hour clock to the report to the 保密行政管理部门, shown to the unit's 保密员."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from baomi.incidents.selectors import incidents_visible_to
from baomi.lib.alerts import Alert, provider


@provider
def incident_report_due(person, today: date) -> list[Alert]:
    if person is None or not person.is_registry_clerk:
        return []
    now = timezone.now()
    rows = incidents_visible_to(person).filter(
        unit_id=person.unit_id, authority_reported_at__isnull=True
    )
    alerts = []
    for incident in rows.order_by("discovered_at")[:200]:
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
