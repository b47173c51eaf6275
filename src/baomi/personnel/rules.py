"""Checks shared by the personnel actions and pages (PER-1, PER-2, PER-3, PER-7, CR-13)."""

from __future__ import annotations

from django.db.models import QuerySet

from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import holdings_of
from baomi.classification.choices import CLEARANCE_MAX_LEVEL, Clearance, Level, rank
from baomi.lib.errors import Forbidden, RuleViolation
from baomi.org.models import Person
from baomi.personnel.choices import CommitmentKind, VettingResult


def clearance_for_level(level: str) -> str:
    """PER-1: 核心 for posts touching 绝密, 重要 for 机密, 一般 for 秘密, else 非涉密."""
    return {
        Level.TOP_SECRET: Clearance.CORE,
        Level.SECRET: Clearance.IMPORTANT,
        Level.CONFIDENTIAL: Clearance.GENERAL,
    }.get(Level(level), Clearance.NONE)


def is_office(person: Person, unit_id: int) -> bool:
    """The unit's 保密办: its registry clerks (保密员) and appointed secrecy officers."""
    if person.is_automation:
        return person.unit_id == unit_id
    if person.has_system_role or not person.active or person.unit_id != unit_id:
        return False
    return is_clerk_of(person, unit_id) or person.officer_terms.filter(end_on__isnull=True).exists()


def require_office(actor: Person, unit_id: int, doing: str) -> None:
    if not is_office(actor, unit_id):
        raise Forbidden(f"只有本单位保密办（保密员）可以{doing}。")


def may_view_person(viewer: Person, person: Person) -> bool:
    """The person themselves, the unit's 保密办, its head, and the person's department head."""
    if viewer.has_system_role or viewer.unit_id != person.unit_id:
        return False
    if viewer.pk == person.pk or viewer.is_unit_head or is_office(viewer, person.unit_id):
        return True
    return bool(person.department_id) and person.department.head_id == viewer.pk


def eligibility_problem(person: Person) -> str:
    """PER-3: '' when a passed vetting is recorded and a 保密承诺书 signed, else why not."""
    latest = person.vettings.order_by("-on", "-id").first()
    if latest is None:
        return f"{person.name}尚无保密审查记录"
    if latest.result != VettingResult.PASSED:
        return f"{person.name}最近一次保密审查（{latest.on}）结论为不合格"
    if not person.commitments.filter(kind=CommitmentKind.ON_POST).exists():
        return f"{person.name}尚未签订保密承诺书"
    return ""


def require_eligible(person: Person) -> None:
    problem = eligibility_problem(person)
    if problem:
        raise RuleViolation(
            "PER-3",
            f"{problem}，不能确定涉密等级（PER-3：上岗前须经保密审查并签订保密承诺书）。",
        )


def require_matches_post(clearance: str, highest_level: str) -> None:
    """PER-1: the level is what the post touches — no more, no less."""
    expected = clearance_for_level(highest_level)
    if clearance != expected:
        raise RuleViolation(
            "PER-1",
            f"岗位接触的最高密级为{Level(highest_level).label}，涉密等级应为"
            f"“{Clearance(expected).label}”，不能定为“{Clearance(clearance).label}”"
            "（PER-1：核心—绝密，重要—机密，一般—秘密）。",
        )


def held_above(person: Person, clearance: str) -> list[Carrier]:
    """What the person holds that a new (lower) clearance would not cover (PER-1)."""
    top = rank(CLEARANCE_MAX_LEVEL[Clearance(clearance)])
    return [c for c in holdings_of(person) if rank(c.level) > top]


def labels(carriers) -> list[str]:
    return [c.label for c in carriers]


def require_nothing_held(person: Person) -> None:
    """CR-13: nobody leaves a post while holding a carrier; the refusal lists each one."""
    held = list(holdings_of(person))
    if held:
        listed = labels(held)
        raise RuleViolation(
            "CR-13",
            f"{person.name}仍持有 {len(listed)} 件涉密载体：{'、'.join(listed)}，须逐件清点交接后"
            "才能离岗（CR-13：离岗须交清全部涉密载体）。",
            {"carriers": listed},
        )


def not_on_exit_procedure(person: Person) -> QuerySet[Carrier]:
    """PER-7: carriers held other than those taken out under an approved take-out."""
    return holdings_of(person).exclude(status=Status.TAKEN_OUT)


def require_no_carriers_abroad(person: Person) -> None:
    held = list(not_on_exit_procedure(person))
    if held:
        listed = labels(held)
        raise RuleViolation(
            "PER-7",
            f"{person.name}持有未经出境携带审批的涉密载体：{'、'.join(listed)}，不能出国（境）"
            "（PER-7：未履行审批手续不得携带涉密载体出境）。",
            {"carriers": listed},
        )
