"""Bad input to the POST endpoints of 传阅单 (`circulation-slips/{slip_id}/…`) and to the 发文回执
(`dispatches/{dispatch_id}/receipt`): 422 `invalid` naming the field, nothing changed. `CASES` is
also read by tests/api (the published contract); `POST circulation-slips` itself is covered there.
"""

from __future__ import annotations

import pytest

from baomi.carriers import slips
from baomi.carriers.models import CirculationSlip, SlipReader
from baomi.dispatch import actions as dispatch
from baomi.dispatch.choices import Channel
from baomi.dispatch.models import Dispatch, DispatchItem
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.factories import receive

MISSING = 999_999

# template → (who, body, fields named in the 422)
CASES = {
    "circulation-slips/{slip_id}/send": ("clerk", {"due_date": "明天"}, ["due_date"]),
    "circulation-slips/{slip_id}/acknowledge": ("zhang", {"read": True}, ["read"]),
    "circulation-slips/{slip_id}/return": ("clerk", {"place_id": 0}, ["place_id"]),
    "circulation-slips/{slip_id}/cancel": ("clerk", {"reason": ""}, ["reason"]),
    "dispatches/{dispatch_id}/receipt": (
        "clerk",
        {"signed_by": "人" * 51, "signed_at": "昨天下午"},
        ["signed_by", "signed_at"],
    ),
}


def my_state() -> dict:
    models = (CirculationSlip, SlipReader, Dispatch, DispatchItem)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.fixture
def scene(world):
    """A slip with 张三 reading it now, and a dispatch with no receipt yet."""
    w = world
    slip = slips.create_slip(w.clerk, receive(w), [w.zhang, w.classifier])
    slips.send_next(w.clerk, slip)
    sent = dispatch.dispatch(
        w.clerk,
        dispatch.DispatchForm(
            carriers=[receive(w)],
            recipient_unit="XX县人民政府办公室",
            recipient_person="刘收文",
            channel=Channel.EXCHANGE_STATION,
        ),
    )
    return w, {"slip_id": slip.pk, "dispatch_id": sent.pk}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(scene, template):
    w, ids = scene
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template.format(**ids), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine


@pytest.mark.parametrize("template", list(CASES))
def test_malformed_json_is_422_and_changes_nothing(scene, template):
    w, ids = scene
    who = CASES[template][0]
    before, mine = ledger_state(), my_state()
    response = api_as(w, getattr(w, who)).post(template.format(**ids), raw='{"note": "未闭合')
    assert_invalid(response, "body")
    assert ledger_state() == before and my_state() == mine
