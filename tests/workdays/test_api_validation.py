"""Bad input to every POST endpoint of `working-days`: 422 `invalid` naming the field, nothing
changed. `CASES` is also read by tests/api (every POST endpoint has a bad-input case)."""

from __future__ import annotations

import pytest

from baomi.workdays.models import WorkdayOverride
from tests.api.helpers import api_as, assert_invalid, ledger_state

pytestmark = pytest.mark.django_db

# template → (who, body, fields named in the 422)
CASES = {
    "working-days": (
        "sysadmin",
        {"day": "国庆", "is_working_day": "maybe", "note": "注" * 201},
        ["day", "is_working_day", "note"],
    ),
}


def my_state() -> list:
    return list(WorkdayOverride.objects.order_by("pk").values())


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    w = world
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template, body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
