"""The auditor's page (SEC-3, SEC-4): only the auditor; filters; the chain check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from baomi.lib.errors import RuleViolation
from tests.factories import receive
from tests.tamper import tamper

URL = reverse("audit:list")


def test_auditor_reads_the_trail_without_classified_text(world, as_):
    w = world
    carrier = receive(w, title="绝不能出现在审计里的标题")
    r = as_(w.auditor).get(URL)
    html = r.content.decode()
    assert r.status_code == 200
    assert "carrier.register" in html and carrier.label in html
    assert "绝不能出现在审计里的标题" not in html
    assert 'id="verify-button"' in html


@pytest.mark.parametrize("who", ["clerk", "leader", "zhang", "sysadmin", "secadmin"])
def test_r_sec_3_only_the_auditor_sees_the_trail(world, as_, who):
    client = as_(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("audit:verify")).status_code == 403


def test_filters_find_refusals_by_rule(world, as_):
    w = world
    carrier = receive(w)
    with pytest.raises(RuleViolation):
        actions.circulate(w.clerk, carrier, w.wang)
    client = as_(w.auditor)
    html = client.get(URL, {"outcome": "refused"}).content.decode()
    assert "carrier.circulate" in html and "carrier.register" not in html
    html = client.get(URL, {"rule_id": "per-1"}).content.decode()
    assert "carrier.circulate" in html
    html = client.get(URL, {"actor_name": "赵保密", "event_type": "register"}).content.decode()
    assert "carrier.register" in html
    for bad in ({"outcome": "x"}, {"since": "yesterday"}, {"page": "-1"}, {"sort": "hash"}):
        assert client.get(URL, bad).status_code == 200


def test_verify_reports_ok(world, as_):
    receive(world)
    r = as_(world.auditor).get(reverse("audit:verify"), headers={"HX-Request": "true"})
    html = r.content.decode()
    assert r.status_code == 200 and 'data-verify="ok"' in html and "<html" not in html


def test_verify_finds_the_first_tampered_row(world, as_):
    receive(world)
    victim = AuditEvent.objects.order_by("seq")[3]
    tamper("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["某人", victim.pk])
    r = as_(world.auditor).get(reverse("audit:verify"))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-verify="broken"' in html and f'data-seq="{victim.seq}"' in html
    assert "记录被篡改" in html
