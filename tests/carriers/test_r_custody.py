"""Custody rules through the carrier actions: CR-1, CR-3, CR-4, CR-5, CR-15, CR-17, PER-1, and the
happy paths of registration, void, loss, amendment and acknowledgement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from baomi.carriers.choices import AT_PLACE, WITH_HOLDER, CarrierKind, EventKind, Source, Status
from baomi.carriers.models import Carrier, CustodyEvent, Place
from baomi.carriers.policies import available_actions
from baomi.carriers.registration import Registration
from baomi.carriers.rules import today
from baomi.carriers.selectors import holdings_of
from baomi.classification.choices import Level
from baomi.lib.errors import RuleViolation
from tests.factories import approved, person, receive, refused, set_unit


def outsider(w):
    """重要 clearance, but in 财务科 — outside the 知悉范围 of the office's papers."""
    return person(w.system, w.unit, "吴财务", w.finance, "important", "")


def top_secret(w, **extra):
    return receive(
        w, level=Level.TOP_SECRET, scope_people=[w.leader], scope_departments=[], **extra
    )


# --- CR-1 -----------------------------------------------------------------------------------


def test_r_cr_1_registration_by_someone_other_than_the_clerk_is_refused(world):
    w = world
    reg = Registration(
        kind=CarrierKind.DOCUMENT,
        title="来文",
        doc_date=date(2026, 1, 5),
        level=Level.SECRET,
        source=Source.RECEIVED,
        place=w.cabinet,
        issuer="XX省人民政府办公厅",
        scope_departments=[w.office],
    )
    for stranger in (w.zhang, w.leader, w.sysadmin):
        with refused("CR-1"):
            actions.register(stranger, reg)
    assert Carrier.objects.count() == 0


def test_r_cr_1_copies_share_one_number_with_copy_no_1_to_n(world):
    w = world
    first = receive(w, copies=4)
    second = receive(w, copies=2)
    assert [c.copy_no for c in first] == [1, 2, 3, 4]
    assert len({c.number for c in first}) == 1
    assert {c.number for c in second} != {c.number for c in first}
    assert [c.label for c in second] == [f"{second[0].number}-01", f"{second[0].number}-02"]
    assert CustodyEvent.objects.filter(kind=EventKind.REGISTER).count() == 6
    assert AuditEvent.objects.filter(event_type="carrier.register", outcome="done").count() == 6
    for carrier in first:
        assert carrier.status == Status.IN_REGISTRY and carrier.place == w.cabinet
        assert carrier.registered_by == w.clerk


# --- CR-3 -----------------------------------------------------------------------------------


def assert_one_custodian(carrier: Carrier) -> None:
    carrier.refresh_from_db()
    if carrier.status in AT_PLACE:
        assert carrier.place_id and carrier.holder_id is None
    elif carrier.status in WITH_HOLDER:
        assert carrier.holder_id and carrier.place_id is None
    else:
        assert carrier.holder_id is None and carrier.place_id is None


def test_r_cr_3_exactly_one_holder_or_place_in_every_status(world):
    w = world
    carrier = receive(w)
    assert_one_custodian(carrier)
    actions.circulate(w.clerk, carrier, w.zhang)
    assert_one_custodian(carrier)
    actions.return_to_registry(w.clerk, carrier)
    assert_one_custodian(carrier)
    actions.lend(w.clerk, carrier, approved(w, RequestKind.LOAN, [carrier]))
    assert_one_custodian(carrier)
    actions.report_lost(w.zhang, carrier)
    assert_one_custodian(carrier)
    actions.found(w.clerk, carrier)
    assert_one_custodian(carrier)
    actions.take_out(w.clerk, carrier, approved(w, RequestKind.TAKE_OUT, [carrier]))
    assert_one_custodian(carrier)
    assert carrier.status == Status.TAKEN_OUT and carrier.holder == w.zhang
    other = receive(w)
    actions.void(w.clerk, other, reason="重复登记")
    assert_one_custodian(other)


