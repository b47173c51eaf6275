"""Every MUST rule the API can hit, refused through the API: 403 with the rule id, the ledger and
the requests exactly as before, and the refusal itself in the audit trail (SEC-4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.carriers.choices import Status
from baomi.classification.choices import Level
from tests.api.helpers import assert_refused, last_seq, ledger_state
from tests.factories import approved, receive


def refused(call, rule_id: str) -> dict:
    before, seq = ledger_state(), last_seq()
    return assert_refused(call(), rule_id, before, seq)


def received(w, **over) -> dict:
    body = {
        "kind": "document",
        "title": "关于做好年度保密工作的通知",
        "doc_date": "2026-01-05",
        "level": "secret",
        "source": "received",
        "place_id": w.cabinet.pk,
        "issuer": "XX省人民政府办公厅",
        "doc_number": "X政办发〔2026〕1号",
        "scope_departments": [w.office.pk],
    }
    return {**body, **over}


def produced(w, **over) -> dict:
    body = {
        "kind": "document",
        "title": "本单位年度保密工作要点",
        "doc_date": "2026-01-05",
        "level": "confidential",
        "source": "produced",
        "place_id": w.cabinet.pk,
        "period": {"kind": "years", "years": 5},
        "classifier_id": w.classifier.pk,
        "basis": "本单位保密事项目录第3条",
        "marking_reviewer_id": w.clerk.pk,
        "scope_departments": [w.office.pk],
    }
    return {**body, **over}


@pytest.fixture
def clerk(api, world):
    return api(world.clerk)


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


# --- classification (CL) ----------------------------------------------------------------------


def test_r_cl_1_state_category_on_internal_level_is_refused(world, clerk):
    body = received(world, level="internal", category="state")
    refused(lambda: clerk.post("carriers", body), "CL-1")


def test_r_cl_2_produced_state_secret_without_period_is_refused(world, clerk):
    body = produced(world)
    del body["period"]
    refused(lambda: clerk.post("carriers", body), "CL-2")


def test_r_cl_2_registration_without_scope_is_refused(world, clerk):
    refused(lambda: clerk.post("carriers", received(world, scope_departments=[])), "CL-2")


def test_r_cl_3_period_beyond_the_level_maximum_is_refused(world, clerk):
    body = received(world, period={"kind": "years", "years": 25})
    refused(lambda: clerk.post("carriers", body), "CL-3")


def test_r_cl_5_copy_may_not_lower_the_level(world, clerk):
    carrier = receive(world)
    request = approved(world, RequestKind.COPY, [carrier])
    body = {"request_id": request.pk, "copies": 1, "level": "confidential"}
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/copy", body), "CL-5")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED  # not consumed by the refused copy


def test_r_cl_10_state_secret_marking_needs_a_reviewer(world, clerk):
    body = produced(world, marking_reviewer_id=None)
    refused(lambda: clerk.post("carriers", body), "CL-10")


def test_r_cl_10_classifier_cannot_review_their_own_marking(world, clerk):
    body = produced(world, marking_reviewer_id=world.classifier.pk)
    refused(lambda: clerk.post("carriers", body), "CL-10")


def test_r_cl_11_level_beyond_the_units_authority_is_refused(world, clerk):
    body = produced(world, level="top_secret", place_id=world.safe.pk)
    refused(lambda: clerk.post("carriers", body), "CL-11")


def test_r_cl_11_classification_needs_the_units_classifier(world, clerk):
    body = produced(world, classifier_id=world.zhang.pk)
    refused(lambda: clerk.post("carriers", body), "CL-11")


# --- custody (CR) -----------------------------------------------------------------------------


def test_r_cr_1_only_a_registry_clerk_registers(world, api):
    zhang = api(world.zhang)
    refused(lambda: zhang.post("carriers", received(world)), "CR-1")


def test_r_cr_1_system_roles_cannot_register_either(world, api):
    sysadmin = api(world.sysadmin)
    refused(lambda: sysadmin.post("carriers", received(world)), "CR-1")


def test_r_cr_4_passing_sideways_is_refused(world, clerk):
    carrier = receive(world)
    assert (
        clerk.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}).status_code
        == 200
    )
    refused(
        lambda: clerk.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.classifier.pk}),
        "CR-4",
    )
    carrier.refresh_from_db()
    assert carrier.holder_id == world.zhang.pk and carrier.status == Status.CIRCULATING


def test_r_cr_4_reader_outside_the_scope_is_refused(world, clerk):
    carrier = receive(world, scope_departments=[world.finance])
    refused(
        lambda: clerk.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}),
        "CR-4",
    )


def test_r_cr_5_top_secret_is_never_lent(world, clerk):
    carrier = receive(world, level=Level.TOP_SECRET)
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/lend", {}), "CR-5")


def test_r_cr_5_top_secret_circulates_the_same_day_only(world, clerk):
    carrier = receive(world, level=Level.TOP_SECRET, scope_people=[world.leader])
    body = {"reader_id": world.leader.pk, "due_date": in_days(1)}
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/circulate", body), "CR-5")


def test_r_cr_6_lend_without_approval_is_refused(world, clerk):
    carrier = receive(world)
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/lend", {"due_date": in_days(3)}), "CR-6")


def test_r_cr_6_lend_on_a_pending_request_is_refused(world, api, clerk):
    carrier = receive(world)
    created = api(world.zhang).post(
        "requests",
        {
            "kind": "loan",
            "carrier_ids": [carrier.pk],
            "reason": "起草材料需要参阅",
            "approver_id": world.leader.pk,
            "due_date": in_days(5),
        },
    )
    assert created.status_code == 201
    body = {"request_id": created.json()["id"]}
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/lend", body), "CR-6")


def test_r_cr_7_copy_without_approval_is_refused(world, clerk):
    carrier = receive(world)
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/copy", {"copies": 2}), "CR-7")


def test_r_cr_7_no_copy_carrier_needs_the_issuers_consent_to_approve(world, api):
    carrier = receive(world, no_copy=True)
    created = api(world.zhang).post(
        "requests",
        {
            "kind": "copy",
            "carrier_ids": [carrier.pk],
            "reason": "会议需要",
            "copies": 2,
            "approver_id": world.leader.pk,
        },
    )
    assert created.status_code == 201
    leader = api(world.leader)
    refused(
        lambda: leader.post(f"requests/{created.json()['id']}/approve", {"comment": "同意"}), "CR-7"
    )


def test_r_cr_8_take_out_without_approval_is_refused(world, clerk):
    carrier = receive(world)
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/take-out", {}), "CR-8")


def test_r_cr_15_top_secret_registered_outside_a_safe_is_refused(world, clerk):
    body = received(world, level="top_secret", place_id=world.cabinet.pk)
    refused(lambda: clerk.post("carriers", body), "CR-15")


def test_r_cr_15_top_secret_relocated_to_a_cabinet_is_refused(world, clerk):
    carrier = receive(world, level=Level.TOP_SECRET)
    body = {"place_id": world.cabinet.pk}
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/relocate", body), "CR-15")


def test_r_cr_17_circulation_beyond_the_units_limit_is_refused(world, clerk):
    carrier = receive(world)
    body = {"reader_id": world.zhang.pk, "due_date": in_days(40)}
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/circulate", body), "CR-17")


# --- people, approvals, system roles ----------------------------------------------------------


def test_r_per_1_reader_whose_clearance_is_too_low_is_refused(world, clerk):
    carrier = receive(world)  # 机密, in scope of 办公室秘书科; 李四 is 一般
    refused(
        lambda: clerk.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.li.pk}),
        "PER-1",
    )


def test_r_per_1_request_for_a_beneficiary_without_clearance_is_refused(world, api):
    carrier = receive(world)
    zhang = api(world.zhang)
    body = {
        "kind": "loan",
        "carrier_ids": [carrier.pk],
        "reason": "工作需要",
        "approver_id": world.leader.pk,
        "due_date": in_days(3),
        "beneficiary_id": world.li.pk,
    }
    refused(lambda: zhang.post("requests", body), "PER-1")


def test_r_apr_1_nobody_approves_their_own_request(world, api):
    carrier = receive(world)
    zhang = api(world.zhang)
    body = {
        "kind": "loan",
        "carrier_ids": [carrier.pk],
        "reason": "工作需要",
        "approver_id": world.zhang.pk,
        "due_date": in_days(3),
    }
    refused(lambda: zhang.post("requests", body), "APR-1")


def test_r_apr_1_the_requester_cannot_approve_through_the_approve_endpoint(world, api):
    carrier = receive(world)
    leader = api(world.leader)
    created = leader.post(
        "requests",
        {
            "kind": "loan",
            "carrier_ids": [carrier.pk],
            "reason": "工作需要",
            "approver_id": world.clerk.pk,
            "due_date": in_days(3),
            "beneficiary_id": world.zhang.pk,
        },
    )
    # 赵保密 holds no loan authority: APR-2 refuses the filing itself.
    assert created.status_code == 403 and created.json()["error"]["code"] == "APR-2"
    created = api(world.zhang).post(
        "requests",
        {
            "kind": "loan",
            "carrier_ids": [carrier.pk],
            "reason": "工作需要",
            "approver_id": world.leader.pk,
            "due_date": in_days(3),
        },
    )
    request_id = created.json()["id"]
    zhang = api(world.zhang)
    refused(lambda: zhang.post(f"requests/{request_id}/approve", {}), "APR-1")


def test_r_apr_2_approver_without_authority_is_refused(world, api):
    carrier = receive(world)
    zhang = api(world.zhang)
    body = {
        "kind": "loan",
        "carrier_ids": [carrier.pk],
        "reason": "工作需要",
        "approver_id": world.classifier.pk,
        "due_date": in_days(3),
    }
    refused(lambda: zhang.post("requests", body), "APR-2")


def test_r_apr_3_approval_does_not_cover_another_carrier(world, clerk):
    first, second = receive(world, copies=2)
    request = approved(world, RequestKind.LOAN, [first])
    body = {"request_id": request.pk}
    refused(lambda: clerk.post(f"carriers/{second.pk}/lend", body), "APR-3")


def test_r_apr_3_approval_cannot_be_reused(world, clerk):
    carrier = receive(world)
    request = approved(world, RequestKind.LOAN, [carrier])
    assert clerk.post(f"carriers/{carrier.pk}/lend", {"request_id": request.pk}).status_code == 200
    assert clerk.post(f"carriers/{carrier.pk}/return", {}).status_code == 200
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/lend", {"request_id": request.pk}), "APR-3")


def test_r_apr_3_due_date_beyond_the_approved_one_is_refused(world, clerk):
    carrier = receive(world)
    request = approved(world, RequestKind.LOAN, [carrier], due=timezone.localdate() + timedelta(3))
    body = {"request_id": request.pk, "due_date": in_days(10)}
    refused(lambda: clerk.post(f"carriers/{carrier.pk}/lend", body), "APR-3")


def test_r_sec_3_system_role_cannot_receive_a_carrier(world, clerk):
    carrier = receive(world)
    refused(
        lambda: clerk.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.sysadmin.pk}),
        "SEC-3",
    )
