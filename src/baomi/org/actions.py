"""Organisation writers: units, departments, people, accounts, roles (SEC-1, SEC-3)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from baomi.audit.trail import record
from baomi.classification.choices import Authority, Level
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
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


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(f"请填写{label}。", {field: [f"请填写{label}"]})
    if len(value) > max_length:
        raise Invalid(f"{label}太长。", {field: [f"最多 {max_length} 个字"]})
    return value


def _check_unit_unique(name: str, code: str, *, exclude: int | None = None) -> None:
    others = Unit.objects.exclude(pk=exclude)
    detail = {}
    if others.filter(name=name).exists():
        detail["name"] = ["已有同名单位"]
    if others.filter(code=code).exists():
        detail["code"] = ["单位代码已被使用"]
    if detail:
        raise Invalid("单位名称或代码重复。", detail)


def _ancestors(unit: Unit | None) -> set[int]:
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.parent
    return seen


@action("unit.create")
def create_unit(
    actor: Person,
    *,
    name: str,
    code: str,
    parent: Unit | None,
    classification_authority: str = Authority.NONE,
    superior_of: Unit | None = None,
) -> Unit:
    """A unit under `parent`, or — with `superior_of` — above an existing unit, which moves
    under it (ORG-4: one database can hold a province). The 定密权限 (CL-11) is the security
    officer's to set: the 系统管理员 creates units without one."""
    _require_admin(actor, SystemRole.SYSADMIN, "建立单位")
    if classification_authority not in Authority.values:
        raise Invalid("定密权限无效。", {"classification_authority": ["定密权限无效"]})
    if classification_authority != Authority.NONE and not actor.is_automation:
        raise RuleViolation(
            "SEC-3",
            "定密权限由安全保密管理员设定，系统管理员建立单位时不能授予（SEC-3 三员分立）。",
        )
    name = _text(name, "name", "单位名称", 100)
    code = _text(code, "code", "单位代码", 20)
    _check_unit_unique(name, code)
    if superior_of is not None:
        parent = superior_of.parent
    unit = Unit.objects.create(
        name=name, code=code, parent=parent, classification_authority=classification_authority
    )
    after = {"name": name, "code": code, "parent": parent.pk if parent else None}
    if superior_of is not None:
        superior_of.parent = unit
        superior_of.save(update_fields=["parent"])
        after["superior_of"] = superior_of.pk
    record("unit.create", actor, unit, after=after)
    return unit


UNSET = object()


@action("unit.update")
def update_unit(actor: Person, unit: Unit, *, name=None, code=None, parent=UNSET) -> Unit:
    """Rename a unit, change its code, or move it in the tree (never under itself)."""
    _require_admin(actor, SystemRole.SYSADMIN, "修改单位")
    before = {"name": unit.name, "code": unit.code, "parent": unit.parent_id}
    if name is not None:
        unit.name = _text(name, "name", "单位名称", 100)
    if code is not None:
        unit.code = _text(code, "code", "单位代码", 20)
    if parent is not UNSET:
        if parent is not None and unit.pk in _ancestors(parent):
            raise Invalid("上级单位不能是本单位或其下级。", {"parent": ["会形成循环"]})
        unit.parent = parent
    _check_unit_unique(unit.name, unit.code, exclude=unit.pk)
    unit.save(update_fields=["name", "code", "parent"])
    after = {"name": unit.name, "code": unit.code, "parent": unit.parent_id}
    record("unit.update", actor, unit, before=before, after=after)
    return unit


@action("unit.set_classification_authority")
def set_classification_authority(actor: Person, unit: Unit, authority: str) -> Unit:
    """定密权限 (CL-11): set by the 安全保密管理员 (SEC-3: levels are theirs)."""
    _require_admin(actor, SystemRole.SECADMIN, "设定单位定密权限")
    if authority not in Authority.values:
        raise Invalid("定密权限无效。", {"authority": ["定密权限无效"]})
    before = {"classification_authority": unit.classification_authority}
    unit.classification_authority = authority
    unit.save(update_fields=["classification_authority"])
    after = {"classification_authority": authority}
    record("unit.set_classification_authority", actor, unit, before=before, after=after)
    return unit


def _check_department(unit: Unit, name: str, parent, head, *, exclude: int | None = None):
    if Department.objects.filter(unit=unit, name=name).exclude(pk=exclude).exists():
        raise Invalid("本单位已有同名部门。", {"name": ["本单位已有同名部门"]})
    if parent is not None:
        if parent.unit_id != unit.pk:
            raise Invalid("上级部门不属于本单位。", {"parent": ["上级部门不属于本单位"]})
        seen, node = set(), parent
        while node is not None and node.pk not in seen:
            if exclude is not None and node.pk == exclude:
                raise Invalid("上级部门不能是本部门或其下级。", {"parent": ["会形成循环"]})
            seen.add(node.pk)
            node = node.parent
    if head is not None:
        if head.unit_id != unit.pk or head.is_automation:
            raise Invalid("部门负责人不属于本单位。", {"head": ["部门负责人不属于本单位"]})
        if head.has_system_role:
            raise RuleViolation("SEC-3", f"{head.name}是三员账号，不能担任部门负责人（SEC-3）。")


