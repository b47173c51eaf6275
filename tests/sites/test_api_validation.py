"""Bad input to every POST endpoint of `sites`, `visitors`, `site-keys` and `closing-checks`:
422 `invalid` naming the field, nothing changed. `CASES` is also read by tests/api."""

from __future__ import annotations

import pytest

from baomi.sites import actions
from baomi.sites.choices import KeyKind
from baomi.sites.models import ClosingCheck, KeyEvent, KeySite, SiteKey, Visit
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.sites.helpers import registry_room, visitor

pytestmark = pytest.mark.django_db

CASES = {
    "sites": (
        "clerk",
        {"name": "", "kind": "bunker", "level": "ultra", "responsible_id": "x"},
        ["name", "kind", "level", "responsible_id"],
    ),
    "visitors": (
        "clerk",
        {"site_id": 0, "visitor_name": "", "id_kind": "licence", "id_checked": "maybe"},
        ["site_id", "visitor_name", "id_kind", "id_checked", "host_id"],
    ),
    "visitors/{visit_id}/sign-out": ("leader", {"left_at": "下午"}, ["left_at"]),
    "site-keys": (
        "clerk",
        {"site_id": 1, "name": "", "kind": "master", "holder_id": 0, "copies": 99},
        ["name", "kind", "holder_id", "copies"],
    ),
    "site-keys/{key_id}/hand-over": ("clerk", {"receiver_id": "x"}, ["receiver_id"]),
    "site-keys/{key_id}/report-lost": ("clerk", {"note": ""}, ["note"]),
    "closing-checks": (
        "leader",
        {"site_id": 1, "kind": "weekly", "power_off": "yes please", "day": "昨天"},
        ["kind", "power_off", "day"],
    ),
}


def my_state() -> dict:
    models = (KeySite, Visit, SiteKey, KeyEvent, ClosingCheck)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    site = registry_room(world)
    visit = actions.admit_visitor(world.leader, site, visitor(world, escort=world.leader))
    key = actions.register_key(
        world.clerk, site, name="房门钥匙", kind=KeyKind.ROOM, holder=world.clerk
    )
    who, body, fields = CASES[template]
    client = api_as(world, getattr(world, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template.format(visit_id=visit.pk, key_id=key.pk), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
