"""What keeps the alerts fast for a unit with 100k live carriers (issue 13): the page and the
bell cost the same number of queries however many alerts there are, the page is paged with the
counts by group on top, and the shortcuts taken for speed give the same answers as before."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baomi.alerts import views as alert_views
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.lib.alerts import alerts_for, shared, url_of
from baomi.reclassification import actions as reclassification
from baomi.reclassification.selectors import review_due, review_due_count
from tests.factories import receive

TZ = ZoneInfo("Asia/Shanghai")


def _queries(client, url: str) -> int:
    client.get(url)  # the first request after a change also refreshes the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _circulate(w, n: int) -> None:
    for carrier in receive(w, level=Level.SECRET, copies=n):
        carriers.circulate(w.clerk, carrier, w.zhang, due_date=timezone.localdate())


def test_the_page_and_the_bell_cost_a_fixed_number_of_queries(world, client):
    """Every provider is a query or a few, never one per alert: three alerts or fifteen, the
    clerk's page and bell issue the same statements (the period lengths asked once per call)."""
    w = world
    client.force_login(w.clerk.user)
    _circulate(w, 3)
    page, bell = _queries(client, "/alerts/"), _queries(client, "/alerts/count/")
    _circulate(w, 12)
    assert "data-alert-count>" in client.get("/alerts/count/").content.decode()
    assert (_queries(client, "/alerts/"), _queries(client, "/alerts/count/")) == (page, bell)
    assert page <= 43 and bell <= 42, (page, bell)  # measured: 42, 41 (SQLite); 43, 42 (PostgreSQL)


def test_the_page_is_paged_and_counts_every_group_on_top(world, client, monkeypatch):
    w = world
    monkeypatch.setattr(alert_views, "PER_PAGE", 2)
    _circulate(w, 3)
    client.force_login(w.zhang.user)
    first = client.get("/alerts/").content.decode()
    assert first.count('data-kind="circulation_due"') == 2
    assert "即将到期 3 件" in first  # the group's count covers the rows of later pages
    second = client.get("/alerts/?page=2").content.decode()
    assert second.count('data-kind="circulation_due"') == 1


def test_shared_work_is_computed_once_per_alerts_call_only():
    calls = []
    assert shared("k", lambda: calls.append(1)) is None and shared("k", lambda: 1) == 1
    assert calls == [1]  # outside an alerts call: nothing is kept
    assert url_of("carriers:detail")(42) == "/carriers/42/"


def test_review_due_count_is_the_review_list_counted(world):
    """The yearly review (法23) counted as "old less reviewed since" is `review_due().count()`,
    at the day's edges in local time too."""
    w = world
    today = date(2027, 3, 10)
    edge = today - timedelta(days=365)
    for moment in (
        datetime(edge.year, edge.month, edge.day, 0, 0, tzinfo=TZ),  # not over a year yet
        datetime(edge.year, edge.month, edge.day, 0, 0, tzinfo=TZ) - timedelta(seconds=1),
        datetime(2025, 6, 1, 10, tzinfo=TZ),
    ):
        with time_machine.travel(moment, tick=False):
            receive(w, level=Level.SECRET)
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=TZ), tick=False):
        reviewed = receive(w, level=Level.SECRET)
        reclassification.review(w.classifier, reviewed)
    assert review_due(w.unit.pk, today).count() == review_due_count(w.unit.pk, today) == 2
    with time_machine.travel(datetime(2027, 3, 10, 10, tzinfo=TZ), tick=False):
        kinds = {a.kind for a in alerts_for(w.clerk, today)}
    assert "review_due" in kinds
