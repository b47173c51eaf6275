"""台账 page: who sees it, filters, HTMX partial, sorting, export, query-count guards."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baomi.audit.models import AuditEvent
from baomi.carriers import actions, exports
from baomi.classification.choices import Level
from tests.factories import receive

LIST = reverse("carriers:list")


def test_clerk_sees_the_ledger_with_marking_banner_and_watermark(world, as_):
    w = world
    made = receive(w, copies=2, title="关于年度保密检查的通知")
    r = as_(w.clerk).get(LIST)
    html = r.content.decode()
    assert r.status_code == 200
    assert made[0].label in html and made[1].label in html
    assert "关于年度保密检查的通知" in html
    assert 'class="marking-banner"' in html and 'data-level="secret"' in html
    assert 'class="watermark"' in html and "赵保密" in html
    assert r["Cache-Control"].startswith("max-age=0") or "no-store" in r["Cache-Control"]


def test_banner_shows_the_highest_level_on_the_page(world, as_):
    w = world
    receive(w, level=Level.CONFIDENTIAL)
    receive(w, level=Level.TOP_SECRET)
    html = as_(w.clerk).get(LIST).content.decode()
    banner = html.split('id="page-marking"')[1].split("</div></div>")[0]
    assert "绝密" in banner and 'data-level="top_secret"' in banner


def test_staff_see_only_carriers_in_their_scope_and_level(world, as_):
    w = world
    mine = receive(w, title="秘书科的文件")
    theirs = receive(w, title="财务科的文件", scope_departments=[w.finance])
    top = receive(w, level=Level.TOP_SECRET, title="绝密文件")
    html = as_(w.zhang).get(LIST).content.decode()
    assert mine.label in html
    assert theirs.label not in html and "财务科的文件" not in html
    assert top.label not in html


def test_r_per_1_wang_sees_no_secret_carrier_in_the_ledger(world, as_):
    w = world
    carrier = receive(w, scope_departments=[w.office], scope_people=[w.wang])
    r = as_(w.wang).get(LIST)
    assert r.status_code == 200
    assert carrier.label not in r.content.decode()


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_r_sec_3_system_roles_get_no_carrier_pages(world, as_, role):
    w = world
    carrier = receive(w)
    client = as_(getattr(w, role))
    for url in [
        LIST,
        reverse("carriers:detail", args=[carrier.pk]),
        reverse("carriers:holdings"),
        reverse("carriers:register"),
        reverse("carriers:export"),
    ]:
        r = client.get(url)
        assert r.status_code == 403, url
        assert "三员" in r.content.decode()
        assert carrier.label not in r.content.decode()


def test_anonymous_is_sent_to_login(client, world):
    r = client.get(LIST)
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_filters_level_status_kind_and_search(world, as_):
    w = world
    secret = receive(w, title="机密通知", doc_number="X密〔2026〕7号")
    confidential = receive(w, level=Level.CONFIDENTIAL, title="秘密通知")
    actions.circulate(w.clerk, confidential, w.zhang)
    client = as_(w.clerk)

    def labels(**params):
        html = client.get(LIST, params).content.decode()
        return {c.label for c in (secret, confidential) if c.label in html}

    assert labels(level="secret") == {secret.label}
    assert labels(status="circulating") == {confidential.label}
    assert labels(kind="document") == {secret.label, confidential.label}
    assert labels(q="机密通知") == {secret.label}
    assert labels(q="〔2026〕7号") == {secret.label}
    assert labels(q=confidential.label) == {confidential.label}
    assert labels(q=secret.number) == {secret.label}
    assert labels(holder=w.zhang.pk) == {confidential.label}
    assert labels(department=w.office.pk) == {secret.label, confidential.label}
    assert labels(department=w.finance.pk) == set()


def test_overdue_filter_and_red_due_date(world, as_):
    w = world
    late = receive(w, title="逾期件")
    fine = receive(w, title="未逾期件")
    actions.circulate(w.clerk, late, w.zhang, due_date=timezone.localdate() + timedelta(days=1))
    actions.circulate(w.clerk, fine, w.zhang)
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        html = as_(w.clerk).get(LIST, {"overdue": "on"}).content.decode()
    assert late.label in html and fine.label not in html
    assert "逾期" in html and "text-danger" in html


def test_htmx_filter_returns_only_the_table_and_refreshes_the_banner(world, as_):
    w = world
    carrier = receive(w)
    r = as_(w.clerk).get(
        LIST, {"level": "secret"}, headers={"HX-Request": "true", "HX-Target": "ledger-table"}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "<html" not in html and "ledger-filter" not in html
    assert carrier.label in html
    assert 'id="page-marking" hx-swap-oob="true"' in html
    assert "HX-Request" in r["Vary"]


def test_sorting_and_bad_parameters_never_fail(world, as_):
    w = world
    receive(w, level=Level.CONFIDENTIAL)
    receive(w)
    client = as_(w.clerk)
    for params in [
        {"sort": "marking"},
        {"sort": "-marking"},
        {"sort": "custodian"},
        {"sort": "due_date"},
        {"sort": "nonsense"},
        {"page": "999"},
        {"page": "abc"},
        {"level": "bogus"},
        {"holder": "abc"},
        {"department": "99999"},
        {"q": "x" * 500},
    ]:
        r = client.get(LIST, params)
        assert r.status_code == 200, params
    html = client.get(LIST, {"level": "bogus"}).content.decode()
    assert "选择一个有效的选项" in html or "有效" in html


def test_sort_by_marking_puts_the_highest_level_first(world, as_):
    w = world
    low = receive(w, level=Level.CONFIDENTIAL)
    high = receive(w, level=Level.TOP_SECRET)
    html = as_(w.clerk).get(LIST, {"sort": "marking"}).content.decode()
    assert html.index(high.label) < html.index(low.label)


def _many(w, n):
    made = receive(w, copies=n)
    for c in made[: n // 2]:
        actions.circulate(w.clerk, c, w.zhang)
    return made


def test_ledger_query_count_is_bounded(world, as_, django_assert_max_num_queries):
    w = world
    _many(w, 30)
    client = as_(w.clerk)
    # The top bar's bell loads after the page (/alerts/count/), so the ledger pays only for itself.
    # Plus two for the audited read of the 机密 rows shown (SEC-4: number, then the row), and
    # one to decide whether the holder filter is a picker or typed (a unit of thousands).
    with django_assert_max_num_queries(13):
        r = client.get(LIST)
    assert r.status_code == 200


def test_alert_bell_query_count_is_bounded(world, as_):
    """Session, person and one to three queries per alert provider — the same for 0 or 30
    carriers (no per-row queries). The bound grows only when an app adds a provider (42 with
    outside meetings and incidents; kept under 48)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = world
    client = as_(w.clerk)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/alerts/count/").status_code == 200
    _many(w, 30)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/alerts/count/").status_code == 200
    assert len(more) == len(few)
    assert len(more) <= 48


