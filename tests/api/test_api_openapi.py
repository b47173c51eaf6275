"""The published contract: /api/v1/openapi.json and /api/v1/docs, and the checker tests use."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.helpers import assert_conforms, assert_error, openapi_spec
from tests.destruction.test_api_validation_lifecycle import OPERATIONS as LIFECYCLE_OPERATIONS
from tests.personnel.test_api_validation import CASES as PERSONNEL_CASES
from tests.stocktake.test_api_validation import CASES as STOCKTAKE_CASES
from tests.stocktake.test_api_validation import GETS as STOCKTAKE_GETS

PERSONNEL_POSTS = tuple(PERSONNEL_CASES)

EXPECTED = {
    ("get", "me"),
    ("get", "people"),
    ("get", "people/{person_id}"),
    ("get", "departments"),
    ("get", "places"),
    ("get", "carriers"),
    ("post", "carriers"),
    ("get", "carriers/{carrier_id}"),
    ("get", "carriers/{carrier_id}/events"),
    *{
        ("post", f"carriers/{{carrier_id}}/{name}")
        for name in (
            "circulate",
            "return",
            "acknowledge",
            "lend",
            "take-out",
            "copy",
            "relocate",
            "amend",
            "void",
            "report-lost",
            "found",
        )
    },
    ("get", "requests"),
    ("post", "requests"),
    ("get", "requests/{request_id}"),
    ("post", "requests/{request_id}/approve"),
    ("post", "requests/{request_id}/reject"),
    ("post", "requests/{request_id}/withdraw"),
    ("get", "audit/verify"),
    ("get", "audit/events"),
    # 涉密人员 (personnel): the ledger, a person's record, ORG-4 statistics, and every POST.
    ("get", "classified-people"),
    ("get", "people/{person_id}/record"),
    ("get", "units/{unit_id}/statistics"),
    *{("post", template) for template in PERSONNEL_POSTS},
    # 清查, 密级变更, 通知, 提醒 (tests/stocktake/test_api_validation.py).
    *{("post", template) for template in STOCKTAKE_CASES},
    *{("get", template) for template in STOCKTAKE_GETS},
    # 档案, 销毁, 交接 (tests/destruction/test_api_validation_lifecycle.py).
    *LIFECYCLE_OPERATIONS,
}


def test_schema_is_served_and_lists_the_contract(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    operations = {
        (method, path.removeprefix("/api/v1/"))
        for path, methods in spec["paths"].items()
        for method in methods
    }
    # The contract of design.md must be there; later issues add resources beside it.
    assert operations >= EXPECTED, sorted(EXPECTED - operations)


def test_every_operation_requires_auth_and_documents_its_errors(db):
    spec = openapi_spec()
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("security"), (method, path)
            assert {"401", "404", "422"} <= set(operation["responses"]), (method, path)
            if method == "post":
                assert "409" in operation["responses"] and "403" in operation["responses"]


def test_enums_are_glossary_codes(db):
    schemas = openapi_spec()["components"]["schemas"]
    assert schemas["Level"]["enum"] == [
        "top_secret",
        "secret",
        "confidential",
        "internal",
        "public",
    ]
    assert "take_out" in schemas["RequestKind"]["enum"]
    assert "in_registry" in schemas["Status"]["enum"]


def test_docs_page_is_served(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_error_bodies_match_the_documented_error_schema(world, api):
    response = api(world.clerk).get("carriers/999999")
    assert_error(response, 404, "not_found")
    assert_conforms(response, "get", "carriers/{carrier_id}")


class _Fake:
    def __init__(self, status: int, body):
        self.status_code = status
        self._body = body

    def json(self):
        return json.loads(json.dumps(self._body))


def test_the_conformance_check_itself_catches_a_missing_key_and_a_wrong_type(db):
    good = {
        "count": 0,
        "count_is_estimate": False,
        "page": 1,
        "page_size": 50,
        "next": None,
        "results": [],
    }
    assert_conforms(_Fake(200, good), "get", "carriers")
    with pytest.raises(AssertionError, match="required key 'results' missing"):
        assert_conforms(
            _Fake(200, {k: v for k, v in good.items() if k != "results"}), "get", "carriers"
        )
    with pytest.raises(AssertionError, match="is not integer"):
        assert_conforms(_Fake(200, {**good, "count": "0"}), "get", "carriers")
    with pytest.raises(AssertionError, match="not documented"):
        assert_conforms(_Fake(418, good), "get", "carriers")


def test_docs_page_needs_no_internet(db, settings):
    """SEC-6: Swagger UI from ninja's own static files, never a CDN. ninja serves them only when
    "ninja" is in INSTALLED_APPS; otherwise it falls back to cdn.jsdelivr.net."""
    assert "ninja" in settings.INSTALLED_APPS
    page = Client().get("/api/v1/docs").content.decode()
    assert "https://" not in page.replace("https://swagger.io", "")
