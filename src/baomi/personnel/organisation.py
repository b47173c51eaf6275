"""Writers for the secrecy organisation (ORG-1…ORG-3) and the personnel unit settings (PER-5,
PER-8): committee, secrecy officers, department heads, responsibility letters."""

from __future__ import annotations

from datetime import date

from baomi.audit.trail import record
from baomi.classification.choices import Clearance
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, RuleViolation
from baomi.org.models import (
    CommitteeMember,
    CommitteeRole,
    Department,
    Person,
    ResponsibilityLetter,
    SecrecyCommittee,
    SecrecyOfficer,
    Unit,
)


def _require_organiser(actor: Person, unit_id: int) -> None:
    """The security officer (SEC-3: grants roles), the unit head, or a deployment script."""
    if actor.is_automation and actor.unit_id == unit_id:
        return
    if actor.unit_id == unit_id and (actor.system_role == "secadmin" or actor.is_unit_head):
        return
    raise Forbidden("只有安全保密管理员或单位负责人可以调整保密组织。")


def _member(person: Person, unit: Unit) -> None:
    if person.unit_id != unit.pk:
        raise Invalid("人员不属于本单位。", {"person_id": ["人员不属于本单位"]})
    if person.has_system_role:
        raise RuleViolation("SEC-3", f"{person.name}是三员账号，不能担任保密组织职务（SEC-3）。")


@action("committee.set")
def set_committee(
    actor: Person, unit: Unit, *, name: str = "保密工作领导小组", office_department=None
) -> SecrecyCommittee:
    """ORG-1: the unit's 保密工作领导小组/保密委员会 and the department its 保密办 sits in."""
    _require_organiser(actor, unit.pk)
    if office_department is not None and office_department.unit_id != unit.pk:
        raise Invalid("部门不属于本单位。", {"office_department_id": ["部门不属于本单位"]})
    committee, _ = SecrecyCommittee.objects.update_or_create(
        unit=unit,
        defaults={
            "name": (name or "保密工作领导小组")[:100],
            "office_department": office_department,
        },
    )
    record("committee.set", actor, unit, after={"name": committee.name})
    return committee


@action("committee.add_member")
def add_committee_member(
    actor: Person, unit: Unit, person: Person, *, role: str, start_on: date
) -> CommitteeMember:
    """ORG-1: 组长 / 副组长 / 成员 with the date of appointment."""
    _require_organiser(actor, unit.pk)
    _member(person, unit)
    if role not in CommitteeRole.values:
        raise Invalid("职务无效。", {"role": ["可选值：leader、deputy、member"]})
    committee = SecrecyCommittee.objects.filter(
        unit=unit
    ).first() or SecrecyCommittee.objects.create(unit=unit)
    member = CommitteeMember.objects.create(
        committee=committee, person=person, role=role, start_on=start_on
    )
    record("committee.add_member", actor, person, after={"role": role, "start_on": str(start_on)})
    return member


@action("committee.end_member")
def end_committee_member(
    actor: Person, member: CommitteeMember, *, end_on: date
) -> CommitteeMember:
    _require_organiser(actor, member.committee.unit_id)
    if end_on < member.start_on:
        raise Invalid("离任日期不能早于任职日期。", {"end_on": ["不能早于任职日期"]})
    member.end_on = end_on
    member.save(update_fields=["end_on"])
    record("committee.end_member", actor, member.person, after={"end_on": str(end_on)})
    return member


@action("officer.appoint")
def appoint_officer(
    actor: Person, person: Person, *, full_time: bool, start_on: date
) -> SecrecyOfficer:
    """ORG-1: a 保密员 of the 保密办, 专职 or 兼职."""
    _require_organiser(actor, person.unit_id)
    _member(person, person.unit)
    officer = SecrecyOfficer.objects.create(
        unit=person.unit, person=person, full_time=full_time, start_on=start_on
    )
    record(
        "officer.appoint", actor, person, after={"full_time": full_time, "start_on": str(start_on)}
    )
    return officer


@action("department.set_head")
def set_department_head(actor: Person, department: Department, person: Person) -> Department:
    """ORG-2: the department head, who checks the department's level proposals (PER-2)."""
    _require_organiser(actor, department.unit_id)
    _member(person, department.unit)
    before = {"head": department.head_id}
    department.head = person
    department.save(update_fields=["head"])
    record("department.set_head", actor, department, before=before, after={"head": person.pk})
    return department


@action("responsibility_letter.sign")
def sign_responsibility_letter(
    actor: Person, person: Person, *, signed_on: date, text: str, department=None
) -> ResponsibilityLetter:
    """ORG-3: a 保密责任书 signed by a department head (or the unit head), kept as PDF."""
    from django.utils import timezone

    from baomi.lib.pdf import render_pdf

    _require_organiser(actor, person.unit_id)
    _member(person, person.unit)
    text = (text or "").strip()
    if not text:
        raise Invalid("请填写责任书正文。", {"text": ["请填写责任书正文"]})
    if signed_on is None or signed_on > timezone.localdate():
        raise Invalid("签订日期不能晚于今天。", {"signed_on": ["日期不能晚于今天"]})
    if department is not None and department.unit_id != person.unit_id:
        raise Invalid("部门不属于本单位。", {"department_id": ["部门不属于本单位"]})
    department = department or (person.departments_headed.first())
    letter = ResponsibilityLetter(
        unit=person.unit, department=department, person=person, signed_on=signed_on, text=text
    )
    letter.pdf = render_pdf(
        "personnel/pdf/responsibility_letter.html",
        {"letter": letter, "marking": "", "unit_name": person.unit.name, "watermark": ""},
    )
    letter.save()
    record(
        "responsibility_letter.sign",
        actor,
        letter,
        after={"person": person.pk, "signed_on": str(signed_on)},
    )
    return letter


PERSONNEL_SETTINGS = ("cooling_off_years", "allowance_table")
LEVELS = (Clearance.CORE, Clearance.IMPORTANT, Clearance.GENERAL)


@action("unit.update_personnel_settings")
def update_personnel_settings(actor: Person, unit: Unit, **changes) -> Unit:
    """PER-5 脱密期 lengths and the PER-8 allowance table, set by the security officer."""
    if not (actor.is_automation or (actor.system_role == "secadmin" and actor.unit_id == unit.pk)):
        raise Forbidden("只有安全保密管理员可以修改单位保密设置（SEC-3）。")
    unknown = sorted(set(changes) - set(PERSONNEL_SETTINGS))
    if unknown:
        raise Invalid("不能修改这些设置。", {name: ["未知的设置项"] for name in unknown})
    errors: dict[str, list[str]] = {}
    for name, table in changes.items():
        if not isinstance(table, dict) or set(table) - set(LEVELS):
            errors[name] = ["须为 {core, important, general} 的对照表"]
            continue
        limit = 20 if name == "cooling_off_years" else 100000
        if any(
            not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= limit
            for v in table.values()
        ):
            errors[name] = [f"每一项须为 0 到 {limit} 之间的整数"]
    if errors:
        raise Invalid("设置有误。", errors)
    before = {name: getattr(unit, name) for name in changes}
    for name, table in changes.items():
        setattr(unit, name, {**getattr(unit, name), **table})
    unit.save(update_fields=list(changes))
    record("unit.update_personnel_settings", actor, unit, before=before, after=changes)
    return unit
