"""台账 at scale (issue 13): the hand-written rows keep the table's markup, a substring search
reads its matches once for the count and the page, and the search works inside a subquery."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baomi.carriers import actions
from baomi.carriers.models import Carrier
from baomi.carriers.search import matching
from baomi.classification.choices import Level
from tests.factories import receive

LIST = reverse("carriers:list")


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-carrier="(\d+)"', html)]


def test_rows_keep_links_markings_escaping_and_the_clerks_checkbox(world, as_):
    w = world
    carrier = receive(w, title="<script>x</script>关于&检查", doc_number="X密〔2026〕7号")
    top = receive(w, level=Level.TOP_SECRET, title="绝密件")
    actions.circulate(w.clerk, carrier, w.zhang, due_date=timezone.localdate() + timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        html = as_(w.clerk).get(LIST).content.decode()
    detail = reverse("carriers:detail", args=[carrier.pk])
    assert f'<a class="carrier-number" href="{detail}">{carrier.label}</a>' in html
    assert "&lt;script&gt;x&lt;/script&gt;关于&amp;检查" in html and "<script>x" not in html
    assert f'<tr data-carrier="{carrier.pk}" class="table-danger' in html
    assert 'class="text-danger fw-bold overdue"' in html
    assert 'data-level="top_secret"' in html and top.label in html
    assert "X密〔2026〕7号</div>" in html and "未签收" in html
    assert f'name="carriers" value="{carrier.pk}"' in html and 'data-check-all="carriers"' in html
    staff = as_(w.zhang).get(LIST).content.decode()
    assert carrier.label in staff and 'name="carriers"' not in staff


def test_sort_links_flip_the_sorted_column_and_keep_the_filter(world, as_):
    w = world
    receive(w, copies=2)
    html = as_(w.clerk).get(LIST, {"sort": "title", "level": "secret"}).content.decode()
    assert '<th class="asc orderable" scope="col"><a href="?sort=-title&amp;level=secret">' in html
    assert 'href="?sort=label&amp;level=secret"' in html


def test_search_pages_come_in_ledger_order_with_an_exact_count(world, as_):
    w = world
    made = receive(w, copies=30, title="保密工作要点")
    receive(w, title="其他通知")
    client = as_(w.clerk)
    first = client.get(LIST, {"q": "保密工作"}).content.decode()
    second = client.get(LIST, {"q": "保密工作", "page": 2}).content.decode()
    expected = list(
        Carrier.objects.filter(pk__in=[c.pk for c in made]).values_list("pk", flat=True)
    )
    assert 'data-total="30"' in first
    assert _shown(first) + _shown(second) == expected  # Carrier's default (ledger) order
    # Lines alternate odd/even across pages, as django-tables2 counted them.
    assert f'data-carrier="{_shown(second)[0]}" class="even"' in second
    assert "没有符合条件的载体" in client.get(LIST, {"q": "查无此件"}).content.decode()


def test_a_search_costs_no_more_queries_than_the_plain_ledger(world, as_):
    w = world
    receive(w, copies=30, title="保密工作要点")
    client = as_(w.clerk)
    client.get(LIST)
    with CaptureQueriesContext(connection) as plain:
        client.get(LIST)
    with CaptureQueriesContext(connection) as searched:
        assert client.get(LIST, {"q": "保密工作", "page": 2}).status_code == 200
    assert len(searched) <= len(plain)


def test_substring_search_inside_a_subquery_tests_the_inner_rows(world):
    """On PostgreSQL the gram test was raw SQL naming "carriers_carrier": inside a subquery
    (where Django aliases the table U0) it tested the outer row, and the planner walked the
    whole ledger running the subquery once per row (seconds at 100k carriers)."""
    w = world
    wanted = receive(w, copies=3, title="应急管理预案")
    receive(w, copies=4, title="其他通知")
    inner = matching(Carrier.objects.order_by("pk"), "应急管理").values("pk")[:2]
    outer = Carrier.objects.filter(pk__in=inner)
    assert set(outer.values_list("pk", flat=True)) == {wanted[0].pk, wanted[1].pk}
    if connection.vendor == "postgresql":
        sql = str(outer.query)
        assert 'baomi_grams("carriers_carrier"' not in sql
        assert 'baomi_grams(U0."number"::text' in sql
