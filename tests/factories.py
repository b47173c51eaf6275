"""Builders for tests. Everything goes through the actions, as in production."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.carriers.choices import CarrierKind, PlaceKind, Source
from baomi.carriers.models import Place
from baomi.carriers.registration import Registration
from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.org.models import Department, Person, Unit

PASSWORD = "Baomi-Demo-2026!"


@dataclass
class World:
    province: Unit
    unit: Unit
    system: Person
    registry: Department
    office: Department
    finance: Department
    safe: Place
    cabinet: Place
    reading_room: Place  # 阅览室: where 绝密 is read (CR-5)
    clerk: Person  # 保密员, 核心
    leader: Person  # 分管保密工作的领导, 核心, approves every kind at every level
    classifier: Person  # 定密责任人, 重要
    zhang: Person  # 重要, 办公室秘书科
    li: Person  # 一般, 办公室秘书科
    wang: Person  # 非涉密, 综合科
    sysadmin: Person
    secadmin: Person
    auditor: Person


def person(system, unit, name, department, clearance, username, *, roles=(), sysrole=""):
    p = org.create_person(
        system,
        unit,
        name=name,
        department=department,
        post=name,
        username=username,
        password=PASSWORD if username else "",
        # The fixtures' accounts are used as they are; SEC-2's first-login change has its tests.
        must_change_password=False,
    )
    if sysrole:
        return org.assign_system_role(system, p, sysrole)
    if clearance != "none":
        org.set_clearance(system, p, clearance)
    for role in roles:
        org.grant_role(system, p, role)
    return p


def build_world() -> World:
    province = Unit.objects.create(
        name="XX省保密局", code="P01", classification_authority=Level.TOP_SECRET
    )
    system = org.automation_actor(province)
    unit = org.create_unit(
        system,
        name="XX市人民政府办公室",
        code="C01",
        parent=province,
        classification_authority=Level.SECRET,
    )
    system = org.automation_actor(unit)
    registry = org.create_department(system, unit, name="机要室")
    office = org.create_department(system, unit, name="办公室秘书科")
    finance = org.create_department(system, unit, name="财务科")
    general = org.create_department(system, unit, name="综合科")
    safe = Place.objects.create(unit=unit, name="机要室保险柜1号", kind=PlaceKind.SAFE)
    cabinet = Place.objects.create(unit=unit, name="机要室文件柜A", kind=PlaceKind.CABINET)
    reading_room = Place.objects.create(unit=unit, name="阅览室", kind=PlaceKind.READING_ROOM)
    clerk = person(
        system, unit, "赵保密", registry, "core", "baomiyuan", roles=("is_registry_clerk",)
    )
    leader = person(system, unit, "钱领导", office, "core", "lingdao", roles=("is_unit_head",))
    for kind in RequestKind.values:
        org.grant_approval_authority(system, leader, kind, Level.TOP_SECRET)
    classifier = person(
        system, unit, "孙定密", office, "important", "dingmi", roles=("is_classifier",)
    )
    return World(
        province=province,
        unit=unit,
        system=system,
        registry=registry,
        office=office,
        finance=finance,
        safe=safe,
        cabinet=cabinet,
        reading_room=reading_room,
        clerk=clerk,
        leader=leader,
        classifier=classifier,
        zhang=person(system, unit, "张三", office, "important", "zhangsan"),
        li=person(system, unit, "李四", office, "general", "lisi"),
        wang=person(system, unit, "王五", general, "none", "wangwu"),
        sysadmin=person(system, unit, "系统管理员", None, "none", "sysadmin", sysrole="sysadmin"),
        secadmin=person(
            system, unit, "安全保密管理员", None, "none", "secadmin", sysrole="secadmin"
        ),
        auditor=person(system, unit, "安全审计员", None, "none", "auditor", sysrole="auditor"),
    )


def receive(
    w: World,
    *,
    level=Level.SECRET,
    copies=1,
    kind=CarrierKind.DOCUMENT,
    place=None,
    scope_people=None,
    scope_departments=None,
    **extra,
):
    """A received document (收文) in scope of 办公室秘书科 unless told otherwise."""
    reg = Registration(
        kind=kind,
        title=extra.pop("title", "关于某项工作的通知"),
        doc_date=date(2026, 1, 5),
        level=level,
        source=Source.RECEIVED,
        place=place or (w.safe if level == Level.TOP_SECRET else w.cabinet),
        copies=copies,
        issuer=extra.pop("issuer", "XX省人民政府办公厅"),
        doc_number=extra.pop("doc_number", "X政办发〔2026〕1号"),
        scope_people=scope_people or [],
        scope_departments=scope_departments if scope_departments is not None else [w.office],
        **extra,
    )
    made = carriers.register(w.clerk, reg)
    return made[0] if copies == 1 else made


def approved(
    w: World,
    kind,
    carrier_list,
    *,
    beneficiary=None,
    requester=None,
    due=None,
    copies=None,
    proposed_change=None,
    **extra,
):
    """An approved request by zhang (or `requester`) for `beneficiary`; `proposed_change` is
    what a RECLASSIFICATION / SCOPE_WIDENING approval allows (APR-3)."""
    requester = requester or w.zhang
    form = approvals.RequestForm(
        kind=kind,
        carriers=list(carrier_list),
        reason="工作需要",
        approver=w.leader,
        due_date=due
        if due is not None
        else (timezone.localdate() + timedelta(days=7) if kind != RequestKind.COPY else None),
        copies=copies if copies is not None else (2 if kind == RequestKind.COPY else None),
        beneficiary=beneficiary,
        proposed_change=proposed_change,
        **extra,
    )
    request = approvals.create_request(requester, form)
    return approvals.approve(w.leader, request, comment="同意")


# --- Refusal helpers: "refused, audited, and nothing changed" (rules tests, state machine) ---


def db_state() -> dict:
    """Every business row and every non-refusal audit row, to compare before/after a refusal."""
    from baomi.approvals.models import ApprovalStep, Request, RequestItem
    from baomi.audit.models import AuditEvent, Outcome
    from baomi.carriers.models import Carrier, CustodyEvent, NumberSequence
    from baomi.org.models import ApprovalAuthority

    models = (
        Unit,
        Department,
        Person,
        ApprovalAuthority,
        Place,
        NumberSequence,
        Carrier,
        Carrier.scope_people.through,
        Carrier.scope_departments.through,
        CustodyEvent,
        Request,
        RequestItem,
        ApprovalStep,
    )
    state = {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    # A token's first use is audited (SEC-2) but changes no business row.
    state["audit"] = list(
        AuditEvent.objects.exclude(outcome=Outcome.REFUSED)
        .exclude(event_type="token.first_use")
        .order_by("seq")
        .values("seq", "hash")
    )
    return state


def last_audit_seq() -> int:
    from baomi.audit.models import AuditEvent

    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@contextmanager
def refused(rule_id: str, *, error=None, audited: bool = True):
    """Expect the block to be refused with `rule_id` (a rule id, or an error code such as
    "forbidden"), with every business row unchanged and the refusal audited exactly once."""
    import pytest

    from baomi.audit.models import AuditEvent, Outcome
    from baomi.lib.errors import BaomiError, RuleViolation

    expected = error or (RuleViolation if "-" in rule_id else BaomiError)
    before, seq = db_state(), last_audit_seq()
    with pytest.raises(expected) as info:
        yield info
    got = getattr(info.value, "rule_id", None) or info.value.code
    assert got == rule_id, f"refused with {got}, expected {rule_id}: {info.value}"
    if "-" in rule_id:
        assert rule_id in info.value.message, f"the message does not name {rule_id}"
    assert db_state() == before, "a refused action changed data"
    new = list(AuditEvent.objects.filter(seq__gt=seq).values_list("outcome", "rule_id"))
    assert new == ([(Outcome.REFUSED, rule_id)] if audited else []), new


def set_unit(w: World, **settings) -> Unit:
    """Change a unit setting (CR-7/CR-8/CR-17 switches). No org action writes unit settings yet,
    so this is the one direct write the tests make to set up a world."""
    Unit.objects.filter(pk=w.unit.pk).update(**settings)
    w.unit.refresh_from_db()
    return w.unit
