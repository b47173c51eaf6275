"""INS-1, INS-2 through the actions: an inspection from plan to a closed rectification, with a
finding the system pre-answered from the ledger and a rectification verified by a second person
(refused for its owner)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.audit.models import AuditEvent
from baomi.inspections import actions
from baomi.inspections.checklist import DEFAULT_ITEMS
from baomi.inspections.choices import (
    Answer,
    AutoCheck,
    InspectionStatus,
    RectificationStatus,
    Severity,
)
from baomi.inspections.models import ChecklistTemplate, Finding
from baomi.lib import filestore
from baomi.lib.errors import Forbidden, Invalid, InvalidState
from tests.factories import refused
from tests.inspections.helpers import START, at, overdue_loan, self_inspection

pytestmark = pytest.mark.django_db


def _answer_all(w, inspection):
    for row in inspection.answers.filter(answer=Answer.UNANSWERED):
        actions.answer_item(w.clerk, row, result=Answer.YES)


def test_r_ins_2_inspection_from_plan_to_closed_rectification(world):
    w = world
    with at(START):
        carrier = overdue_loan(w)
        inspection = self_inspection(w)
        assert inspection.status == InspectionStatus.PLANNED
    with at(START + timedelta(days=10)):
        actions.start_inspection(w.clerk, inspection)
        inspection.refresh_from_db()
        assert inspection.status == InspectionStatus.IN_PROGRESS
        # Every item of the default checklist became an answer citing its rule.
        assert inspection.answers.count() == len(DEFAULT_ITEMS)
        loans = inspection.answers.get(auto_check=AutoCheck.OVERDUE_LOANS)
        assert loans.rule_id == "CR-6" and loans.answer == Answer.NO and loans.answered_by_system
        assert carrier.label in loans.evidence
        assert "关于某项工作的通知" not in loans.evidence  # labels, never titles
        safe = inspection.answers.get(auto_check=AutoCheck.TOP_SECRET_OUTSIDE_SAFE)
        assert safe.rule_id == "CR-15" and safe.answer == Answer.YES
        # The ledger's answer became a finding naming the carrier.
        finding = Finding.objects.get(inspection=inspection, answer=loans)
        assert finding.found_by_system and finding.carrier == carrier and finding.rule_id == "CR-6"
        _answer_all(w, inspection)
        rect = actions.assign_rectification(
            w.clerk,
            finding,
            content="催还逾期借阅载体并建立催办台帐",
            owner=w.zhang,
            deadline=START + timedelta(days=20),
        )
        actions.complete_inspection(w.clerk, inspection, summary="发现借阅逾期问题，已下达整改。")
        inspection.refresh_from_db()
        assert inspection.status == InspectionStatus.COMPLETED
        actions.submit_rectification(w.zhang, rect, report="已归还并建立催办台帐。")
        rect.refresh_from_db()
        assert rect.status == RectificationStatus.SUBMITTED
        # INS-2: the owner cannot verify their own rectification.
        with refused("INS-2"):
            actions.verify_rectification(w.zhang, rect, accepted=True, note="")
        actions.verify_rectification(w.leader, rect, accepted=True, note="核实无误")
        rect.refresh_from_db()
        assert rect.status == RectificationStatus.CLOSED and rect.verified_by == w.leader
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        "inspection.plan",
        "inspection.start",
        "rectification.assign",
        "rectification.submit",
        "rectification.verify",
        "inspection.complete",
    } <= events


def test_r_ins_2_verifier_returns_rectification_to_owner(world):
    w = world
    with at(START):
        inspection = self_inspection(w, planned_on=START)
        actions.start_inspection(w.clerk, inspection)
        finding = actions.record_finding(
            w.clerk,
            inspection,
            actions.FindingForm(
                description="文件柜未上锁",
                severity=Severity.MINOR,
                rule_id="CR-15",
                place=w.cabinet,
            ),
        )
        rect = actions.assign_rectification(
            w.clerk, finding, content="加装锁具", owner=w.li, deadline=START + timedelta(days=5)
        )
        with pytest.raises(InvalidState):
            actions.verify_rectification(w.leader, rect, accepted=True)  # nothing submitted yet
        actions.submit_rectification(w.li, rect, report="已加锁")
        with pytest.raises(Invalid):
            actions.verify_rectification(w.leader, rect, accepted=False, note="")  # why?
        actions.verify_rectification(w.leader, rect, accepted=False, note="锁具不合格")
        rect.refresh_from_db()
        assert rect.status == RectificationStatus.OPEN and rect.verified_by is None


def test_r_ins_2_only_inspectors_record_and_only_owner_submits(world):
    w = world
    with at(START):
        inspection = self_inspection(w, planned_on=START)
        with refused("forbidden", error=Forbidden):
            actions.start_inspection(w.zhang, inspection)
        actions.start_inspection(w.clerk, inspection)
        finding = actions.record_finding(
            w.clerk, inspection, actions.FindingForm(description="x", severity=Severity.MINOR)
        )
        rect = actions.assign_rectification(
            w.clerk, finding, content="整改", owner=w.zhang, deadline=START
        )
        with refused("forbidden", error=Forbidden):
            actions.submit_rectification(w.li, rect, report="代交")
        with pytest.raises(InvalidState):
            actions.assign_rectification(
                w.clerk, finding, content="再次", owner=w.li, deadline=START
            )
        with pytest.raises(Invalid):
            actions.complete_inspection(w.clerk, inspection, summary="未逐项检查")


def test_r_ins_2_evidence_is_encrypted_at_rest(world, settings, tmp_path):
    settings.BAOMI_FILE_DIR = str(tmp_path)
    w = world
    inspection = self_inspection(w)
    actions.start_inspection(w.clerk, inspection)
    finding = actions.record_finding(
        w.clerk, inspection, actions.FindingForm(description="照片", severity=Severity.MINOR)
    )
    secret = "保险柜门未锁的照片说明".encode()
    evidence = actions.attach_evidence(
        w.clerk, finding, file_name="照片.txt", content_type="text/plain", data=secret
    )
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert secret not in stored and stored
    assert filestore.read(evidence.blob) == secret


def test_default_checklist_cites_rules_and_matches_the_migration(world):
    from importlib import import_module

    migration = import_module("baomi.inspections.migrations.0002_default_self_inspection_checklist")
    assert tuple((t, r, str(a)) for t, r, a in DEFAULT_ITEMS) == migration.ITEMS
    template = actions.default_template()
    texts = {i.text: i.rule_id for i in template.items.all()}
    assert texts["绝密载体是否单独存放于保险柜"] == "CR-15"
    assert ChecklistTemplate.objects.filter(unit__isnull=True).count() == 1
