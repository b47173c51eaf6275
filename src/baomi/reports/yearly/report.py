"""The yearly 保密工作情况 report (INS-4) as one dict: the page, the API, the PDF and the xlsx all
show the same.

Who reads it (ORG-4): the people who answer for a unit's figures (its 保密办, head and 保密委员会,
`reports.selectors.answers_for_unit`) for their own unit, and a superior unit's 保密办 for each
subordinate unit. It holds counts and the queries behind them, never a title. Only the unit's own
people edit its narrative and finalise it; a superior reads."""

from __future__ import annotations

from django.utils import timezone

from baomi.lib import clock
from baomi.lib.errors import Invalid, NotFound
from baomi.org.models import Person, Unit
from baomi.reports.models import NARRATIVE, ReportState, YearlyReport
from baomi.reports.selectors import answers_for_unit, dashboard_scope, units_to_choose
from baomi.reports.yearly.base import Year
from baomi.reports.yearly.carriers import carrier_figures
from baomi.reports.yearly.oversight import oversight_figures
from baomi.reports.yearly.people import people_figures
from baomi.reports.yearly.subordinates import subordinate_figures

NO_REPORT = "年度报告不存在，或您无权查看。"
FIRST_YEAR = 2000
SECTIONS = (
    ("carriers", "涉密载体"),
    ("people", "涉密人员"),
    ("training", "教育培训"),
    ("inspections", "保密检查与整改"),
    ("incidents", "失泄密事件"),
    ("subordinates", "下级单位情况"),
)


def report_unit(viewer: Person | None, unit_id: int | None) -> Unit:
    """The unit whose report `viewer` may read: their own (when they answer for it) or one their
    保密办 supervises (ORG-4). Anything else does not exist for them."""
    scope = dashboard_scope(viewer, unit_id)
    if not scope.whole_unit:
        raise NotFound(NO_REPORT)
    return scope.unit


def units_for(viewer: Person, unit: Unit) -> list[Unit]:
    return units_to_choose(dashboard_scope(viewer, unit.pk)) or [unit]


def may_write(viewer: Person, unit: Unit) -> bool:
    """The unit's own 保密办, head and committee draft and finalise; a superior only reads."""
    return answers_for_unit(viewer, unit.pk)


def checked_year(raw) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise Invalid("年度无效。", {"year": ["请填写四位年份"]}) from None
    if not FIRST_YEAR <= year <= clock.today().year:
        raise Invalid("年度无效。", {"year": [f"年度须在 {FIRST_YEAR} 至今年之间"]})
    return year


def default_year() -> int:
    """In January to March the report being written is last year's; later, this year's."""
    today = clock.today()
    return today.year - 1 if today.month <= 3 else today.year


def compute_figures(unit: Unit, year: int) -> list[dict]:
    y = Year(unit, year)
    figures = [
        *carrier_figures(y),
        *people_figures(y),
        *oversight_figures(y),
        *subordinate_figures(unit, year),
    ]
    return [f.as_dict() for f in figures]


def draft_of(unit: Unit, year: int) -> YearlyReport | None:
    return YearlyReport.objects.filter(unit=unit, year=year).first()


def yearly_report(viewer: Person, unit: Unit, year: int) -> dict:
    """Everything the report shows. A finalised report shows what was frozen; a draft's figures
    are computed now from the ledgers, its narrative is what was saved."""
    y = Year(unit, year)
    saved = draft_of(unit, year)
    final = saved is not None and saved.final
    figures = saved.figures if final else compute_figures(unit, year)
    narrative = saved.narrative() if saved else {name: "" for name, _ in NARRATIVE}
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "year": year,
        "as_of": y.as_of,
        "year_complete": y.complete,
        "state": saved.state if saved else ReportState.DRAFT,
        "state_display": ReportState(saved.state).label if saved else "未起草",
        "editable": may_write(viewer, unit) and not final,
        "may_finalise": may_write(viewer, unit) and not final and y.complete,
        "narrative": [
            {"field": name, "heading": heading, "text": narrative[name]}
            for name, heading in NARRATIVE
        ],
        "updated_at": saved.updated_at if saved else None,
        "updated_by": saved.updated_by.name if saved else None,
        "finalised_at": saved.finalised_at if final else None,
        "finalised_by": saved.finalised_by.name if final else None,
        "generated_at": saved.finalised_at if final else timezone.now(),
        "sections": [
            {
                "section": code,
                "title": title,
                "figures": [f for f in figures if f["section"] == code],
            }
            for code, title in SECTIONS
            if code != "subordinates" or any(f["section"] == code for f in figures)
        ],
        "figures": figures,
        "checkpoint_id": saved.checkpoint_id if final else None,
    }