@pytest.mark.parametrize(
    "change",
    [
        {"holder_id": "zhang"},  # in the registry and with a person at once
        {"status": Status.ON_LOAN},  # out on loan, but still in a place and with nobody
        {"place_id": None},  # in the registry, but nowhere
        {"status": Status.VOIDED},  # out of custody, yet still in a place
    ],
)
def test_r_cr_3_database_refuses_a_raw_write_with_two_or_no_custodians(world, change):
    w = world
    carrier = receive(w)
    values = {k: (w.zhang.pk if v == "zhang" else v) for k, v in change.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Carrier.objects.filter(pk=carrier.pk).update(**values)
    carrier.refresh_from_db()
    assert (carrier.status, carrier.place_id, carrier.holder_id) == (
        Status.IN_REGISTRY,
        w.cabinet.pk,
        None,
    )


def test_r_cr_3_holdings_of_answers_what_a_person_holds(world):
    w = world
    read, lent, elsewhere, stays = receive(w, copies=4)
    actions.circulate(w.clerk, read, w.zhang, due_date=today() + timedelta(days=3))
    actions.lend(w.clerk, lent, approved(w, RequestKind.LOAN, [lent]))
    actions.circulate(w.clerk, elsewhere, w.classifier)
    assert list(holdings_of(w.zhang)) == [read, lent]  # soonest due first
    assert list(holdings_of(w.classifier)) == [elsewhere]
    assert list(holdings_of(w.li)) == []
    actions.return_to_registry(w.clerk, read)
    assert list(holdings_of(w.zhang)) == [lent]
    stays.refresh_from_db()
    assert stays.place == w.cabinet


# --- CR-4 -----------------------------------------------------------------------------------


def test_r_cr_4_circulation_outside_the_scope_is_refused(world):
    w = world
    carrier, stranger = receive(w), outsider(w)
    with refused("CR-4"):
        actions.circulate(w.clerk, carrier, stranger)


def test_r_cr_4_circulation_to_a_named_person_only(world):
    w = world
    carrier = receive(w, scope_people=[w.zhang], scope_departments=[])
    with refused("CR-4"):
        actions.circulate(w.clerk, carrier, w.classifier)  # cleared, same department, not named
    carrier = actions.circulate(w.clerk, carrier, w.zhang)
    assert carrier.holder == w.zhang


def test_r_cr_4_passing_sideways_is_refused(world):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    carrier.refresh_from_db()  # the clerk sees it with 张三 (a stale copy would be a lost race: 409)
    with refused("CR-4"):
        actions.circulate(w.clerk, carrier, w.classifier)
    carrier.refresh_from_db()
    assert carrier.holder == w.zhang
    actions.return_to_registry(w.clerk, carrier)
    carrier.refresh_from_db()
    actions.circulate(w.clerk, carrier, w.classifier)  # through the registry it may go on
    carrier.refresh_from_db()
    assert carrier.holder == w.classifier


def test_r_cr_4_only_the_clerk_circulates(world):
    w = world
    carrier = receive(w)
    with refused("forbidden"):
        actions.circulate(w.zhang, carrier, w.classifier)


# --- CR-5 -----------------------------------------------------------------------------------


def test_r_cr_5_top_secret_lend_is_refused(world):
    w = world
    carrier = top_secret(w)
    with refused("CR-5"):
        actions.lend(w.clerk, carrier, None)


def test_r_cr_5_top_secret_loan_request_is_refused(world):
    w = world
    carrier = top_secret(w)
    form = approvals.RequestForm(
        kind=RequestKind.LOAN,
        carriers=[carrier],
        reason="阅读",
        approver=w.leader,
        due_date=today(),
        beneficiary=w.leader,
    )
    with refused("CR-5"):
        approvals.create_request(w.clerk, form)


def test_r_cr_5_top_secret_circulation_beyond_today_is_refused(world):
    w = world
    carrier = top_secret(w)
    with refused("CR-5"):
        actions.circulate(w.clerk, carrier, w.leader, due_date=today() + timedelta(days=1))
    carrier = actions.circulate(w.clerk, carrier, w.leader, reading_place=w.reading_room)
    assert carrier.due_date == today()  # 随阅随退: back the same day


# --- CR-15 ----------------------------------------------------------------------------------


def test_r_cr_15_top_secret_registered_outside_a_safe_is_refused(world):
    w = world
    with refused("CR-15"):
        top_secret(w, place=w.cabinet)


def test_r_cr_15_telegram_registered_outside_a_safe_is_refused(world):
    w = world
    with refused("CR-15"):
        receive(w, level=Level.CONFIDENTIAL, kind=CarrierKind.TELEGRAM, place=w.cabinet)
    telegram = receive(w, level=Level.CONFIDENTIAL, kind=CarrierKind.TELEGRAM, place=w.safe)
    assert telegram.place == w.safe


def test_r_cr_15_relocating_top_secret_out_of_the_safe_is_refused(world):
    w = world
    carrier = top_secret(w)
    with refused("CR-15"):
        actions.relocate(w.clerk, carrier, w.cabinet)


def test_r_cr_15_returning_top_secret_to_a_cabinet_is_refused(world):
    w = world
    carrier = top_secret(w)
    actions.circulate(w.clerk, carrier, w.leader, reading_place=w.reading_room)
    with refused("CR-15"):
        actions.return_to_registry(w.clerk, carrier, place=w.cabinet)
    carrier = actions.return_to_registry(w.clerk, carrier)
    assert carrier.place == w.safe


def test_r_cr_15_finding_a_telegram_into_a_cabinet_is_refused(world):
    w = world
    carrier = receive(w, kind=CarrierKind.TELEGRAM, place=w.safe)
    actions.report_lost(w.clerk, carrier)
    with refused("CR-15"):
        actions.found(w.clerk, carrier, place=w.cabinet)


def test_r_cr_15_relocate_into_a_place_of_another_unit_is_invalid(world):
    w = world
    carrier = receive(w)
    foreign = Place.objects.create(unit=w.province, name="省局保险柜", kind="safe")
    with refused("invalid", audited=False):
        actions.relocate(w.clerk, carrier, foreign)


def test_r_cr_15_relocate_within_the_registry(world):
    w = world
    carrier = receive(w)
    actions.relocate(w.clerk, carrier, w.safe, note="调整")
    carrier.refresh_from_db()
    assert (carrier.place, carrier.home_place, carrier.status) == (
        w.safe,
        w.safe,
        Status.IN_REGISTRY,
    )
    assert carrier.events.last().kind == EventKind.RELOCATE


# --- CR-17 ----------------------------------------------------------------------------------


def test_r_cr_17_circulation_beyond_the_loan_limit_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("CR-17"):
        actions.circulate(w.clerk, carrier, w.zhang, due_date=today() + timedelta(days=31))
    actions.circulate(w.clerk, carrier, w.zhang, due_date=today() + timedelta(days=30))


def test_r_cr_17_unit_loan_limit_setting_applies(world):
    w = world
    set_unit(w, loan_limits={"secret": 5})
    carrier = receive(w)
    with refused("CR-17"):
        actions.circulate(w.clerk, carrier, w.zhang, due_date=today() + timedelta(days=6))
    carrier = actions.circulate(w.clerk, carrier, w.zhang)
    assert carrier.due_date == today() + timedelta(days=5)


def test_r_cr_17_loan_request_beyond_the_limit_is_refused(world):
    w = world
    carrier = receive(w)
    form = approvals.RequestForm(
        kind=RequestKind.LOAN,
        carriers=[carrier],
        reason="阅读",
        approver=w.leader,
        due_date=today() + timedelta(days=40),
    )
    with refused("CR-17"):
        approvals.create_request(w.zhang, form)


def test_r_cr_17_lend_beyond_a_limit_lowered_after_approval_is_refused(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier], due=today() + timedelta(days=20))
    set_unit(w, loan_limits={"secret": 10})
    with refused("CR-17"):
        actions.lend(w.clerk, carrier, request)


