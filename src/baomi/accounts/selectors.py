"""Reads of accounts for the 系统管理员 (SEC-3: names, units and states — nothing classified)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.accounts.actions import managed_unit_ids
from baomi.lib.errors import NotFound
from baomi.org.models import Person, Unit


class AccountState(models.TextChoices):
    ACTIVE = "active", "正常"
    DISABLED = "disabled", "已停用"
    LOCKED = "locked", "已锁定"
    MUST_CHANGE = "must_change", "须修改口令"
    EXPIRED = "expired", "口令已过期"


def parse_state(value: str | None) -> str | None:
    """`must-change` (as URLs spell it) and `must_change` both name the same state."""
    if not value:
        return None
    value = value.replace("-", "_")
    return value if value in AccountState.values else None


def states_of(person: Person, now=None) -> list[str]:
    now = now or timezone.now()
    user = person.user
    account = getattr(user, "account", None)
    states = []
    if not user.is_active:
        states.append(AccountState.DISABLED)
    if account is not None and account.is_locked(now):
        states.append(AccountState.LOCKED)
    if account is not None and account.must_change_password:
        states.append(AccountState.MUST_CHANGE)
    elif account is not None and account.password_expired(now):
        states.append(AccountState.EXPIRED)
    return [s.value for s in states] or [AccountState.ACTIVE.value]


def state_filter(state: str, now=None) -> Q:
    now = now or timezone.now()
    locked = Q(user__account__locked_until__gt=now)
    must_change = Q(user__account__must_change_password=True)
    expired = Q(user__account__password_expires_at__lte=now)
    return {
        AccountState.DISABLED: Q(user__is_active=False),
        AccountState.LOCKED: locked,
        AccountState.MUST_CHANGE: must_change,
        AccountState.EXPIRED: expired & ~must_change,
        AccountState.ACTIVE: Q(user__is_active=True) & ~locked & ~must_change & ~expired,
    }[state]


def accounts_visible_to(actor: Person) -> QuerySet[Person]:
    """People with a login in the units the 系统管理员 manages (theirs and below)."""
    return (
        Person.objects.filter(
            user__isnull=False, is_automation=False, unit_id__in=managed_unit_ids(actor)
        )
        .select_related("user", "user__account", "unit", "department")
        .order_by("unit_id", "department_id", "user__username")
    )


def accounts_filtered(
    actor: Person, *, unit: int | None = None, state: str | None = None, q: str = ""
) -> QuerySet[Person]:
    people = accounts_visible_to(actor)
    if unit:
        people = people.filter(unit_id=unit)
    if state:
        people = people.filter(state_filter(state))
    if q:
        people = people.filter(
            Q(name__icontains=q) | Q(user__username__icontains=q) | Q(number__icontains=q)
        )
    return people


def account_person(actor: Person, account_id: int) -> Person:
    """The person whose account has this id (the User's id): 404 if unknown or not managed."""
    found = accounts_visible_to(actor).filter(user_id=account_id).first()
    if found is None:
        raise NotFound("账号不存在，或不属于您管理的单位。")
    return found


def people_without_account(actor: Person) -> QuerySet[Person]:
    return Person.objects.filter(
        user__isnull=True,
        is_automation=False,
        active=True,
        system_role="",
        unit_id__in=managed_unit_ids(actor),
    ).order_by("unit_id", "department_id", "name")


def managed_units(actor: Person) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=managed_unit_ids(actor)).order_by("code")
