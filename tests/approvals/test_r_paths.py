"""Approval paths: ordered steps from the unit's policy table, each under APR-1 and APR-2; the
request is approved only when every step is; refusals carry a reason; withdraw while pending."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.approvals import actions as approvals
from baomi.approvals.choices import PolicyRole, RequestKind, RequestStatus, StepOutcome
from baomi.approvals.models import ApprovalPolicy, ApprovalStep, Request
from baomi.carriers import actions
from baomi.carriers.choices import Status
from baomi.carriers.rules import today
from baomi.classification.choices import Level
from baomi.lib.errors import Forbidden, Invalid
from baomi.org import actions as org
from tests.factories import person, receive, refused, set_unit


@pytest.fixture
def w(world):
    world.deputy = person(world.system, world.unit, "郑副职", world.office, "core", "")
    for kind in RequestKind.values:
        org.grant_approval_authority(world.system, world.deputy, kind, Level.TOP_SECRET)
    return world


def two_step(w, kind=RequestKind.LOAN, level=Level.SECRET):
    """分管领导 (the named approver), then the unit head (钱领导)."""
    return approvals.set_policy(
        w.secadmin,
        w.unit,
        kind,
        level,
        [(PolicyRole.SECRECY_LEADER, None), (PolicyRole.UNIT_HEAD, None)],
    )


def loan(w, carrier, approver, **extra):
    return approvals.RequestForm(
        kind=RequestKind.LOAN,
        carriers=[carrier],
        reason="阅读",
        approver=approver,
        due_date=today() + timedelta(days=5),
        **extra,
    )


def test_no_policy_keeps_the_single_named_step(w):
    carrier = receive(w)
    request = approvals.create_request(w.zhang, loan(w, carrier, w.deputy))
    assert [(s.order, s.approver, s.role) for s in request.steps.all()] == [(1, w.deputy, "")]


def test_policy_builds_the_ordered_steps_and_approves_after_the_last(w):
    carrier = receive(w)
    two_step(w)
    request = approvals.create_request(w.zhang, loan(w, carrier, w.deputy))
    steps = list(request.steps.order_by("order"))
    assert [(s.approver, s.role) for s in steps] == [
        (w.deputy, PolicyRole.SECRECY_LEADER),
        (w.leader, PolicyRole.UNIT_HEAD),
    ]
    with refused("forbidden"):  # the unit head's turn has not come
        approvals.approve(w.leader, request)
    approvals.approve(w.deputy, request, comment="同意")
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and request.expires_at is None
    with refused("CR-6"):  # not usable before the last step
        actions.lend(w.clerk, carrier, request)
    approvals.approve(w.leader, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.expires_at is not None
    actions.lend(w.clerk, carrier, request)
    carrier.refresh_from_db()
    assert carrier.status == Status.ON_LOAN


def test_r_apr_1_every_step_of_a_path_is_checked_up_front(w):
    carrier = receive(w)
    two_step(w)
    # The unit head would be the beneficiary: nobody else heads the unit, so the path fails now.
    with refused("APR-2"):
        approvals.create_request(w.zhang, loan(w, carrier, w.deputy, beneficiary=w.leader))
    with refused("APR-1"):
        approvals.create_request(w.deputy, loan(w, carrier, w.deputy))
    assert not Request.objects.exists()


def test_r_apr_2_a_later_step_without_authority_is_refused_at_request_time(w):
    carrier = receive(w, level=Level.SECRET)
    approvals.set_policy(
        w.secadmin,
        w.unit,
        RequestKind.LOAN,
        Level.SECRET,
        [(PolicyRole.SECRECY_LEADER, None), (PolicyRole.PERSON, w.classifier)],
    )
    with refused("APR-2"):  # 孙定密 holds no loan authority
        approvals.create_request(w.zhang, loan(w, carrier, w.deputy))


def test_r_apr_2_authority_withdrawn_before_the_step_is_refused(w):
    carrier = receive(w)
    two_step(w)
    request = approvals.create_request(w.zhang, loan(w, carrier, w.deputy))
    approvals.approve(w.deputy, request)
    org.grant_approval_authority(w.system, w.leader, RequestKind.LOAN, Level.CONFIDENTIAL)
    with refused("APR-2"):
        approvals.approve(w.leader, request)


def test_r_apr_3_an_approved_path_is_consumed_once(w):
    carrier = receive(w)
    two_step(w)
    request = approvals.create_request(w.zhang, loan(w, carrier, w.deputy))
    approvals.approve(w.deputy, request)
    approvals.approve(w.leader, request)
    actions.lend(w.clerk, carrier, request)
    actions.return_to_registry(w.clerk, carrier)
    with refused("APR-3"):
        actions.lend(w.clerk, carrier, request)


def test_refusal_at_any_step_ends_the_request_with_its_reason(w):
    carrier = receive(w)
    two_step(w)
    request = approvals.create_request(w.zhang, loan(w, carrier, w.deputy))
    approvals.approve(w.deputy, request)
    with pytest.raises(Invalid):
        approvals.reject(w.leader, request, reason=" ")
    approvals.reject(w.leader, request, reason="近期不宜借出")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    last = request.steps.get(order=2)
    assert (last.outcome, last.comment) == (StepOutcome.REJECTED, "近期不宜借出")


def test_withdraw_while_pending_mid_path_only_by_the_requester(w):
    carrier = receive(w)
    two_step(w)
    request = approvals.create_request(w.zhang, loan(w, carrier, w.deputy))
    approvals.approve(w.deputy, request)
    with pytest.raises(Forbidden):
        approvals.withdraw(w.li, request)
    approvals.withdraw(w.zhang, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    with refused("invalid_state"):
        approvals.approve(w.leader, request)


def test_r_cr_7_top_secret_copy_default_path_records_issuer_consent_then_unit_head(w):
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.deputy])
    assert approvals.install_default_policies(w.secadmin, w.unit) > 0
    form = approvals.RequestForm(
        kind=RequestKind.COPY, carriers=[carrier], reason="会议", approver=w.leader, copies=1
    )
    request = approvals.create_request(w.deputy, form)
    assert [(s.role, s.approver) for s in request.steps.order_by("order")] == [
        (PolicyRole.ISSUER_CONSENT, w.clerk),
        (PolicyRole.UNIT_HEAD, w.leader),
    ]
    with refused("CR-7"):  # the clerk records the consent: 文号 and date required
        approvals.approve(w.clerk, request)
    approvals.approve(
        w.clerk, request, issuer_consent_doc="省办函〔2026〕3号", issuer_consent_date=today()
    )
    approvals.approve(w.leader, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert len(actions.copy(w.clerk, carrier, request, copies=1)) == 1


def test_r_cr_7_unit_setting_adds_the_consent_step_for_secret_copies(w):
    set_unit(w, issuer_consent_for_secret=True)
    carrier = receive(w, level=Level.SECRET)
    approvals.install_default_policies(w.secadmin, w.unit)
    form = approvals.RequestForm(
        kind=RequestKind.COPY, carriers=[carrier], reason="会议", approver=w.deputy, copies=1
    )
    request = approvals.create_request(w.zhang, form)
    roles = list(request.steps.order_by("order").values_list("role", flat=True))
    assert roles == [PolicyRole.ISSUER_CONSENT, PolicyRole.SECRECY_LEADER]


def test_r_cr_8_residence_take_out_must_come_back_the_same_day(w):
    carrier = receive(w)
    form = approvals.RequestForm(
        kind=RequestKind.TAKE_OUT,
        carriers=[carrier],
        reason="送领导审阅",
        approver=w.deputy,
        due_date=today() + timedelta(days=1),
        destination="钱领导住所",
        to_residence=True,
    )
    with refused("CR-8"):
        approvals.create_request(w.zhang, form)
    form.due_date = today()
    request = approvals.create_request(w.zhang, form)
    assert request.to_residence


def test_policies_are_set_by_the_security_officer_only(w):
    with refused("forbidden"):
        approvals.set_policy(
            w.clerk, w.unit, RequestKind.LOAN, Level.SECRET, [(PolicyRole.UNIT_HEAD, None)]
        )
    with pytest.raises(Invalid):
        approvals.set_policy(
            w.secadmin, w.unit, RequestKind.LOAN, Level.SECRET, [(PolicyRole.PERSON, None)]
        )
    two_step(w)
    assert ApprovalPolicy.objects.get().steps.count() == 2
    approvals.set_policy(w.secadmin, w.unit, RequestKind.LOAN, Level.SECRET, [])
    assert not ApprovalPolicy.objects.exists()
    assert not ApprovalStep.objects.exists()
