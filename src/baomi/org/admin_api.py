"""JSON API of the two administering consoles (SEC-3 三员分立).

- 系统管理员: `units` (GET list in tree order, POST, GET/PATCH `units/{id}`), POST/PATCH on
  `departments` and `people` (registered on `org.api.router`, beside their GETs, so one path
  answers every method). Never a carrier, a vetting record or an audit row.
- 安全保密管理员: `grants` (GET, POST, DELETE `grants/{id}`, POST `grants/{id}/revoke`) and a
  unit's 定密权限 (PATCH `units/{id}` with `classification_authority` only).

Every write is one call of an action in `org.actions` (or `personnel.organisation` for committee
seats), which checks the role again and audits. Ids in the path: 404 when unknown; in a body:
422 on that field.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.classification.choices import Authority, Level
from baomi.lib.errors import Invalid, NotFound
from baomi.org import actions
from baomi.org.api import DepartmentOut, PersonOut, department_out, person_out, visible_department
from baomi.org.api import router as org_router
from baomi.org.choices import SystemRole
from baomi.org.grants import ROLE_LABELS, grant, grants_in, revoke_grant
from baomi.org.models import CommitteeRole, Department, Person, Unit
from baomi.org.selectors import administered_people, administered_units, require_role, tree

units_router = Router()
grants_router = Router()

SYSADMIN = SystemRole.SYSADMIN
SECADMIN = SystemRole.SECADMIN


# --- lookups ------------------------------------------------------------------------------------


def _unit(actor: Person, unit_id: int | None, field: str | None) -> Unit | None:
    """A unit in the path (404) or in the body (422 on `field`)."""
    if unit_id is None:
        return None
    found = administered_units(actor).filter(pk=unit_id).first()
    if found is None:
        if field is None:
            raise NotFound("单位不存在，或您无权查看。")
        raise Invalid("单位不存在。", {field: [f"单位 #{unit_id} 不存在"]})
    return found


def _department(unit: Unit, department_id: int | None, field: str) -> Department | None:
    if department_id is None:
        return None
    found = Department.objects.filter(pk=department_id, unit=unit).first()
    if found is None:
        raise Invalid("部门不存在，或不属于该单位。", {field: [f"部门 #{department_id} 不存在"]})
    return found


def _person(actor: Person, person_id: int | None, field: str | None) -> Person | None:
    if person_id is None:
        return None
    found = administered_people(actor).filter(pk=person_id).first()
    if found is None:
        if field is None:
            raise NotFound("人员不存在，或您无权查看。")
        raise Invalid("人员不存在。", {field: [f"人员 #{person_id} 不存在"]})
    return found


# --- units --------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    code: str
    parent_id: int | None
    depth: int = Field(description="在单位树中的层级，0 为最上级")
    classification_authority: str = Field(description="定密权限（CL-11），none 为无")
    classification_authority_display: str


class UnitPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[UnitOut]


def unit_out(unit: Unit, depth: int = 0) -> dict:
    return {
        "id": unit.pk,
        "name": unit.name,
        "code": unit.code,
        "parent_id": unit.parent_id,
        "depth": depth,
        "classification_authority": unit.classification_authority,
        "classification_authority_display": display(Authority, unit.classification_authority),
    }


def _require_administrator(actor: Person) -> None:
    if actor.system_role not in (SYSADMIN, SECADMIN):
        require_role(actor, SYSADMIN, "管理单位")


@units_router.get("", response={200: UnitPage, **READ_ERRORS}, summary="单位（树）")
def list_units(request, query: Query[PageQuery]):
    """Every unit of the system in tree order (each under its superior, `depth` from the top)."""
    _require_administrator(request.auth)
    return paginate(tree(administered_units(request.auth)), query, lambda row: unit_out(*row))


class UnitIn(InputSchema):
    name: text(100, min_length=1)
    code: text(20, min_length=1)
    parent_id: Id | None = Field(None, description="上级单位（建立下级单位）")
    superior_of_id: Id | None = Field(
        None, description="建立上级单位：该单位移到新单位之下（ORG-4）"
    )


@units_router.post("", response={201: UnitOut, **WRITE_ERRORS}, summary="建立单位")
def create_unit(request, body: UnitIn):
    actor = request.auth
    require_role(actor, SYSADMIN, "建立单位")
    if body.parent_id and body.superior_of_id:
        raise Invalid("上级单位与下级单位只能指定一个。", {"superior_of_id": ["不能同时指定"]})
    unit = actions.create_unit(
        actor,
        name=body.name,
        code=body.code,
        parent=_unit(actor, body.parent_id, "parent_id"),
        superior_of=_unit(actor, body.superior_of_id, "superior_of_id"),
    )
    return 201, unit_out(unit)


@units_router.get("/{unit_id}", response={200: UnitOut, **READ_ERRORS}, summary="单位详情")
def get_unit(request, unit_id: Id):
    _require_administrator(request.auth)
    return unit_out(_unit(request.auth, unit_id, None))


class UnitPatch(InputSchema):
    name: text(100, min_length=1) | None = None
    code: text(20, min_length=1) | None = None
    parent_id: Id | None = Field(None, description="上级单位；null 表示最上级")
    classification_authority: Authority | None = Field(
        None, description="定密权限：安全保密管理员单独提交（SEC-3）"
    )


@units_router.patch("/{unit_id}", response={200: UnitOut, **WRITE_ERRORS}, summary="修改单位")
def update_unit(request, unit_id: Id, body: UnitPatch):
    """系统管理员: name, code, superior. 安全保密管理员: `classification_authority` alone."""
    actor = request.auth
    _require_administrator(actor)
    unit = _unit(actor, unit_id, None)
    given = body.model_dump(exclude_unset=True)
    if "classification_authority" in given:
        if len(given) > 1:
            raise Invalid(
                "定密权限须单独提交（由安全保密管理员设定）。",
                {"classification_authority": ["不能与其他字段一起修改"]},
            )
        if body.classification_authority is None:
            raise Invalid("定密权限无效。", {"classification_authority": ["请选择定密权限"]})
        unit = actions.set_classification_authority(actor, unit, body.classification_authority)
        return unit_out(unit)
    changes = {}
    if "name" in given:
        changes["name"] = body.name
    if "code" in given:
        changes["code"] = body.code
    if "parent_id" in given:
        changes["parent"] = _unit(actor, body.parent_id, "parent_id")
    unit = actions.update_unit(actor, unit, **changes)
    return unit_out(unit)


# --- departments (on the org router, beside GET /departments) -----------------------------------


class DepartmentIn(InputSchema):
    unit_id: Id | None = Field(None, description="单位；缺省为系统管理员所在单位")
    name: text(100, min_length=1)
    parent_id: Id | None = Field(None, description="上级部门")
    head_id: Id | None = Field(None, description="部门负责人（ORG-2）")


@org_router.post("/departments", response={201: DepartmentOut, **WRITE_ERRORS}, summary="建立部门")
def create_department(request, body: DepartmentIn):
    actor = request.auth
    require_role(actor, SYSADMIN, "建立部门")
    unit = _unit(actor, body.unit_id, "unit_id") if body.unit_id else actor.unit
    department = actions.create_department(
        actor,
        unit,
        name=body.name,
        parent=_department(unit, body.parent_id, "parent_id"),
        head=_person(actor, body.head_id, "head_id"),
    )
    return 201, department_out(department)


class DepartmentPatch(InputSchema):
    name: text(100, min_length=1) | None = None
    parent_id: Id | None = None
    head_id: Id | None = None


@org_router.patch(
    "/departments/{department_id}",
    response={200: DepartmentOut, **WRITE_ERRORS},
    summary="修改部门",
)
def update_department(request, department_id: Id, body: DepartmentPatch):
    actor = request.auth
    require_role(actor, SYSADMIN, "修改部门")
    department = visible_department(actor, department_id)
    given = body.model_dump(exclude_unset=True)
    changes = {}
    if "name" in given:
        changes["name"] = body.name
    if "parent_id" in given:
        changes["parent"] = _department(department.unit, body.parent_id, "parent_id")
    if "head_id" in given:
        changes["head"] = _person(actor, body.head_id, "head_id")
    return department_out(actions.update_department(actor, department, **changes))


# --- people (on the org router, beside GET /people) ---------------------------------------------


class PersonIn(InputSchema):
    unit_id: Id | None = Field(None, description="单位；缺省为系统管理员所在单位")
    name: text(50, min_length=1)
    number: text(32) = Field("", description="人员编号")
    department_id: Id | None = None
    post: text(100) = ""


@org_router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, summary="建立人员")
def create_person(request, body: PersonIn):
    """A person (no login: accounts are created for a person on their own resource)."""
    actor = request.auth
    require_role(actor, SYSADMIN, "建立人员")
    unit = _unit(actor, body.unit_id, "unit_id") if body.unit_id else actor.unit
    person = actions.create_person(
        actor,
        unit,
        name=body.name,
        number=body.number,
        department=_department(unit, body.department_id, "department_id"),
        post=body.post,
    )
    return 201, person_out(person)


class PersonPatch(InputSchema):
    name: text(50, min_length=1) | None = None
    number: text(32) | None = None
    unit_id: Id | None = None
    department_id: Id | None = None
    post: text(100) | None = None
    active: bool | None = Field(None, description="false 停用，true 恢复")


@org_router.patch(
    "/people/{person_id}", response={200: PersonOut, **WRITE_ERRORS}, summary="修改人员"
)
def update_person(request, person_id: Id, body: PersonPatch):
    actor = request.auth
    require_role(actor, SYSADMIN, "修改人员")
    person = _person(actor, person_id, None)
    given = body.model_dump(exclude_unset=True)
    changes = {}
    for name in ("name", "number", "post"):
        if name in given:
            if given[name] is None:
                raise Invalid("不能为空。", {name: ["不能为空"]})
            changes[name] = given[name]
    unit = person.unit
    if "unit_id" in given:
        unit = _unit(actor, body.unit_id, "unit_id")
        if unit is None:
            raise Invalid("请指定单位。", {"unit_id": ["不能为空"]})
        changes["unit"] = unit
    if "department_id" in given:
        changes["department"] = _department(unit, body.department_id, "department_id")
    if changes:
        person = actions.update_person(actor, person, **changes)
    if given.get("active") is False and person.active:
        person = actions.deactivate_person(actor, person)
    elif given.get("active") is True and not person.active:
        person = actions.reactivate_person(actor, person)
    return person_out(person)


@org_router.post(
    "/people/{person_id}/deactivate", response={200: PersonOut, **WRITE_ERRORS}, summary="停用人员"
)
def deactivate_person(request, person_id: Id):
    """The same as PATCH {"active": false}: refused while the person holds carriers (CR-13)."""
    actor = request.auth
    require_role(actor, SYSADMIN, "停用人员")
    return person_out(actions.deactivate_person(actor, _person(actor, person_id, None)))


@org_router.post(
    "/people/{person_id}/reactivate", response={200: PersonOut, **WRITE_ERRORS}, summary="恢复人员"
)
def reactivate_person(request, person_id: Id):
    actor = request.auth
    require_role(actor, SYSADMIN, "恢复人员")
    return person_out(actions.reactivate_person(actor, _person(actor, person_id, None)))


# --- grants (安全保密管理员) -------------------------------------------------------------------


class GrantOut(Schema):
    id: str = Field(description="授权编号，撤销时使用，如 approver-12")
    role: str
    role_display: str
    person: Ref
    unit: Ref
    scope: str = Field(description="范围：哪个单位的保密员、哪类申请到哪个密级、委员会职务")
    kind: str
    kind_display: str
    max_level: str
    max_level_display: str
    committee_role: str
    since: date | None


class GrantPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[GrantOut]


def grant_out(g) -> dict:
    return {
        "id": g.id,
        "role": g.role,
        "role_display": g.role_display,
        "person": ref(g.person),
        "unit": ref(g.person.unit),
        "scope": g.scope,
        "kind": g.kind,
        "kind_display": actions.approval_kinds().get(g.kind, "") if g.kind else "",
        "max_level": g.max_level,
        "max_level_display": display(Level, g.max_level),
        "committee_role": g.committee_role,
        "since": g.since,
    }


GrantRole = Literal["registry_clerk", "classifier", "unit_head", "approver", "committee"]


class GrantQuery(PageQuery):
    person: Id | None = None
    role: GrantRole | None = None
    unit: Id | None = None


def _secadmin_units(actor: Person, unit_id: int | None = None):
    require_role(actor, SECADMIN, "管理业务角色授权")
    units = administered_units(actor)
    return units.filter(pk=unit_id) if unit_id else units


@grants_router.get("", response={200: GrantPage, **READ_ERRORS}, summary="业务角色授权")
def list_grants(request, query: Query[GrantQuery]):
    """保密员, 审批人 (which kind, up to which level), 定密责任人, 单位负责人, 保密委员会成员."""
    actor = request.auth
    units = list(_secadmin_units(actor, query.unit).values_list("pk", flat=True))
    person = _person(actor, query.person, "person") if query.person else None
    grants = grants_in(units, person=person, role=query.role or "")
    return paginate(grants, query, grant_out)


class GrantIn(InputSchema):
    person_id: Id
    role: GrantRole = Field(description="、".join(f"{k} {v}" for k, v in ROLE_LABELS.items()))
    kind: text(32) = Field("", description="审批人：申请类型（loan、copy、review…）")
    max_level: Level | None = Field(None, description="审批人：最高密级")
    committee_role: CommitteeRole | None = Field(None, description="委员会职务，缺省为成员")
    start_on: Day | None = Field(None, description="委员会任职日期，缺省为今天")


@grants_router.post("", response={201: list[GrantOut], **WRITE_ERRORS}, summary="授予业务角色")
def create_grant(request, body: GrantIn):
    actor = request.auth
    units = list(_secadmin_units(actor).values_list("pk", flat=True))
    person = _person(actor, body.person_id, "person_id")
    grant(
        actor,
        person,
        body.role,
        kind=body.kind,
        max_level=body.max_level or "",
        committee_role=body.committee_role or "",
        start_on=body.start_on,
    )
    return 201, [grant_out(g) for g in grants_in(units, person=person, role=body.role)]


@grants_router.delete("/{grant_id}", response={204: None, **WRITE_ERRORS}, summary="撤销授权")
def delete_grant(request, grant_id: text(40)):
    actor = request.auth
    revoke_grant(actor, grant_id, list(_secadmin_units(actor).values_list("pk", flat=True)))
    return 204, None


@grants_router.post(
    "/{grant_id}/revoke", response={204: None, **WRITE_ERRORS}, summary="撤销授权（POST）"
)
def revoke(request, grant_id: text(40)):
    """The same as DELETE, for clients that cannot send one."""
    return delete_grant(request, grant_id)
