"""JSON API: the caller (`me`), the people and departments of the caller's unit.

People are visible within one's own unit only (a superior unit sees statistics, ORG-4, not
directories); the automation actor is never listed. Unknown or other units' ids are 404.
The 系统管理员 and the 安全保密管理员 administer every unit of the system and see its people and
departments (`?unit=` narrows); their writes are in `org.admin_api`, on this same router.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import READ_ERRORS, Id, PageQuery, Ref, display, paginate, ref, text
from baomi.classification.choices import Clearance, Level
from baomi.lib.errors import NotFound
from baomi.org.choices import SystemRole
from baomi.org.models import Department, Person
from baomi.org.selectors import ADMINISTRATORS, administered_people, administered_units

router = Router()


def people_visible_to(person: Person) -> QuerySet[Person]:
    """The directory of the caller's own unit (names, posts, levels — no classified content);
    for the two administering system roles, the people of every unit they administer."""
    if person.system_role in ADMINISTRATORS:
        return administered_people(person)
    return (
        Person.objects.filter(unit_id=person.unit_id, is_automation=False)
        .select_related("department", "unit", "user")
        .order_by("department_id", "id")
    )


class PersonOut(Schema):
    id: int
    name: str
    number: str = Field(description="人员编号")
    username: str
    unit_id: int
    unit_name: str
    department_id: int | None
    department_name: str
    post: str
    clearance: str
    clearance_display: str
    is_registry_clerk: bool
    is_classifier: bool
    is_unit_head: bool
    system_role: str
    system_role_display: str
    active: bool


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PersonOut]


class AuthorityOut(Schema):
    kind: str
    max_level: str
    max_level_display: str


class MeOut(PersonOut):
    roles: list[str] = Field(
        description="registry_clerk / classifier / unit_head / approver / 三员角色"
    )
    max_level: str
    max_level_display: str
    approval_authorities: list[AuthorityOut]


class DepartmentOut(Schema):
    id: int
    name: str
    unit_id: int
    parent_id: int | None = Field(None, description="上级部门")
    head: Ref | None = Field(None, description="部门负责人")


def department_out(d: Department) -> dict:
    return {
        "id": d.pk,
        "name": d.name,
        "unit_id": d.unit_id,
        "parent_id": d.parent_id,
        "head": ref(d.head) if d.head_id else None,
    }


class DepartmentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DepartmentOut]


def person_out(p: Person) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "number": p.number,
        "username": p.user.username if p.user_id else "",
        "unit_id": p.unit_id,
        "unit_name": p.unit.name,
        "department_id": p.department_id,
        "department_name": p.department.name if p.department_id else "",
        "post": p.post,
        "clearance": p.clearance,
        "clearance_display": display(Clearance, p.clearance),
        "is_registry_clerk": p.is_registry_clerk,
        "is_classifier": p.is_classifier,
        "is_unit_head": p.is_unit_head,
        "system_role": p.system_role or "",
        "system_role_display": display(SystemRole, p.system_role) if p.system_role else "",
        "active": p.active,
    }


@router.get("/me", response={200: MeOut, **READ_ERRORS}, summary="当前调用者")
def me(request):
    """The caller's person, roles and clearance (涉密等级) with the highest level it covers."""
    p = request.auth
    authorities = list(p.authorities.order_by("kind"))
    roles = [
        name
        for flag, name in (
            (p.is_registry_clerk, "registry_clerk"),
            (p.is_classifier, "classifier"),
            (p.is_unit_head, "unit_head"),
            (bool(authorities), "approver"),
        )
        if flag
    ]
    if p.system_role:
        roles.append(p.system_role)
    return {
        **person_out(p),
        "roles": roles,
        "max_level": p.max_level,
        "max_level_display": display(Level, p.max_level),
        "approval_authorities": [
            {
                "kind": a.kind,
                "max_level": a.max_level,
                "max_level_display": display(Level, a.max_level),
            }
            for a in authorities
        ],
    }


class PeopleQuery(PageQuery):
    username: text(150) | None = None
    department: Id | None = Field(None, description="部门编号")
    q: text(100) | None = Field(None, description="姓名、账号、人员编号或岗位中包含的文字")
    unit: Id | None = Field(None, description="单位编号（系统管理员、安全保密管理员）")
    active: bool | None = Field(None, description="true 在岗，false 已停用")


@router.get("/people", response={200: PersonPage, **READ_ERRORS}, summary="人员列表")
def list_people(request, query: Query[PeopleQuery]):
    people = people_visible_to(request.auth)
    if query.username:
        people = people.filter(user__username=query.username)
    if query.department:
        people = people.filter(department_id=query.department)
    if query.unit:
        people = people.filter(unit_id=query.unit)
    if query.active is not None:
        people = people.filter(active=query.active)
    if query.q:
        people = people.filter(
            Q(name__icontains=query.q)
            | Q(user__username__icontains=query.q)
            | Q(number__icontains=query.q)
            | Q(post__icontains=query.q)
        )
    return paginate(people, query, person_out)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary="人员详情")
def get_person(request, person_id: Id):
    person = people_visible_to(request.auth).filter(pk=person_id).first()
    if person is None:
        raise NotFound("人员不存在，或不属于本单位。")
    return person_out(person)


class DepartmentQuery(PageQuery):
    unit: Id | None = Field(None, description="单位编号（系统管理员、安全保密管理员）")


@router.get("/departments", response={200: DepartmentPage, **READ_ERRORS}, summary="部门列表")
def list_departments(request, query: Query[DepartmentQuery]):
    """The caller's unit's departments; the administering system roles see every unit's."""
    caller = request.auth
    if caller.system_role in ADMINISTRATORS:
        departments = Department.objects.filter(unit__in=administered_units(caller))
    else:
        departments = Department.objects.filter(unit_id=caller.unit_id)
    if query.unit:
        departments = departments.filter(unit_id=query.unit)
    departments = departments.select_related("head").order_by("unit_id", "name")
    return paginate(departments, query, department_out)


def visible_department(caller: Person, department_id: int) -> Department:
    """A department named in the URL: 404 when unknown or outside the caller's reach."""
    if caller.system_role in ADMINISTRATORS:
        departments = Department.objects.filter(unit__in=administered_units(caller))
    else:
        departments = Department.objects.filter(unit_id=caller.unit_id)
    found = departments.select_related("unit", "head").filter(pk=department_id).first()
    if found is None:
        raise NotFound("部门不存在，或您无权查看。")
    return found


@router.get(
    "/departments/{department_id}",
    response={200: DepartmentOut, **READ_ERRORS},
    summary="部门详情",
)
def get_department(request, department_id: Id):
    return department_out(visible_department(request.auth, department_id))
