"""The recall alert (CR-10 REMIND) appears before the issuer's date and goes once returned."""

from __future__ import annotations

from datetime import timedelta

from baomi.dispatch import actions as dispatch
from baomi.dispatch.alerts import recalls_due
from tests.factories import receive

ISSUER = "XX省人民政府办公厅"


def test_recall_alert_appears_due_soon_overdue_and_disappears(world):
    w = world
    carrier = receive(w)
    start = carrier.registered_at.date()
    schedule = dispatch.set_schedule(
        w.clerk, w.unit, issuer=ISSUER, interval_months=6, starts_on=start
    )
    due = schedule.next_due
    assert recalls_due(w.clerk, due - timedelta(days=15)) == []
    soon = recalls_due(w.clerk, due - timedelta(days=3))
    assert [(a.kind, a.severity, a.rule_id) for a in soon] == [("recall_due", "due_soon", "CR-10")]
    assert recalls_due(w.clerk, due)[0].severity == "due_today"
    assert recalls_due(w.clerk, due + timedelta(days=1))[0].severity == "overdue"
    assert recalls_due(w.zhang, due) == []  # staff do not run recalls
    dispatch.recall(w.clerk, carrier)
    assert recalls_due(w.clerk, due + timedelta(days=1)) == []
