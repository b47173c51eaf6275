"""One open count per place (issue 9, item 7): a second 清查 of the same place — or of the whole
unit over an open place count — is refused while one is open (CR-14); the database holds it
too; the page offers 报失 only once the count is closed and refreshes its missing list per scan."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from baomi.classification.choices import Level
from baomi.stocktake import actions
from baomi.stocktake.models import Stocktake
from tests.api.helpers import api_as, assert_error
from tests.factories import receive, refused


def test_r_cr_14_second_count_of_the_same_place_is_refused(world):
    w = world
    first = actions.start(w.clerk, place=w.cabinet)
    with refused("invalid_state") as info:
        actions.start(w.clerk, place=w.cabinet)
    assert f"#{first.pk}" in info.value.message
    with refused("invalid_state"):  # the whole unit overlaps the open place count
        actions.start(w.clerk)
    assert actions.start(w.clerk, place=w.safe).place == w.safe  # another place may start
    actions.close(w.clerk, first)
    assert actions.start(w.clerk, place=w.cabinet).state == "open"


def test_r_cr_14_a_whole_unit_count_blocks_every_place(world):
    w = world
    actions.start(w.clerk)
    with refused("invalid_state"):
        actions.start(w.clerk, place=w.safe)


def test_r_cr_14_the_database_refuses_a_second_open_count_of_a_place(world):
    w = world
    actions.start(w.clerk, place=w.cabinet)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stocktake.objects.create(
            unit=w.unit, place=w.cabinet, started_by=w.clerk, started_at=timezone.now()
        )


def test_r_cr_14_api_second_count_of_the_same_place_is_409(world):
    w = world
    api = api_as(w, w.clerk)
    assert api.post("stocktakes", {"place_id": w.cabinet.pk}).status_code == 201
    assert_error(api.post("stocktakes", {"place_id": w.cabinet.pk}), 409, "invalid_state")
    assert Stocktake.objects.filter(place=w.cabinet).count() == 1


def test_report_lost_is_offered_only_after_the_count_is_closed(world, client):
    w = world
    copies = receive(w, level=Level.SECRET, copies=2)
    count = actions.start(w.clerk, place=w.cabinet)
    client.force_login(w.clerk.user)
    page = client.get(f"/stocktakes/{count.pk}/").content.decode()
    assert copies[1].label in page and "报失</button>" not in page
    actions.close(w.clerk, count)
    page = client.get(f"/stocktakes/{count.pk}/").content.decode()
    assert page.count("报失</button>") == 2


def test_the_missing_list_refreshes_with_each_scan(world, client):
    w = world
    copies = receive(w, level=Level.SECRET, copies=2)
    count = actions.start(w.clerk, place=w.cabinet)
    client.force_login(w.clerk.user)
    answer = client.post(
        f"/stocktakes/{count.pk}/scan/", {"code": copies[0].label}, HTTP_HX_REQUEST="true"
    ).content.decode()
    missing = answer[answer.index('id="missing-rows"') :]
    assert 'hx-swap-oob="true"' in answer[answer.index('<div id="missing-rows"') :][:60]
    assert copies[1].label in missing and copies[0].label not in missing
