"""Who may call (401), what they may see (404, absent from lists and counts), and `me`."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from baomi.approvals.choices import RequestKind
from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.org.models import ApiToken
from tests.api.helpers import ApiClient, api_as, assert_conforms, assert_error
from tests.factories import approved, receive


def test_without_a_token_is_401(world):
    for path in ("me", "carriers", "requests", "people", "audit/verify"):
        assert_error(ApiClient(None).get(path), 401, "unauthenticated")
    assert_error(ApiClient(None).post("carriers", {}), 401, "unauthenticated")


def test_unknown_or_malformed_token_is_401(world):
    for header in (
        "Bearer bm_not-a-token",
        "Bearer ",
        "Token abc",
        "Basic YWJjOmRlZg==",
        "Bearer " + "x" * 5000,
    ):
        assert_error(ApiClient(None, header=header).get("me"), 401, "unauthenticated")


def test_revoked_token_is_401(world):
    token = org.create_token(world.system, world.zhang)
    assert ApiClient(token).get("me").status_code == 200
    # Revoking has no action yet; the raw SQL stands in for it (test-only write).
    ApiToken.objects.filter(digest=ApiToken.digest_of(token)).update(revoked=True)
    assert_error(ApiClient(token).get("me"), 401, "unauthenticated")


def test_only_the_digest_is_stored_and_last_use_is_recorded_once_a_minute(world, time_machine):
    token = org.create_token(world.system, world.zhang)
    stored = ApiToken.objects.get(person=world.zhang)
    assert stored.digest == ApiToken.digest_of(token) and token not in stored.digest
    assert stored.last_used_at is None
    client = ApiClient(token)
    client.get("me")
    first = ApiToken.objects.get(pk=stored.pk).last_used_at
    assert first is not None
    time_machine.move_to(timezone.now() + timedelta(seconds=20))
    client.get("me")
    assert ApiToken.objects.get(pk=stored.pk).last_used_at == first
    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    client.get("me")
    assert ApiToken.objects.get(pk=stored.pk).last_used_at > first


def test_the_web_session_also_works(world):
    client = Client()
    client.force_login(world.zhang.user)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["name"] == "张三"


def test_a_bad_token_beside_a_session_is_still_401(world):
    client = Client()
    client.force_login(world.zhang.user)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong")
    assert_error(response, 401, "unauthenticated")


def test_me_shows_person_roles_and_clearance(world, api):
    response = api(world.leader).get("me")
    assert response.status_code == 200
    assert_conforms(response, "get", "me")
    me = response.json()
    assert me["name"] == "钱领导" and me["username"] == "lingdao"
    assert me["clearance"] == "core" and me["clearance_display"] == "核心"
    assert me["max_level"] == "top_secret" and me["max_level_display"] == "绝密"
    assert set(me["roles"]) == {"unit_head", "approver"}
    assert {a["kind"] for a in me["approval_authorities"]} == set(RequestKind.values)
    auditor = api(world.auditor).get("me").json()
    assert auditor["roles"] == ["auditor"] and auditor["system_role_display"] == "安全审计员"


def test_people_directory_filters_and_detail(world, api):
    client = api(world.zhang)
    people = client.get("people")
    assert people.status_code == 200
    assert_conforms(people, "get", "people")
    assert people.json()["count"] == 9  # the automation actor is not a person to list
    assert client.get("people", {"username": "wangwu"}).json()["results"][0]["name"] == "王五"
    assert client.get("people", {"department": world.office.pk}).json()["count"] == 4
    assert client.get("people", {"q": "李"}).json()["count"] == 1
    detail = client.get(f"people/{world.li.pk}")
    assert detail.status_code == 200
    assert_conforms(detail, "get", "people/{person_id}")
    assert detail.json()["clearance"] == "general"
    assert_error(client.get(f"people/{world.system.pk}"), 404, "not_found")
    assert_error(client.get("people/999999"), 404, "not_found")


def test_uncleared_person_cannot_see_a_secret_carrier(world, api):
    secret = receive(world, level=Level.SECRET, scope_departments=[world.office, world.finance])
    wang = api(world.wang)
    assert_error(wang.get(f"carriers/{secret.pk}"), 404, "not_found")
    assert_error(wang.get(f"carriers/{secret.pk}/events"), 404, "not_found")
    assert_error(wang.post(f"carriers/{secret.pk}/acknowledge"), 404, "not_found")
    assert wang.get("carriers").json()["count"] == 0


def test_out_of_scope_carriers_are_absent_from_lists_and_counts(world, api):
    receive(world, copies=2)  # 办公室秘书科
    receive(world, scope_departments=[world.finance])
    receive(world, level=Level.TOP_SECRET)  # 办公室秘书科, but 张三 is 重要
    assert api(world.clerk).get("carriers").json()["count"] == 4
    zhang = api(world.zhang).get("carriers", {"page_size": 200}).json()
    assert zhang["count"] == 2 and len(zhang["results"]) == 2
    assert api(world.leader).get("carriers").json()["count"] == 3
    assert api(world.li).get("carriers").json()["count"] == 0  # 一般 covers no 机密


def test_the_three_system_roles_see_no_carriers(world, api):
    carrier = receive(world)
    for admin in (world.sysadmin, world.secadmin, world.auditor):
        client = api(admin)
        listed = client.get("carriers")
        assert listed.status_code == 200 and listed.json()["count"] == 0
        assert listed.json()["results"] == []
        assert_error(client.get(f"carriers/{carrier.pk}"), 404, "not_found")
        assert_error(
            client.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}),
            404,
            "not_found",
        )


def test_a_non_clerk_acting_on_a_visible_carrier_is_forbidden(world, api):
    carrier = receive(world)
    response = api(world.zhang).post(
        f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk}
    )
    assert_error(response, 403, "forbidden")
    carrier.refresh_from_db()
    assert carrier.status == "in_registry"


def test_lending_a_carrier_already_on_loan_is_409(world, api):
    carrier = receive(world)
    first = approved(world, RequestKind.LOAN, [carrier])
    second = approved(
        world, RequestKind.LOAN, [carrier], requester=world.classifier, beneficiary=world.classifier
    )
    clerk = api(world.clerk)
    assert clerk.post(f"carriers/{carrier.pk}/lend", {"request_id": first.pk}).status_code == 200
    response = clerk.post(f"carriers/{carrier.pk}/lend", {"request_id": second.pk})
    error = assert_error(response, 409, "invalid_state")
    assert error["detail"]["status"] == "on_loan"
    carrier.refresh_from_db()
    assert carrier.holder_id == world.zhang.pk
    second.refresh_from_db()
    assert second.status == "approved"  # the loser's approval is not used up


def test_pages_are_bounded(world, api):
    receive(world, copies=5)
    clerk = api(world.clerk)
    page = clerk.get("carriers", {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["page"], page["page_size"], len(page["results"])) == (5, 2, 2, 2)
    last = clerk.get("carriers", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1
    beyond = clerk.get("carriers", {"page_size": 2, "page": 4}).json()
    assert beyond["results"] == [] and beyond["count"] == 5
    assert clerk.get("carriers").json()["page_size"] == 50
    assert clerk.get("carriers", {"page_size": 200}).status_code == 200
    error = assert_error(clerk.get("carriers", {"page_size": 201}), 422, "invalid")
    assert error["detail"]["page_size"] == ["不能大于 200"]
    assert_error(clerk.get("carriers", {"page": 0}), 422, "invalid")
    assert_error(clerk.get("carriers", {"page": "x"}), 422, "invalid")
    error = assert_error(clerk.get("carriers", {"level": "ultra"}), 422, "invalid")
    assert error["detail"]["level"][0].startswith("可选值：top_secret")
    assert_error(clerk.get("carriers", {"ordering": "password"}), 422, "invalid")
    assert_error(clerk.get("carriers", {"holder": 10**30}), 422, "invalid")


def test_path_ids_that_are_not_ids_are_404(world, api):
    clerk = api(world.clerk)
    for path in ("carriers/abc", "carriers/0", f"carriers/{10**30}", "requests/-1", "people/x"):
        assert_error(clerk.get(path), 404, "not_found")
    assert_error(clerk.post(f"carriers/{10**30}/lend", {}), 404, "not_found")


def test_token_for_a_person_is_what_the_factory_helper_issues(world):
    client = api_as(world, world.li)
    assert client.get("me").json()["username"] == "lisi"


def test_session_writes_need_the_csrf_token(world):
    carrier = receive(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.clerk.user)
    response = client.post(
        f"/api/v1/carriers/{carrier.pk}/circulate",
        data={"reader_id": world.zhang.pk},
        content_type="application/json",
    )
    assert_error(response, 403, "forbidden")
    carrier.refresh_from_db()
    assert carrier.status == "in_registry"
    # A bearer token is not ambient authority: no CSRF token is needed with it.
    bearer = api_as(world, world.clerk)
    bearer.client = Client(enforce_csrf_checks=True)
    ok = bearer.post(f"carriers/{carrier.pk}/circulate", {"reader_id": world.zhang.pk})
    assert ok.status_code == 200, ok.content
