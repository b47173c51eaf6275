"""Bad input to every POST endpoint of the imports API: 422 `invalid` naming the field, nothing
changed. `CASES` is also read by tests/api (every POST endpoint has a bad-input case)."""

from __future__ import annotations

import pytest

from tests.api.helpers import BASE, assert_invalid, ledger_state
from tests.imports.test_regularise import held

# template → (who, body, fields named in the 422); `imports` is multipart (a form, not JSON).
CASES = {
    "imports": ("clerk", {"kind": "animals", "dry_run": "perhaps"}, ["file", "kind", "dry_run"]),
    "imports/held/{c}/loan": (
        "clerk",
        {"request_id": "x", "due_date": "someday"},
        ["request_id", "due_date"],
    ),
    "imports/historical-clearances/confirm": ("secadmin", {"ids": ["a"]}, ["ids.0"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, api, case):
    template = case
    who, body, fields = CASES[case]
    client = api(getattr(world, who))
    path = template.format(c=held(world).pk)
    before = ledger_state()
    if template == "imports":
        response = client.client.post(BASE + path, body, **client._headers())
    else:
        response = client.post(path, body)
    assert_invalid(response, *fields)
    assert ledger_state() == before
