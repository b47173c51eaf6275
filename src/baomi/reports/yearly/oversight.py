"""Oversight figures of the yearly report (INS-4): trainings and exams (EDU-1), inspections,
findings and rectification (INS-1, INS-2), incidents (INC-1) — each as of 31 December.

The incidents app is read through one function, `_incidents_in`, so that its models can grow
without touching the rest of the report."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Avg, Count, F, Q

from baomi.inspections.choices import InspectionKind, InspectionStatus, RectificationStatus
from baomi.inspections.models import Finding, Inspection
from baomi.reports.yearly.base import Figure, Year, percent
from baomi.training.choices import AttemptStatus, SessionKind
from baomi.training.models import Attendance, ExamAttempt, TrainingSession


def _figure(section: str, key: str, label: str, value, measure: str, query: str, **kw) -> Figure:
    return Figure(
        key=key, section=section, label=label, value=value, measure=measure, query=query, **kw
    )


# --- education -------------------------------------------------------------------------------


def trainings(y: Year) -> list[Figure]:
    """Sessions held in the year (by kind), attendances and the people reached."""
    held = TrainingSession.objects.filter(
        unit_id=y.unit.pk, held_on__gte=y.first_day, held_on__lte=y.last_day
    )
    base = f"培训记录：{y.unit_text()}；培训日期在 {y.first_day} 至 {y.last_day}"
    by_kind = dict(held.values_list("kind").annotate(n=Count("id")).order_by())
    attended = Attendance.objects.filter(session__in=held)
    figures = [_figure("training", "trainings.total", "组织保密培训", held.count(), "次", base)]
    figures += [
        _figure(
            "training",
            f"trainings.{kind.value}",
            f"其中{kind.label}",
            by_kind.get(kind.value, 0),
            "次",
            f"{base}；类别 = {kind.label}",
        )
        for kind in SessionKind
    ]
    figures += [
        _figure(
            "training",
            "attendance",
            "参训",
            attended.count(),
            "人次",
            f"培训签到：所属培训为上述 {base}",
        ),
        _figure(
            "training",
            "people_trained",
            "参训人数",
            attended.values("person_id").distinct().count(),
            "人",
            f"培训签到：所属培训为上述 {base}；按人员去重",
        ),
    ]
    return figures


def exams(y: Year) -> list[Figure]:
    """Papers handed in during the year, how many passed (score ≥ the exam's pass mark)."""
    papers = ExamAttempt.objects.filter(
        exam__unit_id=y.unit.pk,
        status=AttemptStatus.SUBMITTED,
        submitted_at__gte=y.start,
        submitted_at__lt=y.end,
    )
    base = f"考试答卷：考试所属{y.unit_text()}；状态 = 已交卷；交卷{y.window_text()}"
    total = papers.count()
    passed = papers.filter(score__gte=F("exam__pass_score")).count()
    average = papers.aggregate(avg=Avg("score"))["avg"]
    return [
        _figure("training", "exam_papers", "参加保密考试", total, "人次", base),
        _figure(
            "training", "exam_passed", "考试合格", passed, "人次", f"{base}；成绩 ≥ 该考试及格分"
        ),
        _figure(
            "training",
            "exam_pass_rate",
            "考试合格率",
            percent(passed, total),
            "%",
            "考试合格 ÷ 参加保密考试 × 100（无答卷时不计）",
        ),
        _figure(
            "training",
            "exam_average",
            "平均成绩",
            round(float(average), 1) if average is not None else None,
            "分",
            f"{base}；成绩的平均值",
        ),
    ]


# --- inspections -----------------------------------------------------------------------------


def inspections(y: Year) -> list[Figure]:
    """Inspections of the unit completed in the year, by kind."""
    done = Inspection.objects.filter(
        unit_id=y.unit.pk,
        status=InspectionStatus.COMPLETED,
        completed_at__gte=y.start,
        completed_at__lt=y.end,
    )
    base = f"保密检查：被检查{y.unit_text()}；状态 = 已完成；完成{y.window_text()}"
    by_kind = dict(done.values_list("kind").annotate(n=Count("id")).order_by())
    return [
        _figure("inspections", "inspections.total", "完成保密检查", done.count(), "次", base),
        *(
            _figure(
                "inspections",
                f"inspections.{kind.value}",
                f"其中{kind.label}",
                by_kind.get(kind.value, 0),
                "次",
                f"{base}；类别 = {kind.label}",
            )
            for kind in InspectionKind
        ),
    ]


def findings(y: Year) -> list[Figure]:
    """Findings raised in the year; rectified (verified and closed) by the year's end; the rate;
    those past their deadline and still open at the year's end."""
    raised = Finding.objects.filter(
        inspection__unit_id=y.unit.pk, created_at__gte=y.start, created_at__lt=y.end
    )
    base = f"检查发现问题：所属检查的被检查{y.unit_text()}；发现{y.window_text()}"
    closed_by_end = Q(
        rectification__status=RectificationStatus.CLOSED, rectification__verified_at__lt=y.end
    )
    total = raised.count()
    closed = raised.filter(closed_by_end).count()
    overdue = raised.filter(rectification__deadline__lte=y.last_day).exclude(closed_by_end).count()
    return [
        _figure("inspections", "findings", "发现问题", total, "个", base),
        _figure(
            "inspections",
            "findings_serious",
            "其中较重、严重问题",
            raised.filter(severity__in=["serious", "critical"]).count(),
            "个",
            f"{base}；严重程度 ∈ {{较重、严重}}",
        ),
        _figure(
            "inspections",
            "rectified",
            "年末前整改验证关闭",
            closed,
            "个",
            f"{base}；整改状态 = 已验证关闭，且验证时间在 {y.year_end_text()}",
        ),
        _figure(
            "inspections",
            "rectification_rate",
            "整改率",
            percent(closed, total),
            "%",
            "年末前整改验证关闭 ÷ 发现问题 × 100（无问题时不计）",
        ),
        _figure(
            "inspections",
            "rectification_overdue",
            "年末逾期未整改",
            overdue,
            "个",
            f"{base}；整改期限 ≤ {y.last_day}，且年末前未验证关闭",
        ),
    ]


# --- incidents -------------------------------------------------------------------------------


def _incidents_in(y: Year):
    """The one read of the incidents app: reports of the unit discovered in the year."""
    from baomi.incidents.models import Incident

    return Incident.objects.filter(
        unit_id=y.unit.pk, discovered_at__gte=y.start, discovered_at__lt=y.end
    )


def incidents(y: Year) -> list[Figure]:
    found = _incidents_in(y)
    kinds = found.model._meta.get_field("kind").choices
    by_kind = dict(found.values_list("kind").annotate(n=Count("id")).order_by())
    base = f"失泄密事件：{y.unit_text()}；发现{y.window_text()}"
    on_time = found.filter(
        authority_reported_at__isnull=False,
        authority_reported_at__lte=F("discovered_at") + timedelta(hours=24),
    ).count()
    return [
        _figure("incidents", "incidents.total", "发生失泄密事件", found.count(), "起", base),
        *(
            _figure(
                "incidents",
                f"incidents.{code}",
                f"其中{label}",
                by_kind.get(code, 0),
                "起",
                f"{base}；事件类型 = {label}",
            )
            for code, label in kinds
        ),
        _figure(
            "incidents",
            "incidents_reported_in_time",
            "24小时内上报保密行政管理部门",
            on_time,
            "起",
            f"{base}；上报时间 ≤ 发现时间 + 24 小时（INC-1）",
        ),
    ]


def oversight_figures(y: Year) -> list[Figure]:
    return [*trainings(y), *exams(y), *inspections(y), *findings(y), *incidents(y)]
