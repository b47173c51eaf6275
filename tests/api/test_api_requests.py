"""Requests through the API: file, list, read, approve, reject, withdraw."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent
from tests.api.helpers import assert_conforms, assert_error
from tests.factories import receive


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def file_loan(api, w, carrier, **over):
    body = {
        "kind": "loan",
        "carrier_ids": [carrier.pk],
        "reason": "起草材料需要参阅",
        "approver_id": w.leader.pk,
        "due_date": in_days(5),
        **over,
    }
    return api(w.zhang).post("requests", body)


def test_file_approve_then_lend(world, api):
    carrier = receive(world)
    created = file_loan(api, world, carrier)
    assert created.status_code == 201, created.content
    assert_conforms(created, "post", "requests")
    body = created.json()
    assert body["status"] == "pending" and body["status_display"] == "待审批"
    assert body["kind"] == "loan" and body["kind_display"] == "借阅"
    assert body["carriers"] == [
        {
            "id": carrier.pk,
            "label": carrier.label,
            "level": "secret",
            "level_display": "机密",
            "consumed_at": None,
        }
    ]
    assert "title" not in body["carriers"][0]
    assert body["steps"][0]["approver"]["id"] == world.leader.pk
    audit = AuditEvent.objects.get(event_type="request.create")
    assert audit.request_id == body["id"]

    approved = api(world.leader).post(f"requests/{body['id']}/approve", {"comment": "同意"})
    assert approved.status_code == 200, approved.content
    assert_conforms(approved, "post", "requests/{request_id}/approve")
    assert approved.json()["status"] == "approved"
    assert approved.json()["expires_at"] is not None
    assert approved.json()["steps"][0]["outcome"] == "approved"

    lent = api(world.clerk).post(f"carriers/{carrier.pk}/lend", {"request_id": body["id"]})
    assert lent.status_code == 200, lent.content
    detail = api(world.zhang).get(f"requests/{body['id']}")
    assert detail.status_code == 200
    assert_conforms(detail, "get", "requests/{request_id}")
    assert detail.json()["status"] == "consumed"
    assert detail.json()["carriers"][0]["consumed_at"] is not None


def test_reject_with_a_reason(world, api):
    created = file_loan(api, world, receive(world)).json()
    rejected = api(world.leader).post(f"requests/{created['id']}/reject", {"reason": "无必要"})
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["steps"][0]["comment"] == "无必要"


def test_withdraw_by_the_requester_only(world, api):
    created = file_loan(api, world, receive(world)).json()
    other = api(world.leader).post(f"requests/{created['id']}/withdraw")
    assert_error(other, 403, "forbidden")
    withdrawn = api(world.zhang).post(f"requests/{created['id']}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn"
    again = api(world.zhang).post(f"requests/{created['id']}/withdraw")
    error = assert_error(again, 409, "invalid_state")
    assert error["detail"]["status"] == "withdrawn"


def test_copy_request_with_the_issuers_consent_is_approved(world, api):
    carrier = receive(world, no_copy=True)
    created = (
        api(world.zhang)
        .post(
            "requests",
            {
                "kind": "copy",
                "carrier_ids": [carrier.pk],
                "reason": "会议需要",
                "copies": 2,
                "approver_id": world.leader.pk,
            },
        )
        .json()
    )
    approved = api(world.leader).post(
        f"requests/{created['id']}/approve",
        {
            "issuer_consent_doc": "X政办函〔2026〕3号",
            "issuer_consent_date": in_days(0),
        },
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["issuer_consent_doc"] == "X政办函〔2026〕3号"
    made = api(world.clerk).post(
        f"carriers/{carrier.pk}/copy", {"request_id": created["id"], "copies": 2}
    )
    assert made.status_code == 201, made.content


def test_list_filters_mine_and_to_approve(world, api):
    first, second = receive(world, copies=2)
    file_loan(api, world, first)
    created = file_loan(api, world, second).json()
    api(world.zhang).post(f"requests/{created['id']}/withdraw")

    mine = api(world.zhang).get("requests", {"mine": "true"})
    assert mine.status_code == 200
    assert_conforms(mine, "get", "requests")
    assert mine.json()["count"] == 2
    assert api(world.zhang).get("requests", {"status": "withdrawn"}).json()["count"] == 1
    assert api(world.zhang).get("requests", {"kind": "copy"}).json()["count"] == 0
    to_approve = api(world.leader).get("requests", {"to_approve": "true"}).json()
    assert to_approve["count"] == 1
    assert api(world.zhang).get("requests", {"to_approve": "true"}).json()["count"] == 0
    assert api(world.clerk).get("requests").json()["count"] == 2  # the unit's clerk sees all


def test_requests_are_invisible_to_others(world, api):
    created = file_loan(api, world, receive(world)).json()
    for outsider in (world.li, world.wang, world.sysadmin, world.auditor):
        client = api(outsider)
        assert client.get("requests").json()["count"] == 0
        assert_error(client.get(f"requests/{created['id']}"), 404, "not_found")
        assert_error(client.post(f"requests/{created['id']}/approve", {}), 404, "not_found")
    assert Request.objects.get(pk=created["id"]).status == "pending"


def test_listing_requests_takes_a_fixed_number_of_queries(
    world, api, django_assert_max_num_queries
):
    carriers = receive(world, copies=6)
    for carrier in carriers:
        file_loan(api, world, carrier)
    leader = api(world.leader)
    leader.get("me")  # the token's first use writes last_used_at; not part of the list
    with django_assert_max_num_queries(12):
        listed = leader.get("requests").json()
    assert listed["count"] == 6


def test_listing_carriers_takes_a_fixed_number_of_queries(
    world, api, django_assert_max_num_queries
):
    receive(world, copies=20)
    clerk = api(world.clerk)
    clerk.get("me")
    with django_assert_max_num_queries(8):
        listed = clerk.get("carriers").json()
    assert listed["count"] == 20
