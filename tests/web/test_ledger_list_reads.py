"""SEC-4 / 条例20: a ledger page (and its HTMX table) showing 机密/绝密 carriers is one audited
read naming their numbers; the xlsx/PDF exports name them in their own audit row."""

from __future__ import annotations

from django.urls import reverse

from baomi.audit.models import AuditEvent, Outcome
from baomi.classification.choices import Level
from tests.factories import receive


def test_r_sec_4_a_ledger_page_with_secret_carriers_is_one_audited_read(world, as_):
    secret = receive(world, level=Level.TOP_SECRET, copies=3, scope_people=[world.clerk])
    receive(world, level=Level.INTERNAL)
    client = as_(world.clerk)
    before = AuditEvent.objects.count()
    assert client.get(reverse("carriers:list")).status_code == 200
    rows = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(r.event_type, r.outcome) for r in rows] == [("carrier.list_read", Outcome.READ)]
    assert rows[0].after["form"] == "page"
    assert sorted(rows[0].after["numbers"]) == sorted(c.label for c in secret)
    # The HTMX table swap is a response of its own: one more row.
    client.get(reverse("carriers:list"), headers={"HX-Request": "true"})
    assert AuditEvent.objects.count() == before + 2


def test_r_sec_4_ledger_exports_name_the_secret_numbers(world, as_):
    secret = receive(world, level=Level.SECRET, copies=2)
    client = as_(world.clerk)
    for url in ("carriers:export", "carriers:export_pdf"):
        before = AuditEvent.objects.count()
        r = client.get(reverse(url))
        assert r.status_code == 200
        rows = list(AuditEvent.objects.order_by("seq")[before:])
        assert len(rows) == 1 and rows[0].outcome == Outcome.READ
        assert {c.label for c in secret} <= set(rows[0].after["audited_reads"])
