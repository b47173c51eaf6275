"""Alerts of inspections: a rectification overdue or due within a week (INS-2), and an inspection
INS-1 requires that is not planned as its deadline nears (for the unit's 保密办)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from baomi.inspections.choices import RectificationStatus
from baomi.inspections.schedule import plan_of
from baomi.inspections.selectors import rectifications_visible_to
from baomi.lib.alerts import Alert, provider
from baomi.personnel.rules import is_office

SOON = 7
PLAN_AHEAD = 30
LIMIT = 200


@provider
def rectification_due(person, today: date) -> list[Alert]:
    rows = (
        rectifications_visible_to(person)
        .exclude(status=RectificationStatus.CLOSED)
        .filter(deadline__lte=today + timedelta(days=SOON))
        .order_by("deadline")[:LIMIT]
    )
    alerts = []
    for r in rows:
        late = r.deadline < today
        alerts.append(
            Alert(
                "rectification_overdue" if late else "rectification_due",
                f"{r.finding.inspection.unit.name}整改 #{r.pk}（责任人{r.owner.name}）"
                f"{'已超过' if late else '将到'}整改期限 {r.deadline}"
                f"{'，待验证' if r.status == RectificationStatus.SUBMITTED else ''}（INS-2）",
                reverse("inspections:rectification", args=[r.pk]),
                "overdue" if late else ("due_today" if r.deadline == today else "due_soon"),
                r.deadline,
                "INS-2",
                "rectification",
                r.pk,
            )
        )
    return alerts


@provider
def inspection_due(person, today: date) -> list[Alert]:
    if person is None or person.has_system_role or not is_office(person, person.unit_id):
        return []
    if person.is_automation:
        return []
    alerts = []
    for year in (today.year, today.year + 1):
        for req in plan_of(person.unit_id, year):
            if req.covered or req.due < today - timedelta(days=PLAN_AHEAD):
                continue
            if req.due > today + timedelta(days=PLAN_AHEAD):
                continue
            late = req.due < today
            alerts.append(
                Alert(
                    "inspection_missing" if late else "inspection_due",
                    f"{req.label}{'未安排' if late else '尚未安排'}，应于 {req.start} 至 {req.due} 间进行"
                    "（INS-1：每年至少两次，并在五一、国庆、春节前检查）",
                    reverse("inspections:list"),
                    "overdue" if late else "due_soon",
                    req.due,
                    "INS-1",
                    "unit",
                    person.unit_id,
                )
            )
    return alerts
