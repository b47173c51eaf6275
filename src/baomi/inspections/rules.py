"""Who may do what in an inspection (INS-1, INS-2, ORG-4) — used by actions to refuse and by
pages to hide buttons."""

from __future__ import annotations

from baomi.inspections.models import Inspection, Rectification
from baomi.lib.errors import Forbidden, RuleViolation
from baomi.org.models import Person, Unit
from baomi.personnel.rules import is_office
from baomi.personnel.selectors import units_supervised_by


def _business(person: Person | None) -> bool:
    return (
        person is not None
        and person.active
        and not person.has_system_role
        and not person.is_automation
    )


def answers_for(person: Person | None, unit_id: int) -> bool:
    """The unit's 保密办, its head and its 保密委员会 (reports.selectors.answers_for_unit)."""
    from baomi.reports.selectors import answers_for_unit

    return _business(person) and answers_for_unit(person, unit_id)


def may_plan_for(person: Person | None, unit: Unit) -> bool:
    """INS-1: a unit's 保密办 plans its own inspections; a superior's 保密办 plans those of its
    subordinate units (ORG-4) — never the other way round."""
    if not _business(person) or not is_office(person, person.unit_id):
        return False
    return unit.pk == person.unit_id or unit.pk in {u.pk for u in units_supervised_by(person)}


def require_plan_for(actor: Person, unit: Unit) -> None:
    if not _business(actor) or not is_office(actor, actor.unit_id):
        raise Forbidden("只有保密办（保密员）可以安排保密检查。")
    if not may_plan_for(actor, unit):
        raise RuleViolation(
            "ORG-4",
            f"{actor.unit.name}不是{unit.name}的上级单位，不能对其安排保密检查"
            "（ORG-4：上级保密办监督检查下级单位，反之不可）。",
        )


def is_inspector(person: Person | None, inspection: Inspection) -> bool:
    """The inspection's leader, or the 保密办 of the inspecting unit."""
    if not _business(person):
        return False
    return person.pk == inspection.leader_id or is_office(person, inspection.inspecting_unit_id)


def require_inspector(actor: Person, inspection: Inspection, doing: str) -> None:
    if not is_inspector(actor, inspection):
        raise Forbidden(f"只有检查组长或检查单位保密办可以{doing}。")


def may_verify(person: Person | None, rectification: Rectification) -> bool:
    """INS-2: an inspector, or whoever answers for the inspected unit — never the owner."""
    if not _business(person) or person.pk == rectification.owner_id:
        return False
    inspection = rectification.finding.inspection
    return is_inspector(person, inspection) or answers_for(person, inspection.unit_id)


def require_verifier(actor: Person, rectification: Rectification) -> None:
    if _business(actor) and actor.pk == rectification.owner_id:
        raise RuleViolation(
            "INS-2",
            f"{actor.name}是整改 #{rectification.pk} 的责任人，不能自行验证关闭"
            "（INS-2：整改须由责任人以外的人员验证后关闭）。",
        )
    if not may_verify(actor, rectification):
        raise Forbidden("只有检查组、检查单位保密办或被检查单位保密办、负责人可以验证整改。")
