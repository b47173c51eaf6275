"""Calling the JSON API as a person of the test world, and checking answers against the contract.

`ApiClient` issues a real bearer token (org.actions.create_token) and sends it the way clients
do. `assert_error` checks the error envelope; `assert_conforms` checks a response against the
OpenAPI schema the API itself publishes (style.md rule 10).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache

from django.test import Client

from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.org import actions as org

BASE = "/api/v1/"
CJK = re.compile(r"[\u4e00-\u9fff]")


class ApiClient:
    def __init__(self, token: str | None, *, header: str | None = None):
        self.client = Client()
        self.header = header if header is not None else (f"Bearer {token}" if token else None)

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": self.header} if self.header else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(BASE + path, params or {}, **self._headers())

    def delete(self, path: str):
        return self.client.delete(BASE + path, **self._headers())

    def post(self, path: str, body=None, *, raw: str | bytes | None = None):
        data = raw if raw is not None else json.dumps({} if body is None else body, default=str)
        return self.client.post(
            BASE + path, data=data, content_type="application/json", **self._headers()
        )

    def patch(self, path: str, body=None):
        data = json.dumps({} if body is None else body, default=str)
        return self.client.patch(
            BASE + path, data=data, content_type="application/json", **self._headers()
        )


def api_as(w, person) -> ApiClient:
    """A client for `person`, with a token issued by the system actor."""
    return ApiClient(org.create_token(w.system, person, label="tests"))


def assert_error(response, status: int, code: str) -> dict:
    """The error envelope, the status, the code, and a Chinese message."""
    assert response.status_code == status, (response.status_code, response.content.decode())
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "detail"}, error
    assert error["code"] == code, error
    assert CJK.search(error["message"]), error
    assert isinstance(error["detail"], dict)
    return error


def assert_invalid(response, *fields: str) -> dict:
    """422 `invalid` naming each field with at least one Chinese message."""
    error = assert_error(response, 422, "invalid")
    for field in fields:
        assert field in error["detail"], (field, error["detail"])
        messages = error["detail"][field]
        assert messages and all(CJK.search(m) for m in messages), (field, messages)
    return error


def assert_refusal_audited(rule_id: str, since_seq: int) -> AuditEvent:
    """The refusal itself is in the audit trail (SEC-4), with its rule id."""
    event = AuditEvent.objects.filter(seq__gt=since_seq, outcome="refused", rule_id=rule_id).last()
    assert event is not None, f"no refused audit event with rule {rule_id}"
    return event


def last_seq() -> int:
    event = AuditEvent.objects.order_by("-seq").first()
    return event.seq if event else 0


def ledger_state() -> dict:
    """Everything a refused call must leave untouched."""
    return {
        "carriers": sorted(
            Carrier.objects.values_list(
                "pk", "status", "holder_id", "place_id", "due_date", "level", "title"
            )
        ),
        "custody_events": CustodyEvent.objects.count(),
        "requests": sorted(Request.objects.values_list("pk", "status")),
        # Issuing a token and its first use are audited (SEC-2) but change nothing of the ledger.
        "done_audit_events": AuditEvent.objects.filter(outcome="done")
        .exclude(event_type__in=("token.create", "token.first_use"))
        .count(),
    }


def assert_refused(response, rule_id: str, before: dict, since_seq: int) -> dict:
    """403 with the rule id, nothing changed, and the refusal audited."""
    error = assert_error(response, 403, rule_id)
    assert ledger_state() == before
    assert_refusal_audited(rule_id, since_seq)
    return error


# --- OpenAPI conformance ----------------------------------------------------------------------


@cache
def _spec_text() -> str:
    return Client().get(BASE + "openapi.json").content.decode()


def openapi_spec() -> dict:
    return json.loads(_spec_text())


def assert_conforms(response, method: str, template: str) -> None:
    """The response body matches the schema documented for this operation and status."""
    spec = openapi_spec()
    operation = spec["paths"][BASE.rstrip("/") + "/" + template.lstrip("/")][method.lower()]
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"status {response.status_code} is not documented for {method} {template}"
    schema = documented["content"]["application/json"]["schema"]
    problems: list[str] = []
    _check(spec, schema, response.json(), "$", problems)
    assert not problems, problems


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _check(spec: dict, schema: dict, value, where: str, problems: list[str]) -> None:
    schema = _resolve(spec, schema)
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf")
        for option in options:
            trial: list[str] = []
            _check(spec, option, value, where, trial)
            if not trial:
                return
        problems.append(f"{where}: {value!r} matches none of {options}")
        return
    if "allOf" in schema:
        for part in schema["allOf"]:
            _check(spec, part, value, where, problems)
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    kind = schema.get("type")
    if kind is None:
        return
    if not _type_ok(kind, schema.get("format"), value):
        problems.append(f"{where}: {value!r} is not {kind}/{schema.get('format')}")
        return
    if kind == "object":
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: required key {key!r} missing")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(spec, sub, value[key], f"{where}.{key}", problems)
    elif kind == "array":
        for i, item in enumerate(value):
            _check(spec, schema.get("items", {}), item, f"{where}[{i}]", problems)


def _type_ok(kind: str, fmt: str | None, value) -> bool:
    if kind == "null":
        return value is None
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        if not isinstance(value, str):
            return False
        try:
            if fmt == "date":
                date.fromisoformat(value)
            elif fmt == "date-time":
                datetime.fromisoformat(value)
        except ValueError:
            return False
        return True
    return True
