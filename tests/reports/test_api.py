"""`GET /api/v1/statistics/carriers`: the same figures as the page, in the documented shape;
404 for the three system roles (SEC-3) and for a unit out of reach (ORG-4)."""

from __future__ import annotations

import pytest

from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from tests.api.helpers import assert_conforms, assert_error, assert_invalid
from tests.factories import receive
from tests.reports.helpers import page_data, per_level

PATH = "statistics/carriers"


@pytest.fixture
def some(world):
    w = world
    made = receive(w, level=Level.SECRET, copies=2)
    receive(w, level=Level.TOP_SECRET)
    receive(w, level=Level.CONFIDENTIAL, scope_departments=[w.finance])
    carriers.circulate(w.clerk, made[0], w.zhang)
    return made


@pytest.mark.parametrize("who", ["clerk", "leader", "zhang", "li"])
def test_the_api_returns_the_same_numbers_as_the_page(world, some, api, as_, who):
    person = getattr(world, who)
    r = api(person).get(PATH)
    assert r.status_code == 200, r.content
    assert_conforms(r, "GET", PATH)
    assert r.json() == page_data(as_(person).get("/dashboard/"))


def test_the_clerk_counts_the_unit_and_staff_what_they_see(world, some, api):
    clerk = api(world.clerk).get(PATH).json()
    zhang = api(world.zhang).get(PATH).json()
    assert (clerk["scope"], clerk["carriers_total"]) == ("unit", 4)
    assert (zhang["scope"], zhang["carriers_total"]) == ("visible", 2)
    assert per_level(zhang)["top_secret"] == 0 and per_level(clerk)["top_secret"] == 1
    by_status = {row["status"]: row for row in clerk["by_status"]}
    assert by_status["circulating"] == {
        "status": "circulating",
        "status_display": "传阅中",
        "count": 1,
    }


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_r_sec_3_the_system_roles_get_404(world, some, api, role):
    assert_error(api(getattr(world, role)).get(PATH), 404, "not_found")


def test_a_unit_out_of_reach_is_404_and_a_malformed_one_422(world, some, api):
    client = api(world.clerk)
    assert_error(client.get(PATH, {"unit": world.province.pk}), 404, "not_found")
    assert_error(client.get(PATH, {"unit": 999_999}), 404, "not_found")
    assert_invalid(client.get(PATH, {"unit": "abc"}), "unit")
    assert client.get(PATH, {"unit": world.unit.pk}).json()["unit_id"] == world.unit.pk


def test_without_a_token_401(world):
    from tests.api.helpers import ApiClient

    assert_error(ApiClient(None).get(PATH), 401, "unauthenticated")
