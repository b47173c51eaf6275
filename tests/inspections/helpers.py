"""Builders for inspection tests: a clock, an overdue loan in the ledger, the superior unit's
保密员, and a planned self-inspection led by the 保密员."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.inspections import actions
from baomi.inspections.choices import InspectionKind
from baomi.org import actions as org
from tests.factories import approved, person, receive

TZ = ZoneInfo("Asia/Shanghai")
START = date(2026, 3, 2)


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def overdue_loan(w, *, title="关于某项工作的通知"):
    """A 机密 carrier lent to 张三 on START, due 3 days later (call this at START)."""
    carrier = receive(w, level=Level.SECRET, title=title)
    request = approved(w, RequestKind.LOAN, [carrier], due=START + timedelta(days=3))
    carriers.lend(w.clerk, carrier, request)
    return carrier


def province_clerk(w):
    system = org.automation_actor(w.province)
    return person(
        system, w.province, "周省保密", None, "core", "shengbaomi", roles=("is_registry_clerk",)
    )


def self_inspection(w, actor=None, *, planned_on=None, **extra):
    actor = actor or w.clerk
    return actions.plan_inspection(
        actor,
        actions.PlanForm(
            unit=extra.pop("unit", actor.unit),
            kind=extra.pop("kind", InspectionKind.SELF),
            title=extra.pop("title", "2026年上半年保密自查"),
            planned_on=planned_on or START + timedelta(days=10),
            leader=extra.pop("leader", actor),
            **extra,
        ),
    )
