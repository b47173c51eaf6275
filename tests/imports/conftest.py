import pytest

from tests.api.helpers import api_as


@pytest.fixture
def api(world):
    """`api(person)` → a client calling with that person's bearer token."""
    clients = {}

    def for_person(person):
        if person.pk not in clients:
            clients[person.pk] = api_as(world, person)
        return clients[person.pk]

    return for_person
