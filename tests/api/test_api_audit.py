"""The audit endpoints (auditor only) and what the API writes into the trail (SEC-3, SEC-4)."""

from __future__ import annotations

from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.classification.choices import Level
from tests.api.helpers import assert_conforms, assert_error
from tests.factories import approved, receive
from tests.tamper import tamper


def test_verify_is_for_the_auditor_only(world, api):
    receive(world)
    response = api(world.auditor).get("audit/verify")
    assert response.status_code == 200
    assert_conforms(response, "get", "audit/verify")
    body = response.json()
    assert body["ok"] is True and body["checked"] == AuditEvent.objects.count()
    assert "完整" in body["message"]
    for other in (world.sysadmin, world.secadmin, world.clerk, world.leader):
        assert_error(api(other).get("audit/verify"), 403, "forbidden")
        assert_error(api(other).get("audit/events"), 403, "forbidden")


def test_verify_reports_a_tampered_row(world, api):
    receive(world)
    auditor = api(world.auditor)
    victim = AuditEvent.objects.filter(event_type="carrier.register").get()
    tamper("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["别人", victim.pk])
    body = auditor.get("audit/verify").json()
    assert body["ok"] is False and body["broken_seq"] == victim.seq
    assert "篡改" in body["reason"]


def test_events_list_filters_and_pages(world, api):
    carrier = receive(world, copies=2)[0]
    clerk = api(world.clerk)
    clerk.post(f"carriers/{carrier.pk}/lend", {})  # refused, CR-6
    auditor = api(world.auditor)
    response = auditor.get("audit/events", {"page_size": 5})
    assert response.status_code == 200
    assert_conforms(response, "get", "audit/events")
    page = response.json()
    assert page["count"] == AuditEvent.objects.count() and len(page["results"]) == 5
    seqs = [e["seq"] for e in page["results"]]
    assert seqs == sorted(seqs, reverse=True)
    refused = auditor.get("audit/events", {"outcome": "refused"}).json()
    assert refused["count"] == 1
    event = refused["results"][0]
    assert event["rule_id"] == "CR-6" and event["outcome_display"] == "已拒绝"
    assert event["object_text"] == f"{carrier.label} 机密"  # number and level, never the title
    assert auditor.get("audit/events", {"rule_id": "CR-6"}).json()["count"] == 1
    by_object = auditor.get("audit/events", {"object_type": "carrier", "object_id": carrier.pk})
    assert by_object.json()["count"] == 2  # registered, refused
    assert auditor.get("audit/events", {"event_type": "carrier.register"}).json()["count"] == 2
    assert auditor.get("audit/events", {"since": "2999-01-01"}).json()["count"] == 0
    assert auditor.get("audit/events", {"until": "2999-12-31"}).json()["count"] == page["count"]
    assert_error(auditor.get("audit/events", {"outcome": "maybe"}), 422, "invalid")
    assert_error(auditor.get("audit/events", {"since": "0001-01-01"}), 422, "invalid")


def test_a_secret_detail_read_is_audited(world, api):
    carrier = receive(world, level=Level.SECRET)
    zhang = api(world.zhang)
    response = zhang.get(f"carriers/{carrier.pk}")
    assert response.status_code == 200
    read = AuditEvent.objects.filter(outcome="read").get()
    assert read.event_type == "carrier.read"
    assert read.actor_id == world.zhang.pk and read.object_id == carrier.pk
    assert read.correlation_id == response["X-Request-ID"]
    assert carrier.title not in (read.object_text + read.message)


def test_a_top_secret_detail_read_is_audited_too(world, api):
    carrier = receive(world, level=Level.TOP_SECRET)
    api(world.leader).get(f"carriers/{carrier.pk}")
    assert AuditEvent.objects.filter(outcome="read", object_id=carrier.pk).count() == 1


def test_lower_levels_are_not_read_events_and_a_list_is_one(world, api):
    carrier = receive(world, level=Level.CONFIDENTIAL)
    secret = receive(world, level=Level.SECRET)
    clerk = api(world.clerk)
    clerk.get(f"carriers/{carrier.pk}")
    assert not AuditEvent.objects.filter(outcome="read").exists()
    # Issue 10: a list showing 机密 is ONE read naming the numbers, not one row per carrier.
    clerk.get("carriers")
    read = AuditEvent.objects.get(outcome="read")
    assert read.event_type == "carrier.list_read" and read.after["numbers"] == [secret.label]


def test_a_not_visible_read_writes_no_read_event(world, api):
    carrier = receive(world, level=Level.SECRET)
    assert_error(api(world.wang).get(f"carriers/{carrier.pk}"), 404, "not_found")
    assert not AuditEvent.objects.filter(outcome="read").exists()


def test_audit_rows_carry_the_correlation_id_given_by_the_caller(world, api):
    carrier = receive(world)
    request = approved(world, RequestKind.LOAN, [carrier])
    clerk = api(world.clerk)
    response = clerk.client.post(
        f"/api/v1/carriers/{carrier.pk}/lend",
        data={"request_id": request.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=clerk.header,
        HTTP_X_REQUEST_ID="trace-0001-lend",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(event_type="carrier.lend")
    assert event.correlation_id == "trace-0001-lend" and event.request_id == request.pk


def test_a_refusal_names_the_approval_request_it_tried_to_use(world, api):
    first, second = receive(world, copies=2)
    request = approved(world, RequestKind.LOAN, [first])
    response = api(world.clerk).post(f"carriers/{second.pk}/lend", {"request_id": request.pk})
    assert response.status_code == 403 and response.json()["error"]["code"] == "APR-3"
    refusal = AuditEvent.objects.get(outcome="refused")
    assert refusal.rule_id == "APR-3" and refusal.request_id == request.pk
    assert refusal.object_id == second.pk and refusal.correlation_id == response["X-Request-ID"]
