"""The carrier endpoints' happy paths, checked against the published OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from tests.api.helpers import assert_conforms
from tests.api.test_api_rules import produced, received
from tests.factories import approved, receive


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_register_received_carriers_returns_the_created_copies(world, api):
    clerk = api(world.clerk)
    response = clerk.post("carriers", received(world, copies=3, scope_people=[world.leader.pk]))
    assert response.status_code == 201, response.content
    assert_conforms(response, "post", "carriers")
    made = response.json()
    assert [c["copy_no"] for c in made] == [1, 2, 3]
    assert len({c["number"] for c in made}) == 1
    first = made[0]
    assert first["level"] == "secret" and first["level_display"] == "机密"
    assert first["status"] == "in_registry" and first["status_display"] == "在库"
    assert first["marking"] == "机密★20年"
    assert first["period"] == {
        "kind": "years",
        "years": 20,
        "months": None,
        "until": None,
        "condition": None,
    }
    assert first["place"] == {"id": world.cabinet.pk, "name": world.cabinet.name}
    assert first["scope_people"] == [{"id": world.leader.pk, "name": "钱领导"}]
    assert first["scope_departments"] == [{"id": world.office.pk, "name": "办公室秘书科"}]
    assert Carrier.objects.filter(number=first["number"]).count() == 3
    assert AuditEvent.objects.filter(event_type="carrier.register", outcome="done").count() == 3


def test_register_produced_carrier_with_a_condition_period(world, api):
    body = produced(world, period={"kind": "condition", "condition": "启用前"})
    response = api(world.clerk).post("carriers", body)
    assert response.status_code == 201, response.content
    carrier = response.json()[0]
    assert carrier["marking"] == "秘密★启用前"
    assert carrier["classifier"]["id"] == world.classifier.pk
    assert carrier["marking_reviewer"]["id"] == world.clerk.pk
    assert carrier["source"] == "produced" and carrier["source_display"] == "本单位制发"


def test_list_filters_and_orders(world, api):
    receive(world, copies=2)
    receive(world, level=Level.CONFIDENTIAL, title="会议纪要", doc_number="X办纪〔2026〕7号")
    clerk = api(world.clerk)
    everything = clerk.get("carriers")
    assert everything.status_code == 200
    assert_conforms(everything, "get", "carriers")
    assert everything.json()["count"] == 3
    assert clerk.get("carriers", {"level": "confidential"}).json()["count"] == 1
    assert clerk.get("carriers", {"q": "纪〔2026〕7"}).json()["count"] == 1
    assert clerk.get("carriers", {"q": "会议"}).json()["count"] == 1
    assert clerk.get("carriers", {"status": "in_registry"}).json()["count"] == 3
    assert clerk.get("carriers", {"status": "on_loan"}).json()["count"] == 0
    assert clerk.get("carriers", {"department": world.office.pk}).json()["count"] == 3
    assert clerk.get("carriers", {"department": world.finance.pk}).json()["count"] == 0
    assert clerk.get("carriers", {"kind": "document"}).json()["count"] == 3
    numbers = [c["label"] for c in clerk.get("carriers", {"ordering": "number"}).json()["results"]]
    assert numbers == sorted(numbers)


def test_holder_and_overdue_filters(world, api, time_machine):
    carrier, _other = receive(world, copies=2)
    clerk = api(world.clerk)
    assert (
        clerk.post(
            f"carriers/{carrier.pk}/circulate",
            {"reader_id": world.zhang.pk, "due_date": in_days(2)},
        ).status_code
        == 200
    )
    assert clerk.get("carriers", {"holder": world.zhang.pk}).json()["count"] == 1
    assert clerk.get("carriers", {"overdue": "true"}).json()["count"] == 0
    time_machine.move_to(timezone.now() + timedelta(days=5))
    listed = clerk.get("carriers", {"overdue": "true"}).json()
    assert [c["id"] for c in listed["results"]] == [carrier.pk]
    assert listed["results"][0]["overdue"] is True
    assert clerk.get("carriers", {"overdue": "false"}).json()["count"] == 1


def test_detail_and_events(world, api):
    carrier = receive(world)
    clerk = api(world.clerk)
    detail = clerk.get(f"carriers/{carrier.pk}")
    assert detail.status_code == 200
    assert_conforms(detail, "get", "carriers/{carrier_id}")
    body = detail.json()
    assert body["label"] == carrier.label and body["title"] == carrier.title
    assert "circulate" in body["available_actions"] and "take-out" in body["available_actions"]
    events = clerk.get(f"carriers/{carrier.pk}/events")
    assert events.status_code == 200
    assert_conforms(events, "get", "carriers/{carrier_id}/events")
    assert [e["kind"] for e in events.json()["results"]] == ["register"]
    assert events.json()["results"][0]["kind_display"] == "登记"


def test_circulate_acknowledge_return(world, api):
    carrier = receive(world)
    clerk, zhang = api(world.clerk), api(world.zhang)
    response = clerk.post(
        f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk, "note": "请阅"}
    )
    assert response.status_code == 200, response.content
    assert_conforms(response, "post", "carriers/{carrier_id}/circulate")
    body = response.json()
    assert body["status"] == "circulating" and body["holder"]["id"] == world.zhang.pk
    assert body["acknowledged_at"] is None and body["place"] is None
    acknowledged = zhang.post(f"carriers/{carrier.pk}/acknowledge")
    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["acknowledged_at"] is not None
    returned = clerk.post(f"carriers/{carrier.pk}/return", {})
    assert returned.status_code == 200
    assert returned.json()["status"] == "in_registry"
    assert returned.json()["place"]["id"] == world.cabinet.pk
    kinds = [e["kind"] for e in clerk.get(f"carriers/{carrier.pk}/events").json()["results"]]
    assert kinds == ["register", "circulate", "acknowledge", "return"]


def test_lend_with_approval_records_the_request_id(world, api):
    carrier = receive(world)
    request = approved(world, RequestKind.LOAN, [carrier])
    response = api(world.clerk).post(
        f"carriers/{carrier.pk}/lend", {"request_id": request.pk, "note": "借阅"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "on_loan" and body["holder"]["id"] == world.zhang.pk
    assert body["out_request_id"] == request.pk
    assert body["due_date"] == request.due_date.isoformat()
    audit = AuditEvent.objects.filter(event_type="carrier.lend", outcome="done").get()
    assert audit.request_id == request.pk and audit.correlation_id
    assert response["X-Request-ID"] == audit.correlation_id


def test_take_out_with_approval(world, api):
    carrier = receive(world)
    request = approved(world, RequestKind.TAKE_OUT, [carrier], destination="省政府会议")
    response = api(world.clerk).post(
        f"carriers/{carrier.pk}/take-out", {"request_id": request.pk, "due_date": in_days(2)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "taken_out"
    assert response.json()["due_date"] == in_days(2)


def test_copy_with_approval_registers_copies_at_the_same_level(world, api):
    carrier = receive(world)
    request = approved(world, RequestKind.COPY, [carrier], copies=2)
    response = api(world.clerk).post(
        f"carriers/{carrier.pk}/copy", {"request_id": request.pk, "copies": 2}
    )
    assert response.status_code == 201, response.content
    assert_conforms(response, "post", "carriers/{carrier_id}/copy")
    made = response.json()
    assert len(made) == 2
    assert {c["level"] for c in made} == {"secret"}
    assert {c["original_id"] for c in made} == {carrier.pk}
    assert all(c["source"] == "copy" and c["copy_stamp"] for c in made)
    detail = api(world.clerk).get(f"carriers/{carrier.pk}").json()
    assert sorted(c["id"] for c in detail["copies"]) == sorted(c["id"] for c in made)


def test_relocate(world, api):
    carrier = receive(world)
    response = api(world.clerk).post(
        f"carriers/{carrier.pk}/relocate", {"place_id": world.safe.pk, "note": "调整"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["place"]["id"] == world.safe.pk
    assert response.json()["home_place"]["id"] == world.safe.pk


def test_amend_corrects_a_descriptive_field(world, api):
    carrier = receive(world)
    response = api(world.clerk).post(
        f"carriers/{carrier.pk}/amend",
        {
            "changes": {"title": "关于做好年度保密工作的通知（更正）", "pages": 3},
            "reason": "标题录入有误",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "关于做好年度保密工作的通知（更正）"
    assert response.json()["pages"] == 3


def test_amend_refuses_classification_fields_with_cl_8(world, api):
    carrier = receive(world)
    response = api(world.clerk).post(
        f"carriers/{carrier.pk}/amend",
        {
            "changes": {"level": "confidential"},
            "reason": "降密",
        },
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "CL-8"
    carrier.refresh_from_db()
    assert carrier.level == Level.SECRET


def test_void(world, api):
    carrier = receive(world)
    response = api(world.clerk).post(f"carriers/{carrier.pk}/void", {"reason": "重复登记"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "voided"


def test_report_lost_by_the_holder_and_found_by_the_clerk(world, api):
    carrier = receive(world)
    clerk, zhang = api(world.clerk), api(world.zhang)
    clerk.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk})
    lost = zhang.post(f"carriers/{carrier.pk}/report-lost", {"note": "会后未找到"})
    assert lost.status_code == 200, lost.content
    assert lost.json()["status"] == "lost"
    found = clerk.post(f"carriers/{carrier.pk}/found", {"place_id": world.safe.pk})
    assert found.status_code == 200, found.content
    assert found.json()["status"] == "in_registry"
    assert found.json()["place"]["id"] == world.safe.pk
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY


def test_places_and_departments_lists(world, api):
    zhang = api(world.zhang)
    places = zhang.get("places")
    assert places.status_code == 200
    names = {p["name"] for p in places.json()["results"]}
    assert names == {world.safe.name, world.cabinet.name, world.reading_room.name}
    assert_conforms(places, "get", "places")
    departments = zhang.get("departments")
    assert departments.status_code == 200
    assert departments.json()["count"] == 4


def test_longest_issuer_and_number_still_fit_the_composed_basis(world, api):
    body = received(world, issuer="机" * 100, doc_number="号" * 100)
    response = api(world.clerk).post("carriers", body)
    assert response.status_code == 201, response.content
    assert len(Carrier.objects.get(pk=response.json()[0]["id"]).basis) <= 200
