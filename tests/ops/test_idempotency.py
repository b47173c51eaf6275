"""Faults lose nothing and say so (issue 10, item 7): Idempotency-Key on API writes, the answer
built inside the write's transaction, database unavailability as a JSON 503."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from baomi.api.models import IdempotentRequest
from baomi.audit.models import AuditEvent
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier, CustodyEvent
from tests.api.helpers import BASE, api_as, assert_error
from tests.factories import receive


def post(client, path: str, body: dict, key: str | None = None):
    headers = {"HTTP_AUTHORIZATION": client.header}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.client.post(
        BASE + path, data=json.dumps(body), content_type="application/json", **headers
    )


def test_a_retry_after_a_lost_answer_returns_the_first_result(world):
    carrier = receive(world)
    clerk = api_as(world, world.clerk)
    body = {"reader_id": world.zhang.pk, "note": "请阅"}
    first = post(clerk, f"carriers/{carrier.pk}/circulate", body, key="circulate-1")
    assert first.status_code == 200, first.content
    audit_rows, events = AuditEvent.objects.count(), CustodyEvent.objects.count()
    # The client never saw `first` (connection lost) and sends the same request again.
    retry = post(clerk, f"carriers/{carrier.pk}/circulate", body, key="circulate-1")
    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    # No second change, and no refusal (CR-4) audited for the retry.
    assert AuditEvent.objects.count() == audit_rows
    assert CustodyEvent.objects.count() == events
    assert not AuditEvent.objects.filter(outcome="refused").exists()
    # Without the key the same retry is a new attempt: refused under CR-4 and audited.
    again = post(clerk, f"carriers/{carrier.pk}/circulate", body)
    assert_error(again, 403, "CR-4")
    assert AuditEvent.objects.filter(outcome="refused", rule_id="CR-4").count() == 1


def test_a_refusal_is_remembered_too_and_not_audited_twice(world):
    carrier = receive(world)
    clerk = api_as(world, world.clerk)
    body = {"reader_id": world.wang.pk}  # 非涉密: may not hold a 机密 carrier
    first = post(clerk, f"carriers/{carrier.pk}/circulate", body, key="k-refused")
    assert first.status_code == 403
    refusals = AuditEvent.objects.filter(outcome="refused").count()
    retry = post(clerk, f"carriers/{carrier.pk}/circulate", body, key="k-refused")
    assert retry.status_code == 403 and retry.json() == first.json()
    assert AuditEvent.objects.filter(outcome="refused").count() == refusals == 1


def test_the_same_key_with_another_body_is_refused_422(world):
    carrier = receive(world)
    clerk = api_as(world, world.clerk)
    post(clerk, f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}, key="k")
    other = post(clerk, f"carriers/{carrier.pk}/circulate", {"reader_id": world.li.pk}, key="k")
    error = assert_error(other, 422, "invalid")
    assert "Idempotency-Key" in error["detail"]
    assert Carrier.objects.get(pk=carrier.pk).holder_id == world.zhang.pk
    another_path = post(clerk, f"carriers/{carrier.pk}/relocate", {"place_id": 1}, key="k")
    assert_error(another_path, 422, "invalid")


def test_a_malformed_key_is_refused_422(world):
    carrier = receive(world)
    clerk = api_as(world, world.clerk)
    for bad in ("", "x" * 256, "含中文"):
        response = post(clerk, f"carriers/{carrier.pk}/circulate", {"reader_id": 1}, key=bad)
        assert_error(response, 422, "invalid")
    assert Carrier.objects.get(pk=carrier.pk).status == Status.IN_REGISTRY


def test_keys_are_per_caller(world):
    first, second = receive(world), receive(world)
    clerk = api_as(world, world.clerk)
    leader = api_as(world, world.leader)
    a = post(clerk, f"carriers/{first.pk}/circulate", {"reader_id": world.zhang.pk}, key="same")
    b = post(leader, f"carriers/{second.pk}/void", {"reason": "登记错误"}, key="same")
    assert a.status_code == 200
    assert "Idempotent-Replayed" not in b  # the leader's key is the leader's own
    assert IdempotentRequest.objects.filter(key="same").count() == 2


def test_keys_expire_after_24_hours(world, time_machine):
    carrier = receive(world)
    clerk = api_as(world, world.clerk)
    body = {"reader_id": world.zhang.pk}
    time_machine.move_to(world_now := IdempotentRequest._meta.get_field("created_at").default())
    post(clerk, f"carriers/{carrier.pk}/circulate", body, key="old")
    time_machine.move_to(world_now + timedelta(hours=25))
    later = post(clerk, f"carriers/{carrier.pk}/circulate", body, key="old")
    # Forgotten: this is a new attempt, refused because the carrier is out (CR-4).
    assert_error(later, 403, "CR-4")
    assert "Idempotent-Replayed" not in later


def test_an_error_while_building_the_answer_undoes_the_write(world, monkeypatch):
    """The fault that turned committed writes into 500s: now the write and its answer are one
    transaction, so the client told "failed" finds nothing done."""
    carrier = receive(world)
    clerk = api_as(world, world.clerk)
    audit_rows = AuditEvent.objects.count()

    def lost_connection(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("baomi.carriers.api.carrier_detail", lost_connection)
    response = post(clerk, f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}, "k1")
    assert_error(response, 503, "unavailable")
    assert response["Retry-After"]
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY and carrier.holder_id is None
    assert AuditEvent.objects.count() == audit_rows
    assert not IdempotentRequest.objects.exists()  # a 5xx is not remembered: retry it
    monkeypatch.undo()
    retry = post(clerk, f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}, "k1")
    assert retry.status_code == 200 and retry.json()["status"] == "circulating"


@pytest.fixture
def database_down(world):
    """`database_down()` makes every statement fail as a refused connection does; undone
    before the test database's own teardown (which needs statements)."""

    def refuse(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with pytest.MonkeyPatch.context() as patch:

        def arm():
            patch.setattr(CursorWrapper, "execute", refuse)
            patch.setattr(CursorWrapper, "executemany", refuse)

        yield arm


def test_database_down_answers_json_503_with_retry_after(world, database_down):
    carrier = receive(world)
    clerk = api_as(world, world.clerk)
    clerk.client = Client(raise_request_exception=False)
    database_down()
    for response in (
        clerk.get("carriers"),
        post(clerk, f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}),
        post(clerk, f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}, "k"),
    ):
        error = assert_error(response, 503, "unavailable")
        assert "稍后重试" in error["message"]
        assert int(response["Retry-After"]) > 0
        assert response["Content-Type"].startswith("application/json")


def test_database_down_on_a_page_is_a_503_not_a_server_error(world, database_down):
    client = Client(raise_request_exception=False)
    client.force_login(world.clerk.user)
    database_down()
    response = client.get("/carriers/")
    assert response.status_code == 503 and "数据库暂时不可用" in response.content.decode()


def test_the_openapi_schema_documents_the_idempotency_key(world):
    schema = api_as(world, world.clerk).get("openapi.json").json()
    circulate = schema["paths"][BASE + "carriers/{carrier_id}/circulate"]["post"]
    assert any(
        p["name"] == "Idempotency-Key" and p["in"] == "header" for p in circulate["parameters"]
    )
    listing = schema["paths"][BASE + "carriers"]["get"]
    assert all(p["name"] != "Idempotency-Key" for p in listing.get("parameters", []))
    assert "Idempotency-Key" in schema["info"]["description"]
    assert "503" in schema["info"]["description"]
