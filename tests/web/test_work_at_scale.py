"""Work that scales (issue 9, item 7): a destruction list built by search, scan and ticks with
the level banner; returns by the stack — scanned one by one, or ticked on the ledger and
returned all or nothing (CR-4, CR-17), through the action, the API and the pages."""

from __future__ import annotations

from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import CustodyEvent
from baomi.classification.choices import Level
from baomi.destruction.models import DestructionList
from tests.api.helpers import api_as, assert_refused, last_seq, ledger_state
from tests.factories import receive, refused


def out_with(w, n=3, **extra):
    made = receive(w, copies=n, **extra)
    made = made if isinstance(made, list) else [made]
    for carrier in made:
        actions.circulate(w.clerk, carrier, w.zhang)
    return made


# --- destruction list: search, scan, ticks, banner --------------------------------------------


def test_destruction_list_page_searches_scans_and_shows_the_level_banner(world, as_):
    w = world
    wanted = receive(w, title="二〇二〇年度会议纪要", copies=2)
    other = receive(w, title="其他通知", level=Level.CONFIDENTIAL)
    client = as_(w.clerk)
    page = client.get("/destruction/new/", {"q": "会议纪要"}).content.decode()
    assert 'id="page-marking"' in page and "marking-banner" in page and "机密" in page
    assert f'value="{wanted[0].pk}"' in page and f'value="{other.pk}"' not in page
    # A scan adds one carrier; the ticks already made are kept.
    page = client.post(
        "/destruction/new/", {"scan": wanted[0].label, "carriers": [other.pk], "op": "refresh"}
    ).content.decode()
    chosen = page[page.index('id="chosen"') : page.index('id="candidates"')]
    assert f'value="{wanted[0].pk}" checked' in chosen and f'value="{other.pk}" checked' in chosen
    done = client.post(
        "/destruction/new/",
        {"carriers": [wanted[0].pk, wanted[1].pk], "reason": "到期", "op": "create"},
    )
    dlist = DestructionList.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/destruction/{dlist.pk}/"
    assert dlist.items.count() == 2


def test_destruction_list_page_refuses_garbage_and_ineligible_scans(world, as_):
    w = world
    lent = out_with(w, n=1)[0]
    client = as_(w.clerk)
    page = client.post("/destruction/new/", {"carriers": ["abc"], "op": "create"})
    assert page.status_code == 422 and not DestructionList.objects.exists()
    page = client.post("/destruction/new/", {"scan": lent.label}).content.decode()
    assert "只有在库或已归档的载体可以列入销毁清单" in page
    assert as_(w.zhang).get("/destruction/new/").status_code == 403


def test_ledger_offers_the_clerk_a_multi_select(world, as_):
    w = world
    receive(w)
    page = as_(w.clerk).get("/carriers/").content.decode()
    assert 'id="ledger-bulk"' in page and 'name="carriers"' in page
    assert 'formaction="/destruction/new/"' in page
    assert 'id="ledger-bulk"' not in as_(w.zhang).get("/carriers/").content.decode()


# --- batch and scanner-driven return ----------------------------------------------------------


def test_r_cr_4_batch_return_gives_each_carrier_its_own_custody_event(world):
    w = world
    made = out_with(w)
    done = actions.return_many(w.clerk, made, note="阅毕")
    assert [c.status for c in done] == [Status.IN_REGISTRY] * 3
    for carrier in made:
        kinds = list(CustodyEvent.objects.filter(carrier=carrier).values_list("kind", flat=True))
        assert kinds[-1] == EventKind.RETURN
    assert AuditEvent.objects.filter(event_type="carrier.return", outcome="done").count() == 3


def test_r_cr_15_batch_return_is_all_or_nothing(world):
    w = world
    made = out_with(w, n=2)
    in_registry = receive(w)
    with refused("invalid_state") as info:  # one of them is not out: nothing comes back
        actions.return_many(w.clerk, [*made, in_registry])
    assert in_registry.label in info.value.message
    for carrier in made:
        carrier.refresh_from_db()
        assert carrier.status == Status.CIRCULATING


def test_batch_return_through_the_api(world):
    w = world
    made = out_with(w, n=2)
    in_registry = receive(w)
    api = api_as(w, w.clerk)
    before, seq = ledger_state(), last_seq()
    refused_call = api.post(
        "carriers/batch-return", {"carrier_ids": [made[0].pk, made[1].pk, in_registry.pk]}
    )
    assert refused_call.status_code == 409 and ledger_state() == before and last_seq() > seq
    answer = api.post("carriers/batch-return", {"carrier_ids": [c.pk for c in made]})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 2 and {r["status"] for r in body["results"]} == {"in_registry"}
    other = receive(w)
    actions.circulate(w.clerk, other, w.zhang)
    before, seq = ledger_state(), last_seq()
    assert_refused(
        api_as(w, w.zhang).post("carriers/batch-return", {"carrier_ids": [other.pk]}),
        "forbidden",
        before,
        seq,
    )


def test_scanner_return_returns_each_scanned_carrier_at_once(world, as_):
    w = world
    made = out_with(w, n=2)
    client = as_(w.clerk)
    page = client.get("/carriers/returns/").content.decode()
    assert "data-scan-form" in page and f'value="{made[0].pk}"' in page
    answer = client.post(
        "/carriers/returns/scan/", {"code": made[0].label}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-outcome="returned"' in answer
    made[0].refresh_from_db()
    assert made[0].status == Status.IN_REGISTRY
    answer = client.post(
        "/carriers/returns/scan/", {"code": "2026-9999999-01"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-outcome="refused"' in answer
    # Without JavaScript: back to the desk with a message.
    plain = client.post("/carriers/returns/scan/", {"code": made[1].label})
    assert plain.status_code == 302
    made[1].refresh_from_db()
    assert made[1].status == Status.IN_REGISTRY


def test_ledger_multi_select_returns_the_ticked_carriers(world, as_):
    w = world
    made = out_with(w, n=2)
    client = as_(w.clerk)
    done = client.post(
        "/carriers/returns/batch/", {"carriers": [c.pk for c in made], "next": "/carriers/"}
    )
    assert done.status_code == 302 and done["Location"] == "/carriers/"
    assert {c.status for c in [type(made[0]).objects.get(pk=c.pk) for c in made]} == {
        Status.IN_REGISTRY
    }
    garbage = client.post("/carriers/returns/batch/", {"carriers": ["abc"]})
    assert garbage.status_code == 302  # a message, not a 500
