"""Organisation writers: units, departments, people, accounts, roles (SEC-1, SEC-3)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from baomi.audit.trail import record
from baomi.classification.choices import Authority
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, RuleViolation
from baomi.org.choices import SystemRole
from baomi.org.models import ApiToken, ApprovalAuthority, Department, Person, Unit

AUTOMATION_NAME = "系统（自动任务）"


def automation_actor(unit: Unit) -> Person:
    """The explicit actor of scripts and scheduled jobs (style.md rule 2): never a login."""
    person, _ = Person.objects.get_or_create(
        unit=unit, is_automation=True, defaults={"name": AUTOMATION_NAME, "post": "系统"}
    )
    return person


def _require_admin(actor: Person, role: str, doing: str) -> None:
    if not (actor.is_automation or actor.system_role == role):
        raise Forbidden(f"只有{SystemRole(role).label}可以{doing}（SEC-3 三员分立）。")


@action("unit.create")
def create_unit(
    actor: Person, *, name: str, code: str, parent: Unit | None, classification_authority: str
) -> Unit:
    _require_admin(actor, SystemRole.SYSADMIN, "建立单位")
    if classification_authority not in Authority.values:
        raise Invalid("定密权限无效。", {"classification_authority": ["定密权限无效"]})
    unit = Unit.objects.create(
        name=name, code=code, parent=parent, classification_authority=classification_authority
    )
    record("unit.create", actor, unit, after={"name": name, "code": code})
    return unit


@action("department.create")
def create_department(actor: Person, unit: Unit, *, name: str) -> Department:
    _require_admin(actor, SystemRole.SYSADMIN, "建立部门")
    department = Department.objects.create(unit=unit, name=name)
    record("department.create", actor, department, after={"name": name})
    return department


@action("person.create")
def create_person(
    actor: Person,
    unit: Unit,
    *,
    name: str,
    department: Department | None = None,
    post: str = "",
    username: str = "",
    password: str = "",
    must_change_password: bool = False,
) -> Person:
    """A person, optionally with their own login (SEC-1: one account per person, no sharing).

    SEC-2: a password the system generated or someone else chose (an import's, an
    administrator's) must be changed at first login — such callers pass
    `must_change_password=True` (accounts.actions.create_account always does). The default keeps
    the demo's and the fixtures' accounts usable as they are."""
    _require_admin(actor, SystemRole.SYSADMIN, "建立人员和账号")
    user = None
    if username:
        user = _create_user(username, password, name)
    person = Person.objects.create(
        unit=unit, department=department, name=name, post=post, user=user
    )
    if user is not None:
        from baomi.accounts.models import Account

        Account.objects.update_or_create(
            user=user, defaults={"must_change_password": must_change_password}
        )
    record("person.create", actor, person, after={"name": name, "username": username})
    return person


def _create_user(username: str, password: str, name: str):
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid("用户名已存在。", {"username": ["用户名已存在"]})
    user = User(username=username, first_name=name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid("密码不符合要求。", {"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    return user


@action("person.set_clearance")
def set_clearance(actor: Person, person: Person, clearance: str) -> Person:
    """The security officer grants levels (SEC-3). The PER-2 path comes with personnel."""
    _require_admin(actor, SystemRole.SECADMIN, "设定涉密等级")
    if person.has_system_role and clearance != "none":
        raise RuleViolation("SEC-3", "三员账号不接触涉密载体，不能设定涉密等级（SEC-3）。")
    before = {"clearance": person.clearance}
    person.clearance = clearance
    person.full_clean()
    person.save(update_fields=["clearance"])
    record("person.set_clearance", actor, person, before=before, after={"clearance": clearance})
    return person


BUSINESS_ROLES = ("is_registry_clerk", "is_classifier", "is_unit_head")


@action("person.grant_role")
def grant_role(actor: Person, person: Person, role: str) -> Person:
    """保密员, 定密责任人 or 单位负责人 — never to one of the three system roles (SEC-3)."""
    _require_admin(actor, SystemRole.SECADMIN, "授予业务角色")
    if role not in BUSINESS_ROLES:
        raise Invalid("角色无效。", {"role": ["角色无效"]})
    if person.has_system_role:
        raise RuleViolation(
            "SEC-3",
            f"{person.name}是{person.get_system_role_display()}，不能兼任业务角色（SEC-3）。",
        )
    setattr(person, role, True)
    person.save(update_fields=[role])
    record("person.grant_role", actor, person, after={role: True})
    return person


@action("person.grant_approval_authority")
def grant_approval_authority(
    actor: Person, person: Person, kind: str, max_level: str
) -> ApprovalAuthority:
    _require_admin(actor, SystemRole.SECADMIN, "授予审批权限")
    if person.has_system_role:
        raise RuleViolation("SEC-3", "三员不能兼任审批人（SEC-3）。")
    authority, _ = ApprovalAuthority.objects.update_or_create(
        person=person, kind=kind, defaults={"max_level": max_level}
    )
    record(
        "person.grant_approval_authority",
        actor,
        person,
        after={"kind": kind, "max_level": max_level},
    )
    return authority


@action("person.assign_system_role")
def assign_system_role(actor: Person, person: Person, role: str) -> Person:
    """三员分立 (SEC-3): no account holds two system roles, nor a system role and a business
    role or a clearance — the system roles see no carriers."""
    if not actor.is_automation:
        raise Forbidden("三员角色只能在系统初始化时由部署脚本指定（SEC-3）。")
    if role not in SystemRole.values or not role:
        raise Invalid("系统角色无效。", {"role": ["系统角色无效"]})
    if person.system_role and person.system_role != role:
        raise RuleViolation(
            "SEC-3",
            f"{person.name}已是{person.get_system_role_display()}，一个账号不得兼任两个三员角色（SEC-3）。",
        )
    holds_business = any(getattr(person, r) for r in BUSINESS_ROLES)
    if holds_business or person.authorities.exists() or person.clearance != "none":
        raise RuleViolation("SEC-3", f"{person.name}有业务角色或涉密等级，不能担任三员（SEC-3）。")
    person.system_role = role
    person.save(update_fields=["system_role"])
    record("person.assign_system_role", actor, person, after={"system_role": role})
    return person


@action("token.create")
def create_token(actor: Person, person: Person, *, label: str = "") -> str:
    """Issue an API token for a person; the clear token is returned once and never stored."""
    if actor.pk != person.pk and not actor.is_automation:
        raise Forbidden("只能为本人创建访问令牌。")
    if person.user_id is None:
        raise Invalid("该人员没有登录账号。", {"person": ["该人员没有登录账号"]})
    from baomi.accounts.policy import current_settings

    token = "bm_" + secrets.token_urlsafe(32)
    lifetime = timedelta(days=current_settings().token_lifetime_days)
    created = ApiToken.objects.create(
        person=person,
        digest=ApiToken.digest_of(token),
        label=label[:100],
        expires_at=timezone.now() + lifetime,
    )
    record(
        "token.create",
        actor,
        person,
        after={
            "token_id": created.pk,
            "label": label[:100],
            "expires_at": created.expires_at.isoformat(),
        },
    )
    return token


UNIT_SETTINGS = (
    "issuer_consent_for_secret",
    "forbid_state_secret_take_out",
    "loan_limits",
    "approval_valid_days",
)


@action("unit.update_settings")
def update_unit_settings(actor: Person, unit: Unit, **changes) -> Unit:
    """The unit settings of CR-7, CR-8, CR-17 and APR-3, set by the security officer."""
    _require_admin(actor, SystemRole.SECADMIN, "修改单位保密设置")
    unknown = sorted(set(changes) - set(UNIT_SETTINGS))
    if unknown:
        raise Invalid("不能修改这些设置。", {name: ["未知的设置项"] for name in unknown})
    before = {name: getattr(unit, name) for name in changes}
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save(update_fields=list(changes))
    record("unit.update_settings", actor, unit, before=before, after=changes)
    return unit
