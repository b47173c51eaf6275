"""The published API contract says what the server accepts (design.md "JSON API (v1)").

- No two schemas share a component name: ninja names a component after its class, so two
  classes called `ReviewIn` made `POST /reviews` document the reclassification body.
- Dates are ISO strings only: `0` is not 1970-01-01, anywhere an input takes a date.
- An id in a body naming an object the caller cannot see (or that does not exist) is 404
  `not_found`, as in the path.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from datetime import date

import pytest
from pydantic import BaseModel

from baomi.api.api import api
from tests.api.helpers import BASE, api_as, assert_error, ledger_state, openapi_spec
from tests.factories import receive

pytestmark = pytest.mark.django_db


def _models_in(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _models_in(arg, found)


def api_schema_classes() -> set[type[BaseModel]]:
    found: set = set()
    for _, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_in(model, found)
                for model in (operation.response_models or {}).values():
                    _models_in(model, found)
    return {m for m in found if m.__module__.startswith("baomi.")}


def test_no_two_component_schemas_share_a_name():
    by_name = defaultdict(set)
    for model in api_schema_classes():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes


def _body_schema(path: str) -> dict:
    spec = openapi_spec()
    body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    return spec["components"]["schemas"][name]


def test_the_review_body_is_documented_for_reviews_and_revise():
    for path in ("/api/v1/reviews", "/api/v1/reviews/{review_id}/revise"):
        fields = set(_body_schema(path)["properties"])
        assert {"title", "destination", "department_id", "first_reviewer_id"} <= fields, path
        assert "carrier_id" not in fields, path
    assert "carrier_id" in _body_schema("/api/v1/reclassifications/review")["properties"]


def test_a_generated_client_can_create_a_review_from_the_published_schema(world):
    """Fill exactly the published required fields of POST /reviews: the server accepts it."""
    w = world
    schema = _body_schema("/api/v1/reviews")
    values = {
        "title": "关于开展春季植树活动的通知",
        "destination": "website",
        "department_id": w.office.pk,
        "first_reviewer_id": w.classifier.pk,
    }
    body = {name: values[name] for name in schema["required"]}
    response = api_as(w, w.zhang).post("reviews", body)
    assert response.status_code == 201, response.content.decode()


def _date_inputs() -> list[tuple[str, str]]:
    """(POST path, field) of every top-level date field of a request body."""
    spec = openapi_spec()
    found = []
    for path, operations in spec["paths"].items():
        post = operations.get("post", {})
        content = post.get("requestBody", {}).get("content", {}).get("application/json")
        if not content or "$ref" not in content["schema"]:
            continue
        schema = spec["components"]["schemas"][content["schema"]["$ref"].rsplit("/", 1)[-1]]
        for name, prop in schema.get("properties", {}).items():
            if '"format": "date"' in __import__("json").dumps(prop):
                found.append((path, name))
    return found


def test_dates_are_iso_strings_only_in_every_body(world):
    """`0`, "0" and a datetime string given for a date are 422 on that field, on every endpoint
    with a date in its body (ids in the path are filled with 1: the body is read first)."""
    w = world
    receive(w)
    client = api_as(w, w.clerk)
    inputs = _date_inputs()
    assert len(inputs) >= 10, inputs
    before = ledger_state()
    for path, field in inputs:
        url = path.removeprefix(BASE.rstrip("/") + "/").removeprefix("/api/v1/")
        url = __import__("re").sub(r"\{\w+\}", "1", url)
        for value in (0, "0", 1_700_000_000, "2026-01-01T00:00:00"):
            response = client.post(url, {field: value})
            assert response.status_code == 422, (path, field, value, response.content)
            detail = response.json()["error"]["detail"]
            assert field in detail, (path, field, value, detail)
    assert ledger_state() == before


def test_a_date_query_is_iso_only(world):
    response = api_as(world, world.auditor).get("audit/events", {"since": "0"})
    assert response.status_code == 422, response.content
    assert "since" in response.json()["error"]["detail"]


def test_r_per_1_a_body_naming_a_carrier_the_caller_cannot_see_is_404(world):
    """张三 cannot see a 秘密 carrier of 财务科: naming it in a request body is 404, as in the
    path, with the same answer as for an id that does not exist."""
    w = world
    hidden = receive(w, level="secret", scope_departments=[w.finance])
    before = ledger_state()
    body = {
        "kind": "loan",
        "carrier_ids": [hidden.pk],
        "reason": "工作需要",
        "approver_id": w.leader.pk,
        "due_date": date.today().isoformat(),
    }
    response = api_as(w, w.zhang).post("requests", body)
    error = assert_error(response, 404, "not_found")
    assert "carrier_ids" in error["detail"]
    assert str(hidden.pk) in error["detail"]["carrier_ids"][0]
    unknown = api_as(w, w.zhang).post("requests", {**body, "carrier_ids": [987654]})
    assert assert_error(unknown, 404, "not_found")["message"] == error["message"]
    assert ledger_state() == before


def test_a_body_naming_an_unknown_person_or_place_is_404(world):
    w = world
    carrier = receive(w)
    client = api_as(w, w.clerk)
    before = ledger_state()
    reader = client.post(f"carriers/{carrier.pk}/circulate", {"reader_id": 987654})
    assert "reader_id" in assert_error(reader, 404, "not_found")["detail"]
    place = client.post(f"carriers/{carrier.pk}/relocate", {"place_id": 987654})
    assert "place_id" in assert_error(place, 404, "not_found")["detail"]
    assert ledger_state() == before
