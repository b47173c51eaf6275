"""Every operation of the published OpenAPI schema, called with generated input (schemathesis):
no 5xx, and every response conforms to its published schema (status code, body shape).

Bounded for CI: a few derandomized examples per operation (the same ones every run), each call
rolled back so the next meets the same office; the whole run takes well under two minutes on
two cores. Found failures name the operation and the check.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from baomi.org import actions as org
from baomi.wsgi import application
from tests.factories import receive

pytestmark = pytest.mark.django_db

EXAMPLES = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]


# Rules a JSON schema cannot state, checked after parsing (documented on the fields): which
# period field goes with which kind (CL-2), what is inside an uploaded file, a scope change that
# changes nothing.
# A column mapping that is JSON but not an object, and a wrong current password, likewise.
# How many options a question has depends on its kind; training hours are kept to one decimal.
# A meeting attended elsewhere is recorded after it (its date not after today, CR-2).
# A scoring sheet's deducting items need their points per occurrence, a score stays within its
# item's points, an assessment's year is not in the future, nor is a decision's date (INS-3).
# A yearly report's year must have begun (the schema bounds it to 2000-2100).
# An emergency plan's approval and a drill have happened: their dates are not in the future.
# A ledger cursor is one the server issued, for the same ordering (a string in the schema).
SEMANTIC_FIELDS = {
    "cursor",
    "items",
    "points",
    "year",
    "decided_on",
    "approved_on",
    "period",
    "file",
    "terms",
    "scope",
    "mapping",
    "current_password",
    "options",
    "hours",
    "held_on",
}


def _semantic_refusal(response, checks: list[str]) -> bool:
    """A 422 on schema-valid input that only a rule beyond the schema explains."""
    if response.status_code != 422 or not all("ST202" in c for c in checks):
        return False
    detail = response.json()["error"]["detail"]
    return bool(detail) and set(detail) <= SEMANTIC_FIELDS


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI app runs in the test's thread and transaction: like Django's test client, keep
    the request signals from closing the connection in the middle of the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_conforms_to_the_published_schema(world, wsgi_in_test_transaction):
    w = world
    receive(w, copies=2)
    token = org.create_token(w.system, w.clerk, label="schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_in_test_transaction)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100, len(operations)
    for operation in operations:
        check_operation(operation, headers, failures)
    unique = sorted(set(failures))
    assert not unique, f"{len(unique)} failures:\n" + "\n".join(unique)


def check_operation(operation, headers: dict, failures: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case):
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseException as error:  # one line per failing operation and check
            checks = [line.strip() for line in str(error).splitlines() if " ST" in f" {line}"]
            if _semantic_refusal(response, checks):
                return
            body = response.content[:300].decode(errors="replace")
            failures.append(
                f"{operation.label}: {' '.join(checks)[:200]} → {response.status_code} {body}"
            )

    try:
        call()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # a failure group raised through hypothesis
        first = str(error).strip().splitlines()
        failures.append(f"{operation.label}: {' | '.join(first[:8])[:500]}")
