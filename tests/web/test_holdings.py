"""我持有的 (CR-3, CR-17): my holdings, overdue in red, 签收 in place over HTMX; alert count."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from baomi.classification.choices import Level
from tests.factories import receive

URL = reverse("carriers:holdings")


def ack(carrier):
    return reverse("carriers:acknowledge_holding", args=[carrier.pk])


def test_holdings_list_what_i_hold_with_marking_banner(world, as_):
    w = world
    held = receive(w, title="在我手上的")
    other = receive(w, level=Level.CONFIDENTIAL, title="在库的")
    actions.circulate(w.clerk, held, w.zhang)
    html = as_(w.zhang).get(URL).content.decode()
    assert held.label in html and other.label not in html
    assert 'class="marking-banner"' in html and "机密" in html
    assert 'class="watermark"' in html


def test_overdue_holdings_are_red_and_counted_in_the_top_bar(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang, due_date=timezone.localdate())
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        html = as_(w.zhang).get(URL).content.decode()
        bell = as_(w.zhang).get("/alerts/count/").content.decode()
    assert 'class="table-danger"' in html and "已逾期" in html
    assert 'hx-get="/alerts/count/"' in html  # the bell loads after the page
    assert "逾期未还 1 件" in bell and "data-alert-count>1<" in bell


def test_pending_approvals_count_in_the_leaders_top_bar(world, as_):
    from baomi.approvals import actions as approvals
    from baomi.approvals.choices import RequestKind

    w = world
    carrier = receive(w)
    approvals.create_request(
        w.zhang,
        approvals.RequestForm(
            kind=RequestKind.LOAN,
            carriers=[carrier],
            reason="工作需要",
            approver=w.leader,
            due_date=timezone.localdate() + timedelta(days=3),
        ),
    )
    assert "待我审批 1 件" in as_(w.leader).get("/alerts/count/").content.decode()


def test_htmx_acknowledge_swaps_the_row(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    client = as_(w.zhang)
    assert "签收</button>" in client.get(URL).content.decode()
    r = client.post(ack(carrier), headers={"HX-Request": "true"})
    html = r.content.decode()
    assert r.status_code == 200 and html.strip().startswith("<tr")
    assert "已签收" in html and "签收</button>" not in html
    carrier.refresh_from_db()
    assert carrier.acknowledged_at is not None


def test_acknowledging_twice_shows_the_refusal_in_the_row(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.acknowledge(w.zhang, carrier)
    carrier.refresh_from_db()
    first = carrier.acknowledged_at
    r = as_(w.zhang).post(ack(carrier), headers={"HX-Request": "true"})
    assert r.status_code == 200 and "状态不允许" in r.content.decode()
    carrier.refresh_from_db()
    assert carrier.acknowledged_at == first
    assert AuditEvent.objects.filter(
        event_type="carrier.acknowledge", outcome="refused", rule_id="invalid_state"
    ).exists()


def test_plain_post_acknowledge_redirects_with_a_message(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    r = as_(w.zhang).post(ack(carrier), follow=True)
    assert f"已签收 {carrier.label}" in r.content.decode()


def test_someone_else_cannot_acknowledge(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    r = as_(w.leader).post(ack(carrier), follow=True)
    assert "只有载体" in r.content.decode()
    carrier.refresh_from_db()
    assert carrier.acknowledged_at is None
    assert as_(w.wang).post(ack(carrier)).status_code == 404
