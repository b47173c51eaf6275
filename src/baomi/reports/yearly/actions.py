"""Writing the yearly report (INS-4): save the narrative of a draft; finalise it (the figures
and the audit checkpoint they rest on are frozen; nothing changes after that). Both audited."""

from __future__ import annotations

from django.utils import timezone

from baomi.audit.checkpoints import checkpoint_for
from baomi.audit.models import CheckpointReason
from baomi.audit.trail import record
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState
from baomi.org.models import Person, Unit
from baomi.reports.models import NARRATIVE, ReportState, YearlyReport
from baomi.reports.yearly.base import Year
from baomi.reports.yearly.report import checked_year, compute_figures, may_write

MAX_SECTION = 20000


def subject(unit: Unit, year: int) -> str:
    """What the report's checkpoint is published for (one per unit and year once final)."""
    return f"{unit.code} {year} 年度保密工作情况报告"


def _require_writer(actor: Person, unit: Unit, doing: str) -> None:
    if not may_write(actor, unit):
        raise Forbidden(f"只有本单位保密办、单位负责人或保密委员会成员可以{doing}。")


def _locked(unit: Unit, year: int, actor: Person) -> YearlyReport:
    report, _ = YearlyReport.objects.select_for_update().get_or_create(
        unit=unit, year=year, defaults={"updated_by": actor, "updated_at": timezone.now()}
    )
    if report.final:
        raise InvalidState(
            f"{year} 年度报告已于 {timezone.localtime(report.finalised_at):%Y-%m-%d} 定稿，不能再修改。",
            {"state": report.state},
        )
    return report


@action("yearly_report.save")
def save_narrative(actor: Person, unit: Unit, year: int, sections: dict[str, str]) -> YearlyReport:
    """Keep the narrative sections given (the others stay as they were)."""
    year = checked_year(year)
    _require_writer(actor, unit, "编写年度保密工作情况报告")
    names = {name for name, _ in NARRATIVE}
    unknown = sorted(set(sections) - names)
    if unknown:
        raise Invalid("没有这些报告章节。", {name: ["没有此章节"] for name in unknown})
    too_long = [n for n, text in sections.items() if len(text or "") > MAX_SECTION]
    if too_long:
        raise Invalid("章节过长。", {n: [f"不能超过 {MAX_SECTION} 字"] for n in too_long})
    report = _locked(unit, year, actor)
    before = report.narrative()
    for name, text in sections.items():
        setattr(report, name, (text or "").strip())
    report.updated_by, report.updated_at = actor, timezone.now()
    report.save()
    changed = sorted(n for n in names if before[n] != getattr(report, n))
    # The narrative may describe the unit's work in detail: the log keeps which sections changed
    # and their length, not their text (the audit trail holds no classified text).
    record(
        "yearly_report.save",
        actor,
        report,
        after={
            "year": year,
            "changed": changed,
            "lengths": {n: len(getattr(report, n)) for n in names},
        },
    )
    return report


@action("yearly_report.finalise")
def finalise(actor: Person, unit: Unit, year: int) -> YearlyReport:
    """Freeze the figures, as computed now, and the checkpoint of the audit log they rest on."""
    year = checked_year(year)
    _require_writer(actor, unit, "将年度保密工作情况报告定稿")
    if not Year(unit, year).complete:
        raise InvalidState(
            f"{year} 年尚未结束，年度报告须在年末之后定稿。",
            {"year": year, "today": str(clock.today())},
        )
    report = _locked(unit, year, actor)
    if not any(report.narrative().values()):
        raise InvalidState("报告的文字部分尚未填写，不能定稿。", {"narrative": "empty"})
    report.figures = compute_figures(unit, year)
    report.checkpoint = checkpoint_for(CheckpointReason.YEARLY, subject(unit, year))
    report.state = ReportState.FINAL
    report.finalised_by, report.finalised_at = actor, timezone.now()
    report.save()
    record(
        "yearly_report.finalise",
        actor,
        report,
        before={"state": ReportState.DRAFT},
        after={
            "state": ReportState.FINAL,
            "year": year,
            "figures": len(report.figures),
            "checkpoint_size": report.checkpoint.size,
        },
    )
    return report
