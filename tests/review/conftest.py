from __future__ import annotations

from contextlib import contextmanager

import pytest

from tests.factories import refused


@pytest.fixture(autouse=True)
def _file_store(settings, tmp_path):
    """Uploaded files go to a temporary encrypted store."""
    settings.BAOMI_FILE_DIR = str(tmp_path / "files")


def review_state() -> dict:
    from baomi.review.models import (
        Review,
        ReviewFile,
        ReviewScan,
        ReviewStep,
        TermList,
        TermListVersion,
    )

    models = (Review, ReviewFile, ReviewScan, ReviewStep, TermList, TermListVersion)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@contextmanager
def review_refused(rule_id: str, **kwargs):
    """`refused` (rule id, business rows unchanged, refusal audited once), and the review
    tables unchanged too."""
    before = review_state()
    with refused(rule_id, **kwargs) as info:
        yield info
    assert review_state() == before, "a refused review action changed review data"


@pytest.fixture
def api(world):
    """`api(person)` → a JSON API client with that person's bearer token."""
    from tests.api.helpers import api_as

    clients = {}

    def for_person(person):
        if person.pk not in clients:
            clients[person.pk] = api_as(world, person)
        return clients[person.pk]

    return for_person


@pytest.fixture
def as_(client):
    """as_(person) → the test client signed in as that person."""

    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in
