"""Key places through the JSON API: `sites`, `visitors` (SITE-2 refusals), `site-keys`,
`closing-checks`."""

from __future__ import annotations

import pytest

from baomi.sites.models import ClosingCheck, Visit
from tests.api.helpers import (
    assert_conforms,
    assert_error,
    assert_invalid,
    assert_refusal_audited,
    last_seq,
    ledger_state,
)
from tests.sites.helpers import registry_room

pytestmark = pytest.mark.django_db


def _visit(w, site, **overrides):
    return {
        "site_id": site.pk,
        "visitor_name": "陈来访",
        "organisation": "XX省保密局",
        "id_kind": "work_card",
        "id_number": "BMJ20260001",
        "id_checked": True,
        "purpose": "保密检查",
        "host_id": w.leader.pk,
        "escort_id": w.leader.pk,
        **overrides,
    }


def _state():
    return {**ledger_state(), "visits": Visit.objects.count()}


def test_r_site_2_no_escort_refused_api(api, world):
    site = registry_room(world)
    before, seq = _state(), last_seq()
    response = api(world.clerk).post("visitors", _visit(world, site, escort_id=None))
    error = assert_error(response, 403, "SITE-2")
    assert "陪同" in error["message"]
    assert _state() == before
    assert_refusal_audited("SITE-2", seq)


def test_r_site_2_escort_not_of_the_place_refused_api(api, world):
    site = registry_room(world)
    before, seq = _state(), last_seq()
    response = api(world.clerk).post("visitors", _visit(world, site, escort_id=world.zhang.pk))
    assert_error(response, 403, "SITE-2")
    assert _state() == before
    assert_refusal_audited("SITE-2", seq)


def test_r_site_2_identity_not_checked_refused_api(api, world):
    site = registry_room(world)
    response = api(world.clerk).post("visitors", _visit(world, site, id_checked=False))
    assert_error(response, 403, "SITE-2")


def test_visit_in_and_out_api(api, world):
    site = registry_room(world)
    made = api(world.leader).post("visitors", _visit(world, site))
    assert made.status_code == 201, made.content
    assert_conforms(made, "post", "visitors")
    assert made.json()["id_number"] == "BMJ****0001"
    inside = api(world.clerk).get("visitors", {"inside": "true"}).json()
    assert inside["count"] == 1
    out = api(world.leader).post(f"visitors/{made.json()['id']}/sign-out", {})
    assert out.status_code == 200 and out.json()["left_at"]
    assert api(world.clerk).get("visitors", {"inside": "true"}).json()["count"] == 0
    # Not a worker of the place: the visit does not exist for them.
    assert_error(
        api(world.zhang).post(f"visitors/{made.json()['id']}/sign-out", {}), 404, "not_found"
    )


def test_sites_api_create_and_read(api, world):
    response = api(world.clerk).post(
        "sites",
        {
            "name": "档案室",
            "kind": "archive",
            "level": "secret",
            "responsible_id": world.zhang.pk,
            "staff_ids": [world.classifier.pk],
            "place_ids": [world.cabinet.pk],
            "facilities": {"iron_door": True, "fire_protection": True},
        },
    )
    assert response.status_code == 201, response.content
    assert_conforms(response, "post", "sites")
    body = response.json()
    assert body["kind_display"] == "档案室" and body["facilities"]["iron_door"] is True
    assert api(world.zhang).get(f"sites/{body['id']}").status_code == 200
    assert_error(api(world.li).get(f"sites/{body['id']}"), 404, "not_found")
    assert_error(api(world.auditor).get("sites/" + str(body["id"])), 404, "not_found")
    assert_invalid(api(world.clerk).post("sites", {"name": "x", "kind": "nope"}), "kind")


def test_keys_api_hand_over(api, world):
    site = registry_room(world, level="secret", staff=[world.leader, world.classifier])
    made = api(world.clerk).post(
        "site-keys",
        {
            "site_id": site.pk,
            "name": "机要室房门钥匙",
            "kind": "room",
            "holder_id": world.clerk.pk,
        },
    )
    assert made.status_code == 201, made.content
    key_id = made.json()["id"]
    refused = api(world.clerk).post(
        f"site-keys/{key_id}/hand-over", {"receiver_id": world.zhang.pk}
    )
    assert_error(refused, 403, "SITE-4")
    moved = api(world.clerk).post(
        f"site-keys/{key_id}/hand-over", {"receiver_id": world.classifier.pk, "note": "调岗"}
    )
    assert moved.status_code == 200
    assert moved.json()["holder"]["name"] == "孙定密"
    assert [e["kind_display"] for e in moved.json()["events"]] == ["登记保管", "移交"]


def test_closing_checks_api(api, world):
    site = registry_room(world)
    ok = api(world.leader).post(
        "closing-checks",
        {
            "site_id": site.pk,
            "power_off": True,
            "alarm_on": True,
            "windows_closed": True,
            "doors_locked": True,
            "safes_locked": True,
        },
    )
    assert ok.status_code == 201, ok.content
    assert_conforms(ok, "post", "closing-checks")
    assert ok.json()["all_ok"] is True
    again = api(world.clerk).post(
        "closing-checks", {"site_id": site.pk, "power_off": True, "note": "补登"}
    )
    assert_error(again, 409, "invalid_state")
    problem = api(world.clerk).post(
        "closing-checks", {"site_id": site.pk, "kind": "holiday", "holiday": "春节"}
    )
    assert_invalid(problem, "note")
    assert ClosingCheck.objects.count() == 1
    listed = api(world.clerk).get("closing-checks", {"site_id": site.pk})
    assert listed.json()["count"] == 1
    # 张三 is not one of the room's people: the site does not exist for him.
    outsider = api(world.zhang).post("closing-checks", {"site_id": site.pk, "power_off": True})
    error = assert_error(outsider, 404, "not_found")  # design.md: not visible is 404
    assert "site_id" in error["detail"]
