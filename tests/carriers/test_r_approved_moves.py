"""Moves that need an approval: loans (CR-6), copies (CR-7) and take-outs (CR-8)."""

from __future__ import annotations

from datetime import timedelta

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.carriers import actions
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import Carrier
from baomi.carriers.rules import today
from baomi.classification.choices import Level
from tests.factories import approved, receive, refused, set_unit


def pending(w, kind, carriers, **extra):
    form = approvals.RequestForm(
        kind=kind,
        carriers=list(carriers),
        reason="工作需要",
        approver=w.leader,
        due_date=None if kind == RequestKind.COPY else today() + timedelta(days=7),
        copies=1 if kind == RequestKind.COPY else None,
        **extra,
    )
    return approvals.create_request(w.zhang, form)


# --- CR-6 -----------------------------------------------------------------------------------


def test_r_cr_6_lend_without_approval_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("CR-6"):
        actions.lend(w.clerk, carrier, None)


def test_r_cr_6_lend_with_a_pending_request_is_refused(world):
    w = world
    carrier = receive(w)
    request = pending(w, RequestKind.LOAN, [carrier])
    with refused("CR-6"):
        actions.lend(w.clerk, carrier, request)


def test_r_cr_6_lend_with_a_rejected_request_is_refused(world):
    w = world
    carrier = receive(w)
    request = approvals.reject(w.leader, pending(w, RequestKind.LOAN, [carrier]), reason="不必要")
    with refused("CR-6"):
        actions.lend(w.clerk, carrier, request)


def test_r_cr_6_lend_with_a_withdrawn_request_is_refused(world):
    w = world
    carrier = receive(w)
    request = approvals.withdraw(w.zhang, pending(w, RequestKind.LOAN, [carrier]))
    with refused("CR-6"):
        actions.lend(w.clerk, carrier, request)


def test_r_cr_6_lend_with_approval_goes_to_the_beneficiary_with_a_due_date(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier], due=today() + timedelta(days=5))
    carrier = actions.lend(w.clerk, carrier, request)
    carrier.refresh_from_db()
    assert (carrier.status, carrier.holder, carrier.place) == (Status.ON_LOAN, w.zhang, None)
    assert carrier.due_date == today() + timedelta(days=5)
    assert carrier.out_request_id == request.pk
    event = carrier.events.last()
    assert (event.kind, event.request_id, event.holder_after) == (
        EventKind.LEND,
        request.pk,
        w.zhang,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.CONSUMED


# --- CR-7 -----------------------------------------------------------------------------------


def test_r_cr_7_copy_without_approval_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("CR-7"):
        actions.copy(w.clerk, carrier, None, copies=1)
    assert Carrier.objects.count() == 1


def test_r_cr_7_approving_a_top_secret_copy_without_issuer_consent_is_refused(world):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    request = approvals.create_request(
        w.clerk,
        approvals.RequestForm(
            kind=RequestKind.COPY,
            carriers=[carrier],
            reason="会议需要",
            approver=w.leader,
            copies=1,
        ),
    )
    with refused("CR-7"):
        approvals.approve(w.leader, request, comment="同意")
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_r_cr_7_approving_a_no_copy_carrier_without_issuer_consent_is_refused(world):
    w = world
    carrier = receive(w, level=Level.CONFIDENTIAL, no_copy=True)
    request = pending(w, RequestKind.COPY, [carrier])
    with refused("CR-7"):
        approvals.approve(w.leader, request)


def test_r_cr_7_issuer_consent_recorded_at_approval_allows_the_copy(world):
    w = world
    carrier = receive(w, no_copy=True)
    request = pending(w, RequestKind.COPY, [carrier])
    approvals.approve(
        w.leader, request, issuer_consent_doc="X政办函〔2026〕9号", issuer_consent_date=today()
    )
    made = actions.copy(w.clerk, carrier, request, copies=1)
    assert made[0].level == Level.SECRET and made[0].no_copy


def test_r_cr_7_unit_setting_extends_issuer_consent_to_secret(world):
    w = world
    carrier = receive(w)  # 机密
    plain = pending(w, RequestKind.COPY, [carrier])
    set_unit(w, issuer_consent_for_secret=True)
    with refused("CR-7"):
        approvals.approve(w.leader, plain)
    confidential = receive(w, level=Level.CONFIDENTIAL)
    approved(w, RequestKind.COPY, [confidential], copies=1)  # 秘密 still needs only the leader


def test_r_cr_7_copy_against_an_approval_granted_before_the_setting_is_refused(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.COPY, [carrier], copies=1)
    set_unit(w, issuer_consent_for_secret=True)
    with refused("CR-7"):
        actions.copy(w.clerk, carrier, request, copies=1)


def test_r_cr_7_copy_is_registered_numbered_and_audited(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.COPY, [carrier], copies=2)
    made = actions.copy(w.clerk, carrier, request, copies=2)
    assert [c.copy_no for c in made] == [1, 2]
    assert all(c.events.get().kind == EventKind.COPY for c in made)
    assert carrier.events.last().kind == EventKind.COPY  # the original's history shows it too


# --- CR-8 -----------------------------------------------------------------------------------


def test_r_cr_8_take_out_without_approval_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("CR-8"):
        actions.take_out(w.clerk, carrier, None)


def test_r_cr_8_take_out_with_a_pending_request_is_refused(world):
    w = world
    carrier = receive(w)
    request = pending(w, RequestKind.TAKE_OUT, [carrier], destination="省政府")
    with refused("CR-8"):
        actions.take_out(w.clerk, carrier, request)


def test_r_cr_8_unit_forbidding_state_secret_take_out_refuses_it(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.TAKE_OUT, [carrier], destination="省政府")
    set_unit(w, forbid_state_secret_take_out=True)
    with refused("CR-8"):
        actions.take_out(w.clerk, carrier, request)


def test_r_cr_8_unit_forbidding_take_out_refuses_the_request(world):
    w = world
    set_unit(w, forbid_state_secret_take_out=True)
    carrier = receive(w, level=Level.CONFIDENTIAL)
    with refused("CR-8"):
        pending(w, RequestKind.TAKE_OUT, [carrier], destination="省政府")
    internal = receive(w, level=Level.INTERNAL)  # 内部 is no state secret: still allowed
    request = approved(w, RequestKind.TAKE_OUT, [internal], destination="省政府")
    actions.take_out(w.clerk, internal, request)


def test_r_cr_8_take_out_with_approval(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.TAKE_OUT, [carrier], destination="省政府会议室")
    carrier = actions.take_out(w.clerk, carrier, request)
    assert (carrier.status, carrier.holder) == (Status.TAKEN_OUT, w.zhang)
    assert carrier.events.last().note == "省政府会议室"
