"""A unit with something of everything the oversight figures count (issue 12), built at fixed
dates with the real actions (the exam attempts and device checks directly: their own flows are
tested in their apps). The dashboard is read on TODAY (2026-05-15, Q2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from baomi.devices.choices import CheckResult
from baomi.devices.models import DeviceCheck
from baomi.incidents import actions as incidents
from baomi.incidents.choices import IncidentState
from baomi.incidents.models import Incident
from baomi.inspections import actions as inspections
from baomi.inspections.choices import Severity
from baomi.training import actions as training
from baomi.training.models import Exam, ExamAttempt
from tests.devices.helpers import plain_device
from tests.inspections.helpers import TZ, at, self_inspection

TODAY = date(2026, 5, 15)


def moment(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _check(w, device, day: date) -> None:
    DeviceCheck.objects.create(
        device=device,
        checked_at=moment(day, 10),
        result=CheckResult.CLEAN,
        report={},
        uploaded_by=w.clerk,
        uploaded_at=moment(day, 11),
    )


def _finding(w, inspection, severity, text):
    return inspections.record_finding(
        w.clerk, inspection, inspections.FindingForm(description=text, severity=severity)
    )


def build_oversight(w) -> None:
    with at(date(2026, 1, 10)):
        checked, due, _never_checked = (
            plain_device(w, serial=f"PC-{n}", asset_number=f"FM-{n}") for n in (1, 2, 3)
        )
    _check(w, checked, date(2026, 4, 20))  # this quarter
    _check(w, due, date(2026, 2, 10))  # last quarter only: due by June, not overdue
    # `overdue`: never checked, registered before this quarter

    with at(date(2026, 3, 1)):
        session = training.create_session(
            w.clerk, title="集中培训", kind="concentrated", held_on=date(2026, 3, 1), hours=2
        )
        training.record_attendance(w.clerk, session, [w.zhang, w.li])
        exam = Exam.objects.create(
            unit=w.unit,
            title="保密知识测试",
            level="all",
            time_limit_minutes=30,
            pass_score=60,
            created_by=w.clerk,
            created_at=timezone.now(),
        )
    for person, score in ((w.zhang, 80), (w.li, 50)):
        ExamAttempt.objects.create(
            exam=exam,
            person=person,
            status="submitted",
            started_at=moment(date(2026, 5, 2), 9),
            deadline_at=moment(date(2026, 5, 2), 10),
            submitted_at=moment(date(2026, 5, 2), 9) + timedelta(minutes=20),
            correct=10,
            score=score,
        )

    with at(date(2026, 5, 1)):
        inspection = self_inspection(w, planned_on=date(2026, 5, 1))
        inspections.start_inspection(w.clerk, inspection)
        late = _finding(w, inspection, Severity.MINOR, "文件柜未上锁")
        inspections.assign_rectification(
            w.clerk, late, content="加锁", owner=w.zhang, deadline=date(2026, 5, 10)
        )
        soon = _finding(w, inspection, Severity.SERIOUS, "台帐不全")
        inspections.assign_rectification(
            w.clerk, soon, content="补齐台帐", owner=w.li, deadline=date(2026, 5, 20)
        )
        _finding(w, inspection, Severity.CRITICAL, "绝密文件未入保险柜")
        done = _finding(w, inspection, Severity.MINOR, "登记簿字迹不清")
        rect = inspections.assign_rectification(
            w.clerk, done, content="重新登记", owner=w.zhang, deadline=date(2026, 5, 5)
        )
        inspections.submit_rectification(w.zhang, rect, report="已重新登记")
        inspections.verify_rectification(w.clerk, rect, accepted=True, note="已核实")

    def report(when: datetime, summary: str) -> Incident:
        return incidents.open_incident(
            w.clerk,
            kind="loss",
            summary=summary,
            level="secret",
            discovered_at=when,
            discovered_where="办公室",
            discovered_by=w.zhang,
        )

    with at(TODAY, 10):
        report(moment(TODAY - timedelta(days=1), 6), "超过24小时未上报")
        report(moment(TODAY, 8), "24小时内")
        reported = report(moment(TODAY - timedelta(days=2), 9), "已上报")
        incidents.report_to_authority(w.clerk, reported, reference="电话报告")
        closed = report(moment(TODAY - timedelta(days=20), 9), "已结案")
    # closing has its own workflow in the incidents app; here only its outcome matters
    Incident.objects.filter(pk=closed.pk).update(
        state=IncidentState.CLOSED,
        closed_at=moment(TODAY - timedelta(days=1), 9),
        cause="保管不当",
        responsibility="批评教育",
    )
