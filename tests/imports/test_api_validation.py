"""Bad input to every POST endpoint of `imports`: 422 `invalid` naming the field, nothing changed.
`CASES` is also read by tests/api (every POST endpoint has a bad-input case)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.helpers import BASE, assert_invalid, ledger_state
from tests.imports.test_regularise import held

pytestmark = pytest.mark.django_db

# template → (who, JSON body, fields named in the 422); `imports` itself is multipart, below.
CASES = {
    "imports/historical-clearances/confirm": ("secadmin", {"ids": ["甲", 0]}, ["ids.0", "ids.1"]),
    "imports/held/{c}/loan": ("clerk", {"request_id": "x", "due_date": 0}, ["request_id"]),
    "imports": ("clerk", None, ["kind"]),
}


@pytest.mark.parametrize("template", [t for t, case in CASES.items() if case[1] is not None])
def test_bad_json_input_is_422_and_changes_nothing(world, api, template):
    item = held(world)
    who, body, fields = CASES[template]
    before = ledger_state()
    response = api(getattr(world, who)).post(template.format(c=item.pk), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before


@pytest.mark.parametrize(
    "form, field",
    [
        ({"kind": "devices", "dry_run": "true"}, "kind"),
        ({"kind": "carriers", "dry_run": "也许"}, "dry_run"),
        ({"kind": "carriers", "dry_run": "true", "mapping": "[1, 2]"}, "mapping"),
        ({"kind": "carriers", "dry_run": "true", "unit": "NO-SUCH-UNIT"}, "unit"),
    ],
)
def test_bad_upload_form_is_422_and_changes_nothing(world, api, form, field):
    client = api(world.clerk)
    before = ledger_state()
    body = {"file": SimpleUploadedFile("台帐.csv", "标题,密级\n甲,秘密\n".encode()), **form}
    response = client.client.post(BASE + "imports", body, **client._headers())
    assert_invalid(response, field)
    assert ledger_state() == before