@action("department.create")
def create_department(
    actor: Person, unit: Unit, *, name: str, parent: Department | None = None, head=None
) -> Department:
    _require_admin(actor, SystemRole.SYSADMIN, "建立部门")
    name = _text(name, "name", "部门名称", 100)
    _check_department(unit, name, parent, head)
    department = Department.objects.create(unit=unit, name=name, parent=parent, head=head)
    after = {
        "name": name,
        "parent": parent.pk if parent else None,
        "head": getattr(head, "pk", None),
    }
    record("department.create", actor, department, after=after)
    return department


@action("department.update")
def update_department(
    actor: Person, department: Department, *, name=None, parent=UNSET, head=UNSET
) -> Department:
    """Rename, move in the department tree, or change the head (ORG-2)."""
    _require_admin(actor, SystemRole.SYSADMIN, "修改部门")
    before = {"name": department.name, "parent": department.parent_id, "head": department.head_id}
    if name is not None:
        department.name = _text(name, "name", "部门名称", 100)
    if parent is not UNSET:
        department.parent = parent
    if head is not UNSET:
        department.head = head
    _check_department(
        department.unit,
        department.name,
        department.parent,
        department.head,
        exclude=department.pk,
    )
    department.save(update_fields=["name", "parent", "head"])
    after = {"name": department.name, "parent": department.parent_id, "head": department.head_id}
    record("department.update", actor, department, before=before, after=after)
    return department


def _check_person(unit: Unit, department, number: str, *, exclude: int | None = None) -> None:
    if department is not None and department.unit_id != unit.pk:
        raise Invalid("部门不属于该单位。", {"department": ["部门不属于该单位"]})
    if number and Person.objects.filter(unit=unit, number=number).exclude(pk=exclude).exists():
        raise Invalid("人员编号在本单位已被使用。", {"number": ["人员编号在本单位已被使用"]})


