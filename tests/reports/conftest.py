"""Dashboard tests: the `world` people on the page (signed in) and on the API (bearer token)."""

from __future__ import annotations

import pytest

from tests.api.helpers import api_as


@pytest.fixture
def as_(client):
    """as_(person) → the test client signed in as that person."""

    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


@pytest.fixture
def api(world):
    """api(person) → a client calling the JSON API with that person's bearer token."""
    return lambda person: api_as(world, person)
