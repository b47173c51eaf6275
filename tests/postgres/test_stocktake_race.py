"""Two clerks starting a count of the same place at the same moment, each on their own
connection (issue 9, item 7; CR-14): one count opens, the other is refused, never two."""

from __future__ import annotations

from functools import partial

import pytest

from baomi.lib.errors import InvalidState
from baomi.stocktake import actions
from baomi.stocktake.models import Stocktake
from tests.factories import build_world, person
from tests.postgres.test_concurrency import assert_chain_whole, race

pytestmark = pytest.mark.postgres


def test_concurrent_starts_of_one_place_open_one_count(committed_db):
    w = build_world()
    other = person(
        w.system, w.unit, "周机要", w.registry, "core", "zhoujiyao", roles=("is_registry_clerk",)
    )
    for place in (w.cabinet, w.safe, None):
        results = race(
            partial(actions.start, w.clerk, place=place),
            partial(actions.start, other, place=place),
        )
        opened = [r for r in results if isinstance(r, Stocktake)]
        refused = [r for r in results if isinstance(r, BaseException)]
        assert len(opened) == 1 and len(refused) == 1, results
        assert isinstance(refused[0], InvalidState), repr(refused[0])
        actions.close(w.clerk, opened[0])
    assert_chain_whole()