def test_ledger_query_count_does_not_grow_with_rows(world, as_, django_assert_num_queries):
    """No N+1: 5 rows and 25 rows cost the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = world
    client = as_(w.zhang)
    _many(w, 5)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    _many(w, 20)
    with CaptureQueriesContext(connection) as more:
        client.get(LIST)
    assert len(more) == len(few)


def test_export_is_marked_with_the_highest_level_and_audited(world, as_):
    w = world
    receive(w, level=Level.CONFIDENTIAL, title="秘密件")
    secret = receive(w, title="机密件")
    r = as_(w.clerk).get(reverse("carriers:export"), {"q": ""})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(r.getvalue())).active
    assert ws["A1"].value == "机密"
    assert "赵保密" in ws["A2"].value
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert {row[0] for row in rows} >= {secret.label}
    assert len(rows) == 2
    event = AuditEvent.objects.filter(event_type="carrier.export").get()
    assert event.outcome == "read" and event.after["max_level"] == "secret"
    assert secret.label in event.after["audited_reads"]
    assert "机密件" not in str(event.after)  # SEC-4: no classified text in the trail


def test_export_follows_the_filter(world, as_):
    w = world
    receive(w, level=Level.CONFIDENTIAL)
    receive(w)
    r = as_(w.clerk).get(reverse("carriers:export"), {"level": "confidential"})
    ws = load_workbook(BytesIO(r.getvalue())).active
    assert ws["A1"].value == "秘密"
    assert len(list(ws.iter_rows(min_row=4, values_only=True))) == 1


def test_export_with_nothing_visible_is_unmarked(world, as_):
    w = world
    receive(w)
    r = as_(w.wang).get(reverse("carriers:export"))
    ws = load_workbook(BytesIO(r.getvalue())).active
    assert ws["A1"].value == "（无涉密载体）"
    assert list(ws.iter_rows(min_row=4, values_only=True)) == []


def test_a_short_ledger_xlsx_is_an_ordinary_download(world, as_):
    receive(world)
    r = as_(world.clerk).get(reverse("carriers:export"))
    assert r.status_code == 200 and not r.streaming
    assert load_workbook(BytesIO(r.content)).active["A1"].value


def test_the_ledger_xlsx_is_streamed_from_a_write_only_file(world, as_, monkeypatch):
    from baomi.lib import exports as lib_exports

    monkeypatch.setattr(lib_exports, "STREAM_FROM_ROWS", 1)  # as a 10,000-row ledger is
    w = world
    receive(w, title='=HYPERLINK("http://x","点我")')
    r = as_(w.clerk).get(reverse("carriers:export"))
    assert r.status_code == 200 and r.streaming  # a FileResponse, not bytes held in memory
    assert r["Content-Disposition"].startswith('attachment; filename="ledger-')
    assert r["Cache-Control"] == "no-store"
    ws = load_workbook(BytesIO(r.getvalue())).active
    r.close()
    title = ws.cell(row=4, column=3)
    assert title.value == '=HYPERLINK("http://x","点我")' and title.data_type == "s"  # text
    assert (
        ws.freeze_panes == "A4" and ws["A3"].font.b and ws["A1"].font.color.rgb.endswith("C1121F")
    )


def test_ten_thousand_rows_may_be_exported_and_a_longer_list_is_refused(world, as_, monkeypatch):
    assert exports.PDF_LIMIT >= 10_000 and exports.XLSX_LIMIT >= 10_000
    w = world
    receive(w, copies=3)
    monkeypatch.setattr(exports, "PDF_LIMIT", 3)
    assert as_(w.clerk).get(reverse("carriers:export_pdf")).status_code == 200  # at the limit
    monkeypatch.setattr(exports, "PDF_LIMIT", 2)
    r = as_(w.clerk).get(reverse("carriers:export_pdf"))
    assert r.status_code == 422 and "超过 2 条" in r.content.decode()