@action("person.create")
def create_person(
    actor: Person,
    unit: Unit,
    *,
    name: str,
    department: Department | None = None,
    post: str = "",
    number: str = "",
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
    name = _text(name, "name", "姓名", 50)
    post = _text(post, "post", "岗位", 100, required=False)
    number = _text(number, "number", "人员编号", 32, required=False)
    _check_person(unit, department, number)
    user = None
    if username:
        user = _create_user(username, password, name)
    person = Person.objects.create(
        unit=unit, department=department, name=name, post=post, number=number, user=user
    )
    if user is not None:
        from baomi.accounts.models import Account

        Account.objects.update_or_create(
            user=user, defaults={"must_change_password": must_change_password}
        )
    record(
        "person.create",
        actor,
        person,
        after={"name": name, "number": number, "username": username},
    )
    return person


PERSON_FIELDS = ("name", "number", "unit", "department", "post")


@action("person.update")
def update_person(actor: Person, person: Person, **changes) -> Person:
    """Name, 人员编号, unit, department and post (the 系统管理员's; levels and roles are not)."""
    _require_admin(actor, SystemRole.SYSADMIN, "修改人员信息")
    unknown = sorted(set(changes) - set(PERSON_FIELDS))
    if unknown:
        raise Invalid("不能修改这些字段。", {name: ["不能在此修改"] for name in unknown})
    if person.is_automation:
        raise Invalid("系统自动任务不是人员。", {"person": ["系统自动任务不能修改"]})

    def shown(p: Person) -> dict:
        return {
            "name": p.name,
            "number": p.number,
            "unit": p.unit_id,
            "department": p.department_id,
            "post": p.post,
        }

    before = shown(person)
    if "name" in changes:
        person.name = _text(changes["name"], "name", "姓名", 50)
    if "number" in changes:
        person.number = _text(changes["number"], "number", "人员编号", 32, required=False)
    if "post" in changes:
        person.post = _text(changes["post"], "post", "岗位", 100, required=False)
    if "unit" in changes and changes["unit"].pk != person.unit_id:
        person.unit = changes["unit"]
        if "department" not in changes:
            person.department = None  # a department belongs to the old unit
    if "department" in changes:
        person.department = changes["department"]
    _check_person(person.unit, person.department, person.number, exclude=person.pk)
    person.save(update_fields=["name", "number", "unit", "department", "post"])
    record("person.update", actor, person, before=before, after=shown(person))
    return person


@action("person.deactivate")
def deactivate_person(actor: Person, person: Person) -> Person:
    """停用: the person leaves the system (no login, no custody). Whoever still holds carriers
    hands them over first (CR-13); the three system accounts are never stopped from the console
    (SEC-3: only a command on the server touches them)."""
    from baomi.carriers.choices import WITH_HOLDER
    from baomi.carriers.models import Carrier

    _require_admin(actor, SystemRole.SYSADMIN, "停用人员")
    if person.has_system_role or person.is_automation:
        raise RuleViolation(
            "SEC-3", "三员账号不能在管理台停用，须在服务器上用命令处理（SEC-3 三员分立）。"
        )
    if not person.active:
        raise InvalidState(f"{person.name}已停用。")
    if Carrier.objects.filter(holder=person, status__in=WITH_HOLDER).exists():
        raise RuleViolation(
            "CR-13",
            f"{person.name}仍持有涉密载体，须先办理交接或归还，才能停用（CR-13）。",
        )
    person.active = False
    person.save(update_fields=["active"])
    record("person.deactivate", actor, person, before={"active": True}, after={"active": False})
    return person


@action("person.reactivate")
def reactivate_person(actor: Person, person: Person) -> Person:
    _require_admin(actor, SystemRole.SYSADMIN, "恢复人员")
    if person.active:
        raise InvalidState(f"{person.name}本来就在岗。")
    person.active = True
    person.save(update_fields=["active"])
    record("person.reactivate", actor, person, before={"active": False}, after={"active": True})
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


def approval_kinds() -> dict[str, str]:
    """What an approver may be granted (APR-2): every request kind — the engine's own and those
    domain apps registered with it — and 发布审查 (review)."""
    from baomi.approvals.choices import RequestKind
    from baomi.approvals.kinds import registered
    from baomi.review.choices import REVIEW_AUTHORITY

    kinds = {**dict(RequestKind.choices), **{spec.code: spec.label for spec in registered()}}
    return {**kinds, REVIEW_AUTHORITY: "发布审查"}


def _grantee(person: Person, what: str) -> None:
    if person.has_system_role:
        raise RuleViolation(
            "SEC-3",
            f"{person.name}是{person.get_system_role_display()}，不能兼任{what}（SEC-3 三员分立）。",
        )
    if person.is_automation or not person.active:
        raise Invalid(f"{person.name}不在岗，不能授予{what}。", {"person_id": ["人员不在岗"]})


@action("person.grant_role")
def grant_role(actor: Person, person: Person, role: str) -> Person:
    """保密员, 定密责任人 or 单位负责人 — never to one of the three system roles (SEC-3)."""
    _require_admin(actor, SystemRole.SECADMIN, "授予业务角色")
    if role not in BUSINESS_ROLES:
        raise Invalid("角色无效。", {"role": ["角色无效"]})
    _grantee(person, Person._meta.get_field(role).verbose_name)
    setattr(person, role, True)
    person.save(update_fields=[role])
    record("person.grant_role", actor, person, after={role: True})
    return person


@action("person.revoke_role")
def revoke_role(actor: Person, person: Person, role: str) -> Person:
    """Take back 保密员, 定密责任人 or 单位负责人 (the 安全保密管理员's, SEC-3)."""
    _require_admin(actor, SystemRole.SECADMIN, "撤销业务角色")
    if role not in BUSINESS_ROLES:
        raise Invalid("角色无效。", {"role": ["角色无效"]})
    if not getattr(person, role):
        raise InvalidState(f"{person.name}没有该角色。")
    setattr(person, role, False)
    person.save(update_fields=[role])
    record("person.revoke_role", actor, person, before={role: True}, after={role: False})
    return person


@action("person.grant_approval_authority")
def grant_approval_authority(
    actor: Person, person: Person, kind: str, max_level: str
) -> ApprovalAuthority:
    """审批权限 (APR-2): which kind of request, up to which level; granting again changes it."""
    _require_admin(actor, SystemRole.SECADMIN, "授予审批权限")
    if person.has_system_role:
        raise RuleViolation("SEC-3", "三员不能兼任审批人（SEC-3）。")
    if kind not in approval_kinds():
        raise Invalid("申请类型无效。", {"kind": ["申请类型无效"]})
    if max_level not in Level.values:
        raise Invalid("密级无效。", {"max_level": ["密级无效"]})
    _grantee(person, "审批人")
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


@action("person.revoke_approval_authority")
def revoke_approval_authority(actor: Person, person: Person, kind: str) -> Person:
    _require_admin(actor, SystemRole.SECADMIN, "撤销审批权限")
    authority = person.authorities.filter(kind=kind).first()
    if authority is None:
        raise InvalidState(f"{person.name}没有该类申请的审批权限。")
    before = {"kind": kind, "max_level": authority.max_level}
    authority.delete()
    record("person.revoke_approval_authority", actor, person, before=before, after={})
    return person


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
