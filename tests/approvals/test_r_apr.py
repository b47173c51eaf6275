"""Approvals: nobody approves their own request (APR-1), only those with the authority and the
clearance (APR-2), and an approval covers exactly what it names, once, while valid (APR-3)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import RequestItem
from baomi.carriers import actions
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.carriers.rules import today
from baomi.classification.choices import Level
from baomi.org import actions as org
from tests.factories import approved, person, receive, refused


def approver(w, name, clearance, kind=RequestKind.LOAN, max_level=Level.TOP_SECRET):
    someone = person(w.system, w.unit, name, w.office, clearance, "")
    org.grant_approval_authority(w.system, someone, kind, max_level)
    return someone


def loan_form(w, carriers, *, approver_, beneficiary=None, days=7):
    return approvals.RequestForm(
        kind=RequestKind.LOAN,
        carriers=list(carriers),
        reason="阅读",
        approver=approver_,
        due_date=today() + timedelta(days=days),
        beneficiary=beneficiary,
    )


# --- APR-1 ----------------------------------------------------------------------------------


def test_r_apr_1_request_addressed_to_oneself_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("APR-1"):
        approvals.create_request(w.leader, loan_form(w, [carrier], approver_=w.leader))


def test_r_apr_1_request_for_the_approvers_own_benefit_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("APR-1"):
        approvals.create_request(
            w.zhang, loan_form(w, [carrier], approver_=w.leader, beneficiary=w.leader)
        )


def test_r_apr_1_the_beneficiary_cannot_approve(world):
    w = world
    carrier = receive(w)
    deputy = approver(w, "郑副职", "core")
    request = approvals.create_request(
        w.zhang, loan_form(w, [carrier], approver_=deputy, beneficiary=w.leader)
    )
    with refused("APR-1"):
        approvals.approve(w.leader, request)
    with refused("APR-1"):
        approvals.approve(w.zhang, request)  # nor the requester
    approvals.approve(deputy, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_r_apr_1_only_the_addressed_approver_decides(world):
    w = world
    carrier = receive(w)
    deputy = approver(w, "郑副职", "core")
    request = approvals.create_request(w.zhang, loan_form(w, [carrier], approver_=w.leader))
    with refused("forbidden"):
        approvals.approve(deputy, request)
    with refused("forbidden"):
        approvals.reject(deputy, request, reason="不同意")


# --- APR-2 ----------------------------------------------------------------------------------


def test_r_apr_2_approver_without_authority_for_the_kind_is_refused(world):
    w = world
    carrier = receive(w)
    copy_only = approver(w, "郑副职", "core", kind=RequestKind.COPY)
    for nobody in (w.classifier, copy_only, w.clerk):
        with refused("APR-2"):
            approvals.create_request(w.zhang, loan_form(w, [carrier], approver_=nobody))


def test_r_apr_2_authority_level_too_low_is_refused(world):
    w = world
    secret, confidential = receive(w), receive(w, level=Level.CONFIDENTIAL)
    low = approver(w, "郑副职", "core", max_level=Level.CONFIDENTIAL)
    with refused("APR-2"):
        approvals.create_request(w.zhang, loan_form(w, [confidential, secret], approver_=low))
    approvals.create_request(w.zhang, loan_form(w, [confidential], approver_=low))


def test_r_apr_2_approver_not_cleared_for_the_level_is_refused(world):
    w = world
    carrier = receive(w)  # 机密
    uncleared = approver(w, "郑副职", "general")  # authority up to 绝密, clearance 一般
    with refused("APR-2"):
        approvals.create_request(w.zhang, loan_form(w, [carrier], approver_=uncleared))


def test_r_apr_2_system_roles_hold_no_approval_authority(world):
    w = world
    with refused("SEC-3"):
        org.grant_approval_authority(w.system, w.secadmin, RequestKind.LOAN, Level.SECRET)
    carrier = receive(w)
    with refused("APR-2"):
        approvals.create_request(w.zhang, loan_form(w, [carrier], approver_=w.secadmin))


# --- APR-3 ----------------------------------------------------------------------------------


def test_r_apr_3_a_used_request_cannot_be_reused(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier])
    actions.lend(w.clerk, carrier, request)
    actions.return_to_registry(w.clerk, carrier)
    with refused("APR-3"):
        actions.lend(w.clerk, carrier, request)


def test_r_apr_3_each_carrier_of_a_request_is_used_once(world):
    w = world
    first, second = receive(w, copies=2)
    request = approved(w, RequestKind.LOAN, [first, second])
    actions.lend(w.clerk, first, request)
    actions.return_to_registry(w.clerk, first)
    with refused("APR-3"):
        actions.lend(w.clerk, first, request)
    actions.lend(w.clerk, second, request)  # the other named carrier still may go
    request.refresh_from_db()
    assert request.status == RequestStatus.CONSUMED


def test_r_apr_3_request_for_another_carrier_is_refused(world):
    w = world
    named, other = receive(w, copies=2)
    request = approved(w, RequestKind.LOAN, [named])
    with refused("APR-3"):
        actions.lend(w.clerk, other, request)


def test_r_apr_3_request_of_the_wrong_kind_is_refused(world):
    w = world
    carrier = receive(w)
    take_out = approved(w, RequestKind.TAKE_OUT, [carrier], destination="省政府")
    with refused("APR-3"):
        actions.lend(w.clerk, carrier, take_out)
    with refused("APR-3"):
        actions.copy(w.clerk, carrier, take_out, copies=1)


def test_r_apr_3_expired_approval_is_refused(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier], due=today() + timedelta(days=20))
    valid_days = w.unit.approval_valid_days
    later = timezone.now() + timedelta(days=valid_days, hours=1)
    with time_machine.travel(later, tick=False), refused("APR-3"):
        actions.lend(w.clerk, carrier, request)
    with time_machine.travel(timezone.now() + timedelta(days=valid_days - 1), tick=False):
        actions.lend(w.clerk, carrier, request)


def test_r_apr_3_due_date_beyond_the_approved_one_is_refused(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier], due=today() + timedelta(days=5))
    with refused("APR-3"):
        actions.lend(w.clerk, carrier, request, due_date=today() + timedelta(days=6))
    carrier = actions.lend(w.clerk, carrier, request, due_date=today() + timedelta(days=4))
    assert carrier.due_date == today() + timedelta(days=4)


def test_r_apr_3_take_out_due_beyond_the_approved_one_is_refused(world):
    w = world
    carrier = receive(w)
    request = approved(
        w, RequestKind.TAKE_OUT, [carrier], due=today() + timedelta(days=1), destination="省政府"
    )
    with refused("APR-3"):
        actions.take_out(w.clerk, carrier, request, due_date=today() + timedelta(days=2))


def test_r_apr_3_more_copies_than_approved_are_refused(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.COPY, [carrier], copies=2)
    with refused("APR-3"):
        actions.copy(w.clerk, carrier, request, copies=3)
    assert Carrier.objects.count() == 1
    assert actions.copy(w.clerk, carrier, request, copies=2)[-1].copy_no == 2


def test_r_apr_3_the_approval_names_the_person(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier], beneficiary=w.classifier)
    carrier = actions.lend(w.clerk, carrier, request)
    assert (carrier.status, carrier.holder) == (Status.ON_LOAN, w.classifier)
    assert RequestItem.objects.get(request=request).consumed_at is not None


def test_r_apr_3_a_decided_request_cannot_be_decided_again(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier])
    with refused("invalid_state"):
        approvals.approve(w.leader, request)
    with refused("invalid_state"):
        approvals.reject(w.leader, request, reason="改变主意")


def test_r_apr_3_a_carrier_named_twice_is_one_item(world):
    # Found by the state machine: a duplicate used to fail with an IntegrityError (a 500).
    w = world
    carrier = receive(w)
    request = approvals.create_request(
        w.zhang, loan_form(w, [carrier, carrier], approver_=w.leader)
    )
    assert list(request.items.values_list("carrier_id", flat=True)) == [carrier.pk]
