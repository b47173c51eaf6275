"""`baomi demo`: the demo office, built through the actions, idempotent and tamper-free."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent, Outcome
from baomi.audit.trail import verify
from baomi.carriers.choices import EventKind, Source, Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.classification.choices import Level
from baomi.org.models import Person, Unit
from baomi.web.demo import DEMO_PASSWORD, UNIT_NAME

ACCOUNTS = ("baomiyuan", "lingdao", "zhangsan", "lisi", "wangwu", "sysadmin", "secadmin", "auditor")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module, inside a transaction rolled back at the end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out)
        yield {"output": out.getvalue()}
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def test_demo_reports_what_it_loaded_and_the_password(demo_db):
    output = demo_db["output"]
    assert f"已载入演示数据：{UNIT_NAME}" in output
    assert DEMO_PASSWORD in output
    for username in ACCOUNTS:
        assert username in output


def test_demo_is_about_300_carriers_of_every_kind_and_level(demo_db):
    carriers = Carrier.objects.filter(unit__name=UNIT_NAME)
    assert 250 <= carriers.count() <= 400
    levels = set(carriers.values_list("level", flat=True))
    assert levels == {Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL, Level.INTERNAL}
    assert carriers.filter(level=Level.TOP_SECRET).count() <= 12
    assert {"document", "telegram", "usb_drive", "optical_disc", "meeting_paper"} <= set(
        carriers.values_list("kind", flat=True)
    )
    assert set(carriers.values_list("source", flat=True)) == set(Source.values)
    produced = carriers.filter(source=Source.PRODUCED)
    assert not produced.filter(level=Level.TOP_SECRET).exists()  # 定密权限 机密 (CL-11)
    assert not produced.filter(classifier__isnull=True).exists()
    multi = carriers.values("number").annotate(n=Count("id")).filter(n__gt=1)
    assert multi.count() >= 5
    # CR-15: 绝密 and 密码电报 only in safes.
    for carrier in carriers.filter(level=Level.TOP_SECRET) | carriers.filter(kind="telegram"):
        assert carrier.home_place.kind == "safe"


def test_demo_has_carriers_in_every_status_the_ledger_produces(demo_db):
    carriers = Carrier.objects.filter(unit__name=UNIT_NAME)
    statuses = set(carriers.values_list("status", flat=True))
    assert {
        Status.IN_REGISTRY,
        Status.CIRCULATING,
        Status.ON_LOAN,
        Status.TAKEN_OUT,
        Status.LOST,
        Status.VOIDED,
    } <= statuses
    circulating = carriers.filter(status=Status.CIRCULATING)
    assert circulating.filter(acknowledged_at__isnull=True).exists()
    assert circulating.filter(acknowledged_at__isnull=False).exists()
    loans = carriers.filter(status=Status.ON_LOAN)
    assert not loans.filter(out_request__isnull=True).exists()
    assert not loans.filter(out_request__status__in=[RequestStatus.PENDING]).exists()
    # Nothing can be lent in the past, so the demo's "soon overdue" loans are due today.
    assert loans.filter(due_date=timezone.localdate()).exists()
    copies = carriers.filter(source=Source.COPY)
    assert copies.filter(level=Level.TOP_SECRET).exists()
    top_copy = copies.get(level=Level.TOP_SECRET)
    consent = CustodyEvent.objects.get(carrier=top_copy, kind=EventKind.COPY).request
    assert consent.issuer_consent_doc and consent.issuer_consent_date
    events = CustodyEvent.objects.filter(carrier__unit__name=UNIT_NAME)
    for kind in (
        EventKind.RELOCATE,
        EventKind.AMEND,
        EventKind.FOUND,
        EventKind.RETURN,
        EventKind.ACKNOWLEDGE,
        EventKind.TAKE_OUT,
    ):
        assert events.filter(kind=kind).exists(), kind


def test_demo_leaves_requests_waiting_for_the_leader_and_one_refused(demo_db):
    leader = Person.objects.get(user__username="lingdao")
    pending = Request.objects.filter(status=RequestStatus.PENDING)
    assert pending.count() >= 3
    assert all(r.steps.get().approver == leader for r in pending)
    assert Request.objects.filter(status=RequestStatus.REJECTED).count() == 1


def test_demo_carriers_all_have_custody_and_audit_history(demo_db):
    carriers = Carrier.objects.filter(unit__name=UNIT_NAME)
    assert not carriers.filter(events__isnull=True).exists()
    # Every custody event has its audit row (one each, design.md invariants).
    audited = AuditEvent.objects.filter(object_type="carrier", outcome=Outcome.DONE).count()
    assert audited == CustodyEvent.objects.count()
    assert not AuditEvent.objects.filter(outcome=Outcome.REFUSED).exists()
    result = verify()
    assert result.ok and result.checked == AuditEvent.objects.count()


def test_demo_accounts_log_in_with_the_demo_password(demo_db):
    users = get_user_model().objects.filter(username__in=ACCOUNTS)
    assert users.count() == len(ACCOUNTS)
    for user in users:
        assert user.check_password(DEMO_PASSWORD), user.username
    people = {p.user.username: p for p in Person.objects.filter(user__in=users)}
    assert people["baomiyuan"].is_registry_clerk and people["baomiyuan"].clearance == "core"
    assert people["lingdao"].is_unit_head
    # Every built-in kind, and the kinds the meetings app registers with the engine.
    every_kind = [*RequestKind.values, "meeting", "meeting_attendees"]
    assert set(people["lingdao"].authorities.values_list("kind", "max_level")) == {
        (kind, Level.TOP_SECRET) for kind in every_kind
    }
    assert [people[u].clearance for u in ("zhangsan", "lisi", "wangwu")] == [
        "important",
        "general",
        "none",
    ]
    assert {people[u].system_role for u in ("sysadmin", "secadmin", "auditor")} == {
        "sysadmin",
        "secadmin",
        "auditor",
    }
    assert Person.objects.filter(unit__name=UNIT_NAME, is_classifier=True).exists()
    assert Person.objects.filter(unit__name=UNIT_NAME, is_automation=False).count() >= 25
    unit = Unit.objects.get(name=UNIT_NAME)
    assert (unit.code, unit.classification_authority, unit.parent.name) == (
        "C01",
        Level.SECRET,
        "XX省保密局",
    )


def test_demo_twice_changes_nothing(demo_db):
    before = (Carrier.objects.count(), AuditEvent.objects.count(), Person.objects.count())
    out = StringIO()
    call_command("demo", stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert (Carrier.objects.count(), AuditEvent.objects.count(), Person.objects.count()) == before


def test_demo_then_audit_verify_passes(demo_db):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    count = AuditEvent.objects.count()
    assert out.getvalue().strip() == f"审计日志完整：{count} 条记录，树大小 {count}"
