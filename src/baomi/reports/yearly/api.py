"""JSON API of the yearly 保密工作情况 report (INS-4): `reports/yearly`.

`GET /reports/yearly?year=&unit=` answers every figure with the query that yields it, and the
narrative; `.pdf` and `.xlsx` download the same; `PUT /reports/yearly/narrative` saves the
narrative of a draft; `POST /reports/yearly/finalise` freezes it. Counts only, never a title:
a superior unit's 保密办 reads a subordinate's report (ORG-4) but does not write it; anyone else
gets 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import HttpResponse
from ninja import Router, Schema
from pydantic import Field

from baomi.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, text
from baomi.reports.yearly import actions
from baomi.reports.yearly.exports import report_pdf, report_xlsx
from baomi.reports.yearly.report import (
    FIRST_YEAR,
    checked_year,
    default_year,
    report_unit,
    yearly_report,
)

router = Router()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Section = text(actions.MAX_SECTION)
# The schema's bounds; that the year has begun is checked beyond it (`report.checked_year`).
ReportYear = Annotated[int, Field(ge=FIRST_YEAR, le=2100, description="年度，如 2025")]


class FigureOut(Schema):
    key: str = Field(description="数字编号，如 held_at_end.secret")
    section: str = Field(description="carriers / people / training / inspections / incidents")
    label: str
    level: str = Field(description="密级或涉密等级代码；total 为合计；空为不分级")
    level_display: str
    value: int | float | None = Field(
        description="件数（载体）、人数、次数或百分比；无可计算时为 null"
    )
    copies: int | None = Field(description="份数（仅载体数字）")
    measure: str = Field(description="单位：件、人、人次、次、个、起、%、分")
    query: str = Field(description="得出该数字的查询条件（可据此复核）")


class NarrativeOut(Schema):
    field: str
    heading: str
    text: str


class YearlyReportOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    as_of: date = Field(description="数字截至的日期（年末，或本年尚未结束时为今天）")
    year_complete: bool
    state: str = Field(description="draft / final")
    state_display: str
    editable: bool
    may_finalise: bool
    narrative: list[NarrativeOut]
    finalised_at: datetime | None
    finalised_by: str | None
    checkpoint_id: int | None = Field(description="定稿时冻结的审计日志检查点")
    figures: list[FigureOut]


class NarrativeIn(Schema):
    overview: Section | None = None
    main_work: Section | None = None
    problems: Section | None = None
    next_plan: Section | None = None


def _resolve(request, year: int | None, unit: int | None):
    target = report_unit(request.auth, unit)
    return target, checked_year(year if year is not None else default_year())


@router.get(
    "/yearly", response={200: YearlyReportOut, **READ_ERRORS}, summary="年度保密工作情况报告"
)
def yearly(request, year: ReportYear | None = None, unit: Id | None = None):
    target, year = _resolve(request, year, unit)
    return yearly_report(request.auth, target, year)


@router.put(
    "/yearly/narrative", response={200: YearlyReportOut, **WRITE_ERRORS}, summary="保存报告文字"
)
def save_narrative(request, payload: NarrativeIn, year: ReportYear, unit: Id | None = None):
    target, year = _resolve(request, year, unit)
    sections = {k: v for k, v in payload.dict().items() if v is not None}
    actions.save_narrative(request.auth, target, year, sections)
    return yearly_report(request.auth, target, year)


@router.post(
    "/yearly/finalise", response={200: YearlyReportOut, **WRITE_ERRORS}, summary="报告定稿"
)
def finalise(request, year: ReportYear, unit: Id | None = None):
    target, year = _resolve(request, year, unit)
    actions.finalise(request.auth, target, year)
    return yearly_report(request.auth, target, year)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/yearly.pdf", response={200: None, **READ_ERRORS}, summary="年度报告（PDF）")
def yearly_pdf(request, year: ReportYear | None = None, unit: Id | None = None):
    target, year = _resolve(request, year, unit)
    report = yearly_report(request.auth, target, year)
    content = report_pdf(report, target, request.auth)
    return _download(content, "application/pdf", f"yearly-report-{target.code}-{year}.pdf")


@router.get("/yearly.xlsx", response={200: None, **READ_ERRORS}, summary="年度报告（xlsx）")
def yearly_xlsx(request, year: ReportYear | None = None, unit: Id | None = None):
    target, year = _resolve(request, year, unit)
    report = yearly_report(request.auth, target, year)
    content = report_xlsx(report, target, request.auth)
    return _download(content, XLSX, f"yearly-report-{target.code}-{year}.xlsx")
