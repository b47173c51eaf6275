"""Bad input to every POST endpoint of accounts: 422 `invalid` naming the field, nothing changed.
`CASES` and `NO_BODY` are also read by tests/api (every POST endpoint is covered)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.api.helpers import assert_invalid

# template → (who, body, fields named in the 422)
CASES = {
    "accounts": ("sysadmin", {"person_id": "x", "username": ""}, ["person_id", "username"]),
    "me/password": ("zhang", {"current_password": 5}, ["current_password", "new_password"]),
    "me/tokens": ("zhang", {"label": "x" * 101}, ["label"]),
}
# The account actions take nothing but the account in the path.
NO_BODY = {
    "accounts/{account_id}/reset-password",
    "accounts/{account_id}/unlock",
    "accounts/{account_id}/disable",
    "accounts/{account_id}/enable",
}


@pytest.mark.parametrize("template", sorted(CASES))
def test_bad_input_is_a_422_naming_the_field(world, api, template):
    who, body, fields = CASES[template]
    users = get_user_model().objects.count()
    response = api(getattr(world, who)).post(template, body)
    assert_invalid(response, *fields)
    assert get_user_model().objects.count() == users


def test_unknown_fields_are_refused(world, api):
    response = api(world.sysadmin).post(
        "accounts", {"person_id": world.zhang.pk, "username": "zs2", "password": "x"}
    )
    assert_invalid(response, "password")
