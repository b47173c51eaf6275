"""Bad input to the administration POST/PATCH endpoints: 422 `invalid` naming the field, nothing
changed (tests/api/test_api_validation.py counts these templates as covered)."""

from __future__ import annotations

import pytest

from tests.api.helpers import api_as, assert_invalid
from tests.factories import db_state

# template → (who, body, fields named in the 422)
CASES = {
    "units": (
        "sysadmin",
        {"name": "", "code": "码" * 21, "parent_id": 0},
        ["name", "code", "parent_id"],
    ),
    "departments": ("sysadmin", {"name": "", "head_id": "x"}, ["name", "head_id"]),
    "people": ("sysadmin", {"name": "名" * 51, "number": 7, "oops": 1}, ["name", "number", "oops"]),
    "places": ("sysadmin", {"name": "", "kind": "drawer"}, ["name", "kind"]),
    "grants": (
        "secadmin",
        {"person_id": 0, "role": "king", "max_level": "ultra"},
        ["person_id", "role", "max_level"],
    ),
}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    who, body, fields = CASES[template]
    client = api_as(world, getattr(world, who))
    before = db_state()
    assert_invalid(client.post(template, body), *fields)
    assert db_state() == before


@pytest.mark.parametrize(
    "who, path, body, fields",
    [
        ("sysadmin", "units/{unit}", {"parent_id": 999_999}, ["parent_id"]),
        (
            "sysadmin",
            "units/{unit}",
            {"name": "新名", "classification_authority": "secret"},
            ["classification_authority"],
        ),
        (
            "secadmin",
            "units/{unit}",
            {"classification_authority": "ultra"},
            ["classification_authority"],
        ),
        ("sysadmin", "departments/{office}", {"parent_id": 999_999}, ["parent_id"]),
        ("sysadmin", "people/{zhang}", {"department_id": 999_999, "extra": 1}, ["extra"]),
        ("sysadmin", "people/{zhang}", {"department_id": 999_999}, ["department_id"]),
        ("sysadmin", "places/{safe}", {"kind": "drawer"}, ["kind"]),
    ],
)
def test_bad_patch_is_422_and_changes_nothing(world, who, path, body, fields):
    w = world
    client = api_as(w, getattr(w, who))
    ids = {"unit": w.unit.pk, "office": w.office.pk, "zhang": w.zhang.pk, "safe": w.safe.pk}
    before = db_state()
    assert_invalid(client.patch(path.format(**ids), body), *fields)
    assert db_state() == before