# --- PER-1 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["li", "wang"])
def test_r_per_1_reader_whose_clearance_does_not_cover_is_refused(world, reader):
    w = world
    carrier = receive(w)  # 机密, in scope of 办公室秘书科 (li) — wang is 非涉密
    with refused("PER-1"):
        actions.circulate(w.clerk, carrier, getattr(w, reader))


def test_r_per_1_cleared_reader_out_of_scope_is_refused(world):
    # 不该知道的不知道: the clearance is enough, the scope is not (reported as CR-4).
    w = world
    carrier, stranger = receive(w, level=Level.CONFIDENTIAL), outsider(w)
    with refused("CR-4"):
        actions.circulate(w.clerk, carrier, stranger)


def test_r_per_1_loan_for_a_beneficiary_not_cleared_is_refused(world):
    w = world
    carrier = receive(w)
    form = approvals.RequestForm(
        kind=RequestKind.LOAN,
        carriers=[carrier],
        reason="阅读",
        approver=w.leader,
        due_date=today() + timedelta(days=3),
        beneficiary=w.li,
    )
    with refused("PER-1"):
        approvals.create_request(w.zhang, form)


def test_r_per_1_top_secret_only_for_core_clearance(world):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET)  # scope: the whole 办公室秘书科
    with refused("PER-1"):
        actions.circulate(w.clerk, carrier, w.zhang)  # 重要
    actions.circulate(w.clerk, carrier, w.leader, reading_place=w.reading_room)  # 核心


