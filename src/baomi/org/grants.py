"""Business-role grants (SEC-3: the 安全保密管理员's) as one list: who holds what, and where.

A grant is a 保密员 / 定密责任人 / 单位负责人 flag on a person, an approval authority (kind, up to
a level — APR-2), or a seat on the 保密委员会 (ORG-1). Its `id` names it for a revoke:
`registry_clerk-<person>`, `classifier-<person>`, `unit_head-<person>`, `approver-<authority>`,
`committee-<seat>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from baomi.classification.choices import Level
from baomi.lib.errors import Invalid, NotFound
from baomi.org.actions import approval_kinds
from baomi.org.models import ApprovalAuthority, CommitteeMember, Person

# role code → Person flag (the roles held as a flag on the person)
FLAG_ROLES = {
    "registry_clerk": "is_registry_clerk",
    "classifier": "is_classifier",
    "unit_head": "is_unit_head",
}
ROLE_LABELS = {
    "registry_clerk": "保密员",
    "classifier": "定密责任人",
    "unit_head": "单位负责人",
    "approver": "审批人",
    "committee": "保密委员会成员",
}


@dataclass
class Grant:
    id: str
    role: str
    person: Person
    scope: str  # the registry/unit, the kind and level, or the committee seat
    kind: str = ""
    max_level: str = ""
    committee_role: str = ""
    since: date | None = None

    @property
    def role_display(self) -> str:
        return ROLE_LABELS[self.role]


def grants_in(unit_ids, *, person: Person | None = None, role: str = "") -> list[Grant]:
    """Every business-role grant held by the active people of these units."""
    people = Person.objects.filter(unit_id__in=unit_ids, is_automation=False).select_related("unit")
    if person is not None:
        people = people.filter(pk=person.pk)
    kinds = approval_kinds()
    grants: list[Grant] = []
    for p in people.order_by("unit_id", "name", "id"):
        for code, flag in FLAG_ROLES.items():
            if getattr(p, flag) and role in ("", code):
                scope = f"{p.unit.name}（本单位台账）" if code == "registry_clerk" else p.unit.name
                grants.append(Grant(f"{code}-{p.pk}", code, p, scope))
    if role in ("", "approver"):
        authorities = ApprovalAuthority.objects.filter(person__in=people).select_related(
            "person__unit"
        )
        for a in authorities.order_by("person__name", "kind"):
            label = kinds.get(a.kind, a.kind)
            scope = f"{label}，最高{Level(a.max_level).label}"
            grants.append(
                Grant(f"approver-{a.pk}", "approver", a.person, scope, a.kind, a.max_level)
            )
    if role in ("", "committee"):
        seats = CommitteeMember.objects.filter(person__in=people, end_on__isnull=True)
        for m in seats.select_related("person__unit", "committee").order_by("role", "start_on"):
            grants.append(
                Grant(
                    f"committee-{m.pk}",
                    "committee",
                    m.person,
                    f"{m.committee.name}{m.get_role_display()}",
                    committee_role=m.role,
                    since=m.start_on,
                )
            )
    return grants


def parse_grant_id(grant_id: str) -> tuple[str, int]:
    role, _, number = (grant_id or "").partition("-")
    if role not in ROLE_LABELS or not number.isdigit() or len(number) > 18:
        raise NotFound("授权不存在。")
    return role, int(number)


def revoke_grant(actor: Person, grant_id: str, unit_ids) -> Person:
    """Revoke the grant `grant_id` names, through the action that owns it."""
    from baomi.org import actions as org
    from baomi.personnel.organisation import end_committee_member

    role, number = parse_grant_id(grant_id)
    if role in FLAG_ROLES:
        person = Person.objects.filter(pk=number, unit_id__in=unit_ids).first()
        if person is None:
            raise NotFound("授权不存在。")
        return org.revoke_role(actor, person, FLAG_ROLES[role])
    if role == "approver":
        authority = ApprovalAuthority.objects.filter(pk=number, person__unit_id__in=unit_ids)
        authority = authority.select_related("person").first()
        if authority is None:
            raise NotFound("授权不存在。")
        return org.revoke_approval_authority(actor, authority.person, authority.kind)
    seat = CommitteeMember.objects.filter(pk=number, person__unit_id__in=unit_ids).first()
    if seat is None or seat.end_on is not None:
        raise NotFound("授权不存在。")
    from django.utils import timezone

    end_committee_member(actor, seat, end_on=max(timezone.localdate(), seat.start_on))
    return seat.person


def grant(
    actor: Person,
    person: Person,
    role: str,
    *,
    kind: str = "",
    max_level: str = "",
    committee_role: str = "",
    start_on: date | None = None,
):
    """Grant `role` to `person` through the action that owns it."""
    from django.utils import timezone

    from baomi.org import actions as org
    from baomi.personnel.organisation import add_committee_member

    if role in FLAG_ROLES:
        return org.grant_role(actor, person, FLAG_ROLES[role])
    if role == "approver":
        detail = {}
        if not kind:
            detail["kind"] = ["请选择申请类型"]
        if not max_level:
            detail["max_level"] = ["请选择最高密级"]
        if detail:
            raise Invalid("审批人须指定申请类型和最高密级。", detail)
        return org.grant_approval_authority(actor, person, kind, max_level)
    if role == "committee":
        return add_committee_member(
            actor,
            person.unit,
            person,
            role=committee_role or "member",
            start_on=start_on or timezone.localdate(),
        )
    raise Invalid("角色无效。", {"role": ["可选值：" + "、".join(ROLE_LABELS)]})
