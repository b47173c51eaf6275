"""Who may do what in the yearly assessment (INS-3) — used by actions to refuse and by pages to
hide buttons. The unit's 保密办 runs it; the 安全保密管理员 may also configure scoring sheets
(they hold no classified content); the unit's head and 保密委员会 read the results."""

from __future__ import annotations

from baomi.lib.errors import Forbidden
from baomi.org.choices import SystemRole
from baomi.org.models import Person
from baomi.personnel.rules import is_office


def is_assessor(person: Person | None) -> bool:
    return (
        person is not None
        and person.active
        and not person.has_system_role
        and is_office(person, person.unit_id)
    )


def may_configure(person: Person | None) -> bool:
    if person is None or not person.active:
        return False
    return person.system_role == SystemRole.SECADMIN or is_assessor(person)


def may_read(person: Person | None) -> bool:
    from baomi.reports.selectors import answers_for_unit

    return (
        person is not None
        and not person.has_system_role
        and person.active
        and answers_for_unit(person, person.unit_id)
    )


def require_assessor(actor: Person, doing: str) -> None:
    if not is_assessor(actor):
        raise Forbidden(f"只有本单位保密办（保密员）可以{doing}。")


def require_configurer(actor: Person) -> None:
    if not may_configure(actor):
        raise Forbidden("只有本单位保密办或安全保密管理员可以配置考核评分表。")