def test_r_per_1_system_roles_never_hold_carriers(world):
    w = world
    carrier = receive(w, level=Level.INTERNAL)
    with refused("SEC-3"):
        actions.circulate(w.clerk, carrier, w.sysadmin)


# --- Happy paths: void, loss, amendment, acknowledgement -------------------------------------


def test_void_before_any_movement(world):
    w = world
    carrier = receive(w)
    actions.void(w.clerk, carrier, reason="重复登记")
    carrier.refresh_from_db()
    assert carrier.status == Status.VOIDED
    assert (carrier.place, carrier.holder) == (None, None)
    with refused("invalid_state"):
        actions.circulate(w.clerk, carrier, w.zhang)  # voided is terminal


def test_void_after_a_movement_is_refused(world):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.return_to_registry(w.clerk, carrier)
    with refused("invalid_state"):
        actions.void(w.clerk, carrier, reason="登记有误")


def test_void_of_an_original_that_was_copied_is_refused(world):
    w = world
    carrier = receive(w)
    actions.copy(w.clerk, carrier, approved(w, RequestKind.COPY, [carrier], copies=1), copies=1)
    with refused("invalid_state"):
        actions.void(w.clerk, carrier, reason="登记有误")


def test_void_needs_a_reason(world):
    w = world
    carrier = receive(w)
    with refused("invalid", audited=False):
        actions.void(w.clerk, carrier, reason="  ")


def test_report_lost_by_the_holder_and_found_by_the_clerk(world):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.report_lost(w.zhang, carrier, note="会后未找到")
    carrier.refresh_from_db()
    assert (carrier.status, carrier.holder, carrier.place) == (Status.LOST, None, None)
    assert list(holdings_of(w.zhang)) == []
    actions.found(w.clerk, carrier)
    carrier.refresh_from_db()
    assert (carrier.status, carrier.place) == (Status.IN_REGISTRY, w.cabinet)
    kinds = list(carrier.events.values_list("kind", flat=True))
    assert kinds == ["register", "circulate", "report_lost", "found"]


def test_report_lost_by_someone_neither_holder_nor_clerk_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("forbidden"):
        actions.report_lost(w.zhang, carrier)


def test_found_only_when_lost(world):
    w = world
    carrier = receive(w)
    with refused("invalid_state"):
        actions.found(w.clerk, carrier)


def test_amend_with_a_reason(world):
    w = world
    carrier = receive(w)
    actions.amend(
        w.clerk, carrier, {"title": "关于某项工作的通知（更正）", "pages": 3}, reason="标题录入错误"
    )
    carrier.refresh_from_db()
    assert (carrier.title, carrier.pages) == ("关于某项工作的通知（更正）", 3)
    event = carrier.events.last()
    assert event.kind == EventKind.AMEND and "标题录入错误" in event.note


def test_amend_without_a_reason_is_invalid(world):
    w = world
    carrier = receive(w)
    with refused("invalid", audited=False):
        actions.amend(w.clerk, carrier, {"title": "新标题"}, reason="")


def test_amend_of_the_classification_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("CL-8"):
        actions.amend(w.clerk, carrier, {"level": Level.CONFIDENTIAL}, reason="定错了")


def test_acknowledge_only_by_the_holder(world):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    with refused("forbidden"):
        actions.acknowledge(w.classifier, carrier)
    with refused("forbidden"):
        actions.acknowledge(w.clerk, carrier)
    actions.acknowledge(w.zhang, carrier)
    carrier.refresh_from_db()
    assert carrier.acknowledged_at is not None
    with refused("invalid_state"):
        actions.acknowledge(w.zhang, carrier)
    actions.return_to_registry(w.clerk, carrier)
    carrier.refresh_from_db()
    assert carrier.acknowledged_at is None


def test_the_refusal_helper_fails_when_a_refusal_changed_data(world):
    # A test that cannot fail is a defect: `refused` must notice a change made before the raise.
    with pytest.raises(AssertionError, match="changed data"), refused("CR-4"):
        set_unit(world, loan_limits={"secret": 3})
        raise RuleViolation("CR-4", "测试（CR-4）")


def test_void_of_a_copy_is_refused_and_not_offered(world):
    # A copy exists physically: a wrong one goes through destruction, not 作废.
    w = world
    carrier = receive(w)
    made = actions.copy(
        w.clerk, carrier, approved(w, RequestKind.COPY, [carrier], copies=1), copies=1
    )[0]
    assert "void" not in available_actions(w.clerk, made)
    assert "void" in available_actions(w.clerk, receive(w))
    with refused("invalid_state"):
        actions.void(w.clerk, made, reason="多复制了一份")
