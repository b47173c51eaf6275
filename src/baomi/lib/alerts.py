"""Alerts are queries over due dates, computed when asked (design.md) — no broker, no table.

Each app may define `<app>/alerts.py` with functions decorated by `@provider`; they are found
with Django's module autodiscovery. A provider takes the viewing person and today's date and
returns the alerts that person should act on (it must respect what the person may see).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.module_loading import autodiscover_modules

SEVERITY_ORDER = {"overdue": 0, "due_today": 1, "due_soon": 2, "info": 3}


@dataclass(frozen=True)
class Alert:
    kind: str  # a code, e.g. "loan_overdue"
    message: str  # Chinese, for people; never a carrier's title (labels and levels only)
    url: str  # where to act on it
    severity: str = "info"  # overdue | due_today | due_soon | info
    due: date | None = None
    rule_id: str = ""  # the rule that raises it, e.g. "CR-6"
    object_type: str = ""
    object_id: int | None = None


Provider = Callable[[object, date], Iterable[Alert]]
_providers: list[Provider] = []
_discovered = False


def provider(fn: Provider) -> Provider:
    """Register an alert provider (import-time; idempotent)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def alerts_for(person, today: date) -> list[Alert]:
    """Every alert for the person, most urgent first."""
    global _discovered
    if not _discovered:
        autodiscover_modules("alerts")
        _discovered = True
    found = [alert for fn in _providers for alert in fn(person, today)]
    return sorted(found, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), a.due or date.max))
