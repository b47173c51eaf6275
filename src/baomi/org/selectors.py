"""Reads for the administration consoles: which units a system role administers, and trees.

One database is one system (SEC-3): its 系统管理员 and 安全保密管理员 administer every unit in it,
superior and subordinate alike (ORG-4: one database can hold a province). Business users are
never given these lists — their directory is their own unit (org.api.people_visible_to).
"""

from __future__ import annotations

from django.db.models import QuerySet

from baomi.lib.errors import Forbidden
from baomi.org.choices import SystemRole
from baomi.org.models import Department, Person, Unit

ADMINISTRATORS = (SystemRole.SYSADMIN, SystemRole.SECADMIN)


def is_sysadmin(person: Person | None) -> bool:
    return person is not None and person.system_role == SystemRole.SYSADMIN


def is_secadmin(person: Person | None) -> bool:
    return person is not None and person.system_role == SystemRole.SECADMIN


def administered_units(actor: Person) -> QuerySet[Unit]:
    """Every unit of the system for the 系统管理员 and the 安全保密管理员; none for anybody else."""
    if actor.system_role in ADMINISTRATORS:
        return Unit.objects.all()
    return Unit.objects.none()


def require_role(actor: Person, role: str, doing: str) -> None:
    """The console's door (pages and API): the action checks again, this says so early."""
    if actor.system_role != role:
        raise Forbidden(f"只有{SystemRole(role).label}可以{doing}（SEC-3 三员分立）。")


def tree(nodes) -> list[tuple[object, int]]:
    """(node, depth) in tree order: each node under its parent, siblings by name."""
    nodes = list(nodes)
    ids = {n.pk for n in nodes}
    children: dict[int | None, list] = {}
    for n in nodes:
        parent = n.parent_id if n.parent_id in ids else None
        children.setdefault(parent, []).append(n)
    out: list[tuple[object, int]] = []

    def walk(parent, depth):
        for n in sorted(children.get(parent, []), key=lambda x: (x.name, x.pk)):
            out.append((n, depth))
            if depth < 50:  # a cycle cannot be saved, but never loop on bad data
                walk(n.pk, depth + 1)

    walk(None, 0)
    return out


def unit_tree(actor: Person) -> list[tuple[Unit, int]]:
    return tree(administered_units(actor))


def department_tree(unit_ids) -> list[tuple[Department, int]]:
    departments = Department.objects.filter(unit_id__in=unit_ids).select_related(
        "unit", "head", "parent"
    )
    return tree(departments)


def administered_people(actor: Person) -> QuerySet[Person]:
    """People of the administered units (never the automation actor)."""
    return (
        Person.objects.filter(unit__in=administered_units(actor), is_automation=False)
        .select_related("unit", "department", "user")
        .order_by("unit_id", "department_id", "id")
    )
