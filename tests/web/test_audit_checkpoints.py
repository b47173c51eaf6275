"""The auditor's checkpoint and proof pages (SEC-3, SEC-4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.audit.models import AuditCheckpoint, AuditEvent
from tests.factories import receive


def test_r_sec_4_the_log_page_marks_unsealed_rows(world, as_):
    receive(world)
    auditor = as_(world.auditor)  # one sign-in: a login is itself an audit row (SEC-4)
    html = auditor.get(reverse("audit:list")).content.decode()
    assert 'data-sealed="no"' in html and "待封存" in html
    auditor.get(reverse("audit:verify"))  # seals
    html = auditor.get(reverse("audit:list")).content.decode()
    assert 'data-sealed="yes"' in html and 'data-sealed="no"' not in html


def test_r_sec_4_checkpoints_page_makes_lists_and_downloads(world, as_):
    receive(world)
    client = as_(world.auditor)
    r = client.post(reverse("audit:checkpoint_create"))
    assert r.status_code == 302
    made = AuditCheckpoint.objects.get()
    html = client.get(reverse("audit:checkpoints")).content.decode()
    assert f'data-size="{made.size}"' in html and "手动生成" in html
    assert "baomi.local/audit+" in html  # the verifier key to hand over
    r = client.get(reverse("audit:checkpoint_download", args=[made.pk]))
    assert r.status_code == 200 and r.content.decode() == made.note
    assert "attachment" in r["Content-Disposition"]


def test_r_sec_4_proof_page_shows_a_checked_proof(world, as_):
    receive(world)
    event = AuditEvent.objects.order_by("seq")[2]
    client = as_(world.auditor)
    html = client.get(reverse("audit:proof"), {"event": event.pk}).content.decode()
    assert 'data-proof="ok"' in html and "签名检查点" in html
    r = client.get(reverse("audit:proof"), {"event": event.pk, "format": "json"})
    assert r.json()["event_id"] == event.pk
    assert client.get(reverse("audit:proof"), {"event": 999999}).status_code == 404


@pytest.mark.parametrize("who", ["clerk", "leader", "sysadmin", "secadmin"])
def test_r_sec_3_only_the_auditor_sees_checkpoints_and_proofs(world, as_, who):
    client = as_(getattr(world, who))
    assert client.get(reverse("audit:checkpoints")).status_code == 403
    assert client.post(reverse("audit:checkpoint_create")).status_code == 403
    assert client.get(reverse("audit:proof"), {"event": 1}).status_code == 403
