"""Bad input to every POST endpoint of 清查, 密级变更 and 通知: 422 `invalid` naming the field,
nothing changed. `CASES` and `GETS` are also read by tests/api (the published contract)."""

from __future__ import annotations

import pytest

from baomi.classification.choices import Level
from baomi.reclassification import actions as reclassification
from baomi.reclassification.models import Notice, Reclassification, UnclearItem
from baomi.stocktake import actions as stocktake
from baomi.stocktake.models import StocktakeScan
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.factories import receive

# template → (who, body, fields named in the 422)
CASES = {
    "stocktakes": ("clerk", {"place_id": 0, "include_out": "maybe"}, ["place_id", "include_out"]),
    "stocktakes/{stocktake_id}/scans": (
        "clerk",
        {"codes": "2026-0000001-01", "source": "camera"},
        ["codes", "source"],
    ),
    "stocktakes/{stocktake_id}/close": ("clerk", {"note": 5}, ["note"]),
    "stocktakes/{stocktake_id}/report-lost": ("clerk", {"carrier_id": "x"}, ["carrier_id"]),
    "reclassifications": (
        "clerk",
        {"carrier_id": 1, "reason": "", "level": "ultra", "action": "burn"},
        ["reason", "level", "action"],
    ),
    "reclassifications/scope": (
        "clerk",
        {"carrier_id": 1, "reason": "", "add_people": ["a"]},
        ["reason", "add_people.0"],
    ),
    "reclassifications/review": ("clerk", {"note": "x"}, ["carrier_id"]),
    "unclear-items": (
        "clerk",
        {"carrier_id": 1, "proposed_level": "ultra", "question": ""},
        ["proposed_level", "question"],
    ),
    "unclear-items/{item_id}/decide": ("clerk", {"decision": ""}, ["decision"]),
    "notices/read": ("zhang", {"ids": [0]}, ["ids.0"]),
}
GETS = (
    "stocktakes",
    "stocktakes/{stocktake_id}",
    "reclassifications",
    "reclassifications/review-due",
    "reclassifications/periods-ending",
    "unclear-items",
    "notices",
    "alerts",
)


def my_state() -> dict:
    models = (StocktakeScan, Reclassification, Notice, UnclearItem)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.fixture
def scene(world):
    w = world
    carrier = receive(w, level=Level.SECRET)
    count = stocktake.start(w.clerk, place=w.cabinet)
    item = reclassification.report_unclear(
        w.clerk, carrier, proposed_level=Level.SECRET, question="不明确"
    )
    return w, {"stocktake_id": count.pk, "item_id": item.pk}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(scene, template):
    w, ids = scene
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template.format(**ids), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
