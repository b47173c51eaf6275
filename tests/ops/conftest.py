import pytest


@pytest.fixture
def as_(client):
    """as_(person) → the test client signed in as that person."""

    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in
