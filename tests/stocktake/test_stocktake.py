"""清查 (CR-14): typed, scanned and uploaded numbers; each reconciliation category; refusals
through the actions and the API; the scanner page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.carriers.choices import Status
from baomi.classification.choices import Level
from baomi.stocktake import actions
from baomi.stocktake.models import ScanSource, Stocktake, StocktakeState
from baomi.stocktake.selectors import parse_label, reconcile
from tests.api.helpers import api_as, assert_error, assert_refused, last_seq, ledger_state
from tests.factories import approved, receive, refused


@pytest.fixture
def counted(world):
    """Cabinet A holds three copies; a 绝密 item sits in the safe; a fourth copy is on loan."""
    w = world
    copies = receive(w, level=Level.SECRET, copies=4)
    in_safe = receive(w, level=Level.TOP_SECRET)
    carriers.lend(w.clerk, copies[3], approved(w, RequestKind.LOAN, [copies[3]]))
    stocktake = actions.start(w.clerk, place=w.cabinet, include_out=True)
    return w, copies, in_safe, stocktake


def codes(rows):
    return sorted(r.code for r in rows)


def test_parse_label_accepts_scanner_and_full_width_input():
    assert parse_label("2026-0001234-03") == ("2026-0001234", 3)
    assert parse_label(" ２０２６－０００１２３４－０３\n") == ("2026-0001234", 3)
    assert parse_label("2026-0001234") is None
    assert parse_label("关于某项工作") is None


def test_stocktake_with_typed_scanned_and_uploaded_numbers_reconciles_each_category(
    counted, client
):
    w, copies, in_safe, stocktake = counted
    # Typed: the first copy, with a duplicate and a typo.
    typed = actions.record_scans(
        w.clerk, stocktake, [copies[0].label, copies[0].label, "2026-abc"], source="typed"
    )
    assert (typed.added, typed.duplicates, typed.invalid) == (1, 0, ["2026-abc"])
    # Scanned (the HTMX page): the 绝密 item from the safe — registered, but elsewhere.
    client.force_login(w.clerk.user)
    page = client.get(f"/stocktakes/{stocktake.pk}/")
    assert page.status_code == 200 and 'id="scan-input"' in page.content.decode()
    assert "autofocus" in page.content.decode()
    scanned = client.post(
        f"/stocktakes/{stocktake.pk}/scan/", {"code": in_safe.label}, HTTP_HX_REQUEST="true"
    )
    body = scanned.content.decode()
    assert scanned.status_code == 200 and 'data-outcome="wrong_place"' in body
    assert 'hx-swap-oob="true"' in body and 'data-count="scanned">2<' in body
    # Uploaded (xlsx): the loaned copy, a number not in the ledger, and the first copy again.
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([copies[3].label])
    book.active.append(["2026-9999999-01"])
    book.active.append([copies[0].label])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("list.xlsx", buffer.getvalue())
    response = client.post(f"/stocktakes/{stocktake.pk}/add/", {"file": upload})
    assert response.status_code == 302
    sources = set(stocktake.scans.values_list("source", flat=True))
    assert sources == {ScanSource.TYPED, ScanSource.SCANNER, ScanSource.UPLOAD}

    result = reconcile(stocktake)
    assert codes(result.found) == [copies[0].label]
    assert codes(result.missing) == sorted([copies[1].label, copies[2].label])
    assert codes(result.wrong_place) == [in_safe.label]
    assert codes(result.unexpected) == sorted(["2026-9999999-01", copies[3].label])
    assert codes(result.out_with_holders) == [copies[3].label]
    assert result.counts()["scanned"] == 4
    page = client.get(f"/stocktakes/{stocktake.pk}/").content.decode()
    assert "2026-9999999-01" in page and "台账中没有此编号" in page


def test_a_count_runs_over_several_sessions_and_closes_with_its_figures(counted):
    w, copies, _, stocktake = counted
    actions.record_scans(w.clerk, stocktake, [copies[0].label])
    actions.record_scans(w.clerk, Stocktake.objects.get(pk=stocktake.pk), [copies[1].label])
    closed = actions.close(w.clerk, stocktake)
    assert closed.state == StocktakeState.CLOSED
    assert closed.summary["found"] == 2 and closed.summary["missing"] == 1
    assert closed.summary["missing_codes"] == [copies[2].label]


def test_a_missing_carrier_becomes_a_loss_report_in_one_step(counted):
    w, copies, _, stocktake = counted
    actions.record_scans(w.clerk, stocktake, [copies[0].label, copies[1].label])
    actions.report_missing(w.clerk, stocktake, copies[2], note="柜内未见")
    copies[2].refresh_from_db()
    assert copies[2].status == Status.LOST
    assert copies[2].events.last().note.startswith(f"清查 #{stocktake.pk}")


def test_r_cr_14_scanning_into_a_closed_stocktake_is_refused(counted):
    w, copies, _, stocktake = counted
    actions.close(w.clerk, stocktake)
    with refused("CR-14"):
        actions.record_scans(w.clerk, stocktake, [copies[0].label])


def test_r_cr_14_loss_report_of_a_found_carrier_is_refused(counted):
    w, copies, _, stocktake = counted
    actions.record_scans(w.clerk, stocktake, [copies[0].label])
    with refused("CR-14"):
        actions.report_missing(w.clerk, stocktake, copies[0])


def test_r_cr_14_loss_report_of_a_carrier_outside_the_count_is_refused(counted):
    w, _, in_safe, stocktake = counted
    with refused("CR-14"):
        actions.report_missing(w.clerk, stocktake, in_safe)


def test_only_clerks_count(world):
    with refused("forbidden"):
        actions.start(world.zhang)


def test_r_cr_14_api_scanning_into_a_closed_stocktake_is_refused(counted):
    w, copies, _, stocktake = counted
    api = api_as(w, w.clerk)
    assert api.post(f"stocktakes/{stocktake.pk}/close").status_code == 200
    before, seq = ledger_state(), last_seq()
    scans = stocktake.scans.count()
    response = api.post(f"stocktakes/{stocktake.pk}/scans", {"codes": [copies[0].label]})
    assert_refused(response, "CR-14", before, seq)
    assert stocktake.scans.count() == scans


def test_r_cr_14_api_loss_report_of_a_found_carrier_is_refused(counted):
    w, copies, _, stocktake = counted
    api = api_as(w, w.clerk)
    response = api.post(
        f"stocktakes/{stocktake.pk}/scans", {"codes": [copies[0].label], "source": "scanner"}
    )
    assert response.status_code == 200 and response.json()["counts"]["found"] == 1
    before, seq = ledger_state(), last_seq()
    response = api.post(f"stocktakes/{stocktake.pk}/report-lost", {"carrier_id": copies[0].pk})
    assert_refused(response, "CR-14", before, seq)


def test_api_stocktake_flow(counted):
    w, copies, in_safe, first = counted
    api = api_as(w, w.clerk)
    actions.close(w.clerk, first)  # CR-14: one open count per place
    created = api.post("stocktakes", {"place_id": w.cabinet.pk})
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    api.post(f"stocktakes/{sid}/scans", {"codes": [copies[0].label, in_safe.label, "x"]})
    body = api.get(f"stocktakes/{sid}").json()
    assert body["counts"]["found"] == 1 and body["counts"]["wrong_place"] == 1
    assert [r["code"] for r in body["missing"]] == [copies[1].label, copies[2].label]
    lost = api.post(f"stocktakes/{sid}/report-lost", {"carrier_id": copies[1].pk})
    assert lost.status_code == 200 and lost.json()["status"] == "lost"
    assert api.get("stocktakes").json()["count"] == 2
    # Others do not see the registry's counts; nonsense input is a 422.
    assert_error(api_as(w, w.zhang).get(f"stocktakes/{sid}"), 404, "not_found")
    assert_error(api.post(f"stocktakes/{sid}/scans", {"codes": ["nonsense"]}), 422, "invalid")
    assert_error(api.post(f"stocktakes/{sid}/scans", {"codes": []}), 422, "invalid")
