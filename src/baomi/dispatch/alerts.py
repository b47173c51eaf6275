"""Alerts: recall due per issuer (CR-10 REMIND), for the unit's registry clerks."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.urls import reverse

from baomi.carriers.policies import is_clerk_of
from baomi.dispatch.recall import recall_counts
from baomi.lib.alerts import Alert, provider

SOON_DAYS = 14


@provider
def recalls_due(person, today: date) -> list[Alert]:
    """One alert per issuer with carriers due for recall within two weeks (绝密: at once)."""
    if person is None or person.has_system_role or not is_clerk_of(person, person.unit_id):
        return []
    alerts = []
    for issuer, due, count in recall_counts(
        person.unit, today, within_days=SOON_DAYS, viewer=person
    ):
        if due < today:
            severity, when = "overdue", f"已于 {due:%Y-%m-%d} 到期"
        elif due == today:
            severity, when = "due_today", "今天到期"
        else:
            severity, when = "due_soon", f"{due:%Y-%m-%d} 到期"
        alerts.append(
            Alert(
                "recall_due",
                f"应清退{issuer} {count} 件（{when}）",
                reverse("dispatch:recalls") + f"?issuer={quote(issuer)}",
                severity=severity,
                due=due,
                rule_id="CR-10",
            )
        )
    return alerts
