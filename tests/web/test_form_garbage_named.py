"""The four server errors of issue 9 (defect 3), each a form field validated only by the model
or handed to the database raw: now a form error (4xx), nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from baomi.archive.models import Dossier
from baomi.carriers.choices import PlaceKind
from baomi.carriers.models import Place
from tests.factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.clerk.user)
    return client


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/destruction/", {"carriers": "abc", "reason": "到期"}),
        ("/destruction/", {"carriers": "9" * 30, "reason": "到期"}),
        ("/dispatch/recalls/", {"carrier": "abc"}),
        ("/dispatch/recalls/", {"carrier": "9" * 30}),
        ("/dispatch/recalls/", {"op": "schedule", "issuer": "X", "interval_months": "abc"}),
        ("/reclassification/unclear/", {"item": "abc", "decision": "机密"}),
        ("/reclassification/unclear/", {"item": "9" * 30, "decision": "机密"}),
    ],
)
def test_non_numeric_or_huge_ids_are_form_errors(world, clerk, url, data):
    receive(world)
    response = clerk.post(url, data)
    assert response.status_code < 500, response.content[:500]


def test_an_over_long_dossier_number_is_a_form_error_and_nothing_is_written(world, clerk):
    room = Place.objects.create(unit=world.unit, name="档案室", kind=PlaceKind.ARCHIVE)
    response = clerk.post(
        "/archive/",
        {"number": "W" * 41, "title": "2026年文书档案", "year": "2026", "place": room.pk},
    )
    assert response.status_code == 422, response.status_code
    assert "number" in response.content.decode() or "40" in response.content.decode()
    assert not Dossier.objects.exists()
    ok = clerk.post(
        "/archive/",
        {"number": "W" * 40, "title": "2026年文书档案", "year": "2026", "place": room.pk},
    )
    assert ok.status_code == 302 and Dossier.objects.get().number == "W" * 40
