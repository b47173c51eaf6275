"""DEV-6: every internet computer is checked at least once a quarter. The 保密员 sees the unit's
computers with no check yet this quarter (due by the quarter's end), and overdue those whose
last quarter also passed without one."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from baomi.devices.models import Device
from baomi.devices.selectors import (
    internet_computers,
    previous_quarter_start,
    quarter_start,
    with_last_check,
)
from baomi.lib.alerts import Alert, provider

LIMIT = 200


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    following = (
        date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)
    )
    return following - timedelta(days=1)


@provider
def quarterly_checks(person, today: date) -> list[Alert]:
    if person is None or not person.is_registry_clerk or person.has_system_role:
        return []
    this_quarter, last_quarter = quarter_start(today), previous_quarter_start(today)
    rows = with_last_check(
        internet_computers(Device.objects.filter(unit_id=person.unit_id))
    ).select_related("responsible")
    alerts = []
    for device in rows.order_by("id")[:LIMIT]:
        last = timezone.localdate(device.last_checked) if device.last_checked else None
        if last is not None and last >= this_quarter:
            continue
        registered = timezone.localdate(device.registered_at)
        overdue = (last is None or last < last_quarter) and registered < this_quarter
        whose = f"（{device.responsible.name}）" if device.responsible_id else ""
        due = quarter_end(today)
        alerts.append(
            Alert(
                "device_check_overdue" if overdue else "device_check_due",
                f"互联网计算机 {device.number}{whose}"
                + (
                    f"上季度未做保密检查，已逾期（最近一次：{last or '从未检查'}）（DEV-6）"
                    if overdue
                    else f"本季度尚未做保密检查，请于 {due} 前完成（DEV-6）"
                ),
                reverse("devices:detail", args=[device.pk]),
                "overdue" if overdue else "due_soon",
                due,
                "DEV-6",
                "device",
                device.pk,
            )
        )
    return alerts
