"""SEC-4 / 条例20: a carrier list answered through the API that shows 机密/绝密 carriers is ONE
audited read naming their numbers (a list of 101 机密 titles used to leave no trace)."""

from __future__ import annotations

from baomi.audit.models import AuditEvent, Outcome
from baomi.classification.choices import Level
from tests.factories import receive


def test_r_sec_4_a_list_of_secret_carriers_is_one_audited_read(world, api):
    secret = [c for _ in range(11) for c in receive(world, level=Level.SECRET, copies=10)]
    secret.append(receive(world, level=Level.SECRET))
    confidential = receive(world, level=Level.CONFIDENTIAL, copies=2)  # 秘密: not named
    clerk = api(world.clerk)  # issuing the token is audited too: before counting
    before = AuditEvent.objects.count()
    response = clerk.get("carriers", {"page_size": 200})
    assert response.status_code == 200 and response.json()["count"] >= 103
    # The token's first use is a row of its own (SEC-2): not part of the list read.
    rows = list(AuditEvent.objects.exclude(event_type="token.first_use").order_by("seq")[before:])
    assert len(rows) == 1
    row = rows[0]
    assert (row.event_type, row.outcome, row.actor_id) == (
        "carrier.list_read",
        Outcome.READ,
        world.clerk.pk,
    )
    assert row.after["form"] == "api" and row.after["count"] == len(secret) == 111
    assert sorted(row.after["numbers"]) == sorted(c.label for c in secret)
    assert not {c.label for c in confidential} & set(row.after["numbers"])
    assert all(c.title not in str(row.after) for c in secret[:3])


def test_a_list_without_secret_carriers_leaves_no_read_row(world, api):
    receive(world, level=Level.INTERNAL, copies=2)
    clerk = api(world.clerk)
    before = AuditEvent.objects.count()
    response = clerk.get("carriers", {"level": "internal"})
    assert response.status_code == 200 and response.json()["count"] == 2
    assert AuditEvent.objects.exclude(event_type="token.first_use").count() == before
