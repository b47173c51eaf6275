"""The carrier list at scale: cursor pages, capped counts, gram search, department filter."""

from __future__ import annotations

import pytest

from baomi.lib import pagination
from tests.api.helpers import assert_conforms, assert_invalid
from tests.factories import receive


@pytest.fixture
def ledger(world):
    made = receive(world, copies=7, title="关于保密工作的通知")
    made += [receive(world, title="财务预算报告", doc_number="财发〔2026〕9号")]
    made += [receive(world, title="密码电报", scope_departments=[world.finance])]
    return made


def _walk(client, params):
    seen, response = [], client.get("carriers", params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["label"] for row in body["results"]]
        if not body["next"]:
            return seen, body
        path, _, query = body["next"].partition("?")
        assert path.endswith("/api/v1/carriers") and "cursor=" in query
        response = client.get("carriers?" + query)


@pytest.mark.parametrize("ordering", ["-registered_at", "number", "-number", "title"])
def test_following_next_walks_every_row_once_in_order(world, api, ledger, ordering):
    clerk = api(world.clerk)
    everything = [
        r["label"]
        for r in clerk.get("carriers", {"ordering": ordering, "page_size": 100}).json()["results"]
    ]
    walked, _ = _walk(clerk, {"ordering": ordering, "page_size": 2})
    assert walked == everything and len(walked) == len(ledger)


def test_page_answers_a_next_link_and_conforms(world, api, ledger):
    response = api(world.clerk).get("carriers", {"page_size": 3})
    assert_conforms(response, "get", "carriers")
    body = response.json()
    assert body["count"] == len(ledger) and body["count_is_estimate"] is False
    assert body["next"] and len(body["results"]) == 3


def test_count_is_capped_and_flagged_past_the_cap(world, api, ledger, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    body = api(world.clerk).get("carriers", {"page_size": 2}).json()
    assert body["count"] == 4 and body["count_is_estimate"] is True
    walked, _ = _walk(api(world.clerk), {"page_size": 2})
    assert len(walked) == len(ledger)  # the cap limits the count, never the rows


def test_a_cursor_of_another_ordering_or_junk_is_invalid(world, api, ledger):
    clerk = api(world.clerk)
    cursor = clerk.get("carriers", {"page_size": 2}).json()["next"].split("cursor=")[1]
    assert_invalid(clerk.get("carriers", {"cursor": cursor, "ordering": "number"}), "cursor")
    assert_invalid(clerk.get("carriers", {"cursor": "not-a-cursor"}), "cursor")
    assert_invalid(clerk.get("carriers", {"cursor": cursor, "ordering": "due_date"}), "cursor")


@pytest.mark.parametrize(
    ("term", "expected"),
    [("密", 8), ("保密", 7), ("财", 1), ("预算报告", 1), ("财发", 1), ("电报", 1), ("无此词", 0)],
)
def test_search_finds_one_and_two_character_terms(world, api, ledger, term, expected):
    """Substring search of title and 文号 for terms of any length (the gram index on PostgreSQL
    must not lose one- and two-character Chinese terms)."""
    body = api(world.clerk).get("carriers", {"q": term}).json()
    assert body["count"] == expected, term


def test_department_filter_names_the_scope(world, api, ledger):
    body = api(world.clerk).get("carriers", {"department": world.finance.pk}).json()
    assert [r["title"] for r in body["results"]] == ["密码电报"]
