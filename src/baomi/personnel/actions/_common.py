"""Helpers shared by the personnel actions: today, row locks, text and date checks, and the
SEC-3/unit guard every action starts with."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from baomi.lib.errors import Forbidden, Invalid, RuleViolation
from baomi.org.models import Person


def _today() -> date:
    return timezone.localdate()


def _lock(person: Person) -> Person:
    return (
        Person.objects.select_for_update(of=("self",))
        .select_related("department", "unit")
        .get(pk=person.pk)
    )


def _text(value: str, field: str, label: str, max_length: int = 500) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(f"请填写{label}。", {field: [f"请填写{label}"]})
    if len(value) > max_length:
        raise Invalid(f"{label}过长。", {field: [f"长度不能超过 {max_length} 个字符"]})
    return value


def _not_future(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise Invalid(f"请填写{label}。", {field: [f"请填写{label}"]})
    if day > _today():
        raise Invalid(f"{label}不能晚于今天。", {field: ["日期不能晚于今天"]})
    return day


def _business(actor: Person, person: Person) -> None:
    """SEC-3: the three system roles neither act on nor are 涉密人员; one unit only."""
    if actor.has_system_role and not actor.is_automation:
        raise RuleViolation("SEC-3", "三员不参与涉密人员管理（SEC-3：三员分立）。")
    if person.has_system_role:
        raise RuleViolation("SEC-3", f"{person.name}是三员账号，不能作为涉密人员（SEC-3）。")
    if actor.unit_id != person.unit_id:
        raise Forbidden("不能办理其他单位人员的事项。")
