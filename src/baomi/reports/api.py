"""JSON API: `GET /statistics/carriers` and `GET /statistics/oversight` — the dashboard's figures
(看板), counts only.

The same dict as the page and the xlsx (`reports.selectors.carrier_statistics`). Whole-unit figures
for the unit's 保密办, head and 保密委员会 (and, with `?unit=`, a subordinate unit for a superior
保密办, ORG-4); everyone else's count only what they may see. 404 for the three system roles
(SEC-3) and for a unit out of reach."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Router, Schema
from pydantic import Field

from baomi.api.schemas import READ_ERRORS, Id
from baomi.carriers.rules import today
from baomi.lib.errors import NotFound
from baomi.reports.oversight import oversight_for
from baomi.reports.selectors import (
    NO_DASHBOARD,
    carrier_statistics,
    dashboard_scope,
    units_to_choose,
)

router = Router()


class LevelCount(Schema):
    level: str = Field(description="密级代码，如 top_secret")
    level_display: str
    total: int = Field(description="登记过的全部载体（含已销毁、清退等）")
    live: int = Field(description="在管：在库、归档、待销毁、在人员手中")
    overdue: int = Field(description="在人员手中且已过应还日期")


class StatusCount(Schema):
    status: str = Field(description="状态代码，如 in_registry")
    status_display: str
    count: int


class KindCount(Schema):
    kind: str = Field(description="申请类型代码，如 loan")
    kind_display: str
    count: int


class MonthCount(Schema):
    month: str = Field(description="月份 YYYY-MM（本地时间）", pattern=r"^\d{4}-\d{2}$")
    month_display: str
    registered: int = Field(description="当月登记（含复制产生）的载体")
    destroyed: int = Field(description="当月销毁的载体")
    recalled: int = Field(description="当月清退（退回制文机关）的载体")


class CarrierStatisticsOut(Schema):
    scope: Literal["unit", "visible"] = Field(
        description="unit：整个单位的载体；visible：调用者有权查看的载体"
    )
    scope_display: str
    unit_id: int | None
    unit_name: str | None
    as_of: date
    carriers_total: int
    carriers_live: int
    overdue: int
    requests_pending: int = Field(description="待审批的申请")
    by_level: list[LevelCount]
    by_status: list[StatusCount]
    requests_by_kind: list[KindCount] = Field(description="待审批的申请，按类型（只列有的）")
    trend: list[MonthCount] = Field(description="近 12 个月，从早到晚")


@router.get(
    "/carriers",
    response={200: CarrierStatisticsOut, **READ_ERRORS},
    summary="涉密载体统计（看板）",
)
def carrier_figures(request, unit: Id | None = None):
    """Counts only, never titles: by level, by status, overdue, pending requests, 12 months."""
    return carrier_statistics(dashboard_scope(request.auth, unit), today())


class FindingSeverityCount(Schema):
    severity: str = Field(description="严重程度代码：minor、serious、critical")
    severity_display: str
    count: int


class RectificationDeadlineOut(Schema):
    id: int = Field(description="整改编号")
    deadline: date
    overdue: bool
    days_left: int
    owner: str
    severity: str
    severity_display: str
    status_display: str


class OversightFigures(Schema):
    findings_open: int = Field(description="未整改完成（未验证关闭）的检查发现问题")
    findings_by_severity: list[FindingSeverityCount]
    rectifications_open: int
    rectifications_overdue: int = Field(description="已过整改期限仍未关闭")
    rectifications_due_soon: int = Field(description="7 天内到期")
    incidents_open: int = Field(description="未结案的失泄密事件")
    incidents_report_pending: int = Field(description="未上报，发现不足 24 小时")
    incidents_report_overdue: int = Field(description="未上报，发现已超过 24 小时（INC-1）")
    people_cleared: int = Field(description="在岗涉密人员")
    people_trained: int = Field(description="近 12 个月参加过培训")
    people_examined: int = Field(description="本年参加过考试")
    people_passed: int
    training_coverage: int | None = Field(description="百分比；无涉密人员时为空")
    exam_coverage: int | None
    computers_internet: int
    computers_checked_this_quarter: int
    computers_check_overdue: int = Field(description="上季度和本季度都未检查（DEV-6）")


class SubordinateOversightFigures(OversightFigures):
    unit_id: int
    unit_name: str


class OversightOut(OversightFigures):
    deadlines: list[RectificationDeadlineOut] = Field(description="最近的整改期限，逾期的在前")
    subordinates: list[SubordinateOversightFigures] = Field(
        description="下级单位（ORG-4，只有数字）"
    )


@router.get(
    "/oversight",
    response={200: OversightOut, **READ_ERRORS},
    summary="检查、事件、教育与设备统计（看板）",
)
def oversight_figures(request, unit: Id | None = None):
    """Issue 12's dashboard figures for a whole unit (its 保密办, head, 保密委员会), with each
    subordinate unit for a superior 保密办 (ORG-4). Others: 404 — these are a unit's figures."""
    scope = dashboard_scope(request.auth, unit)
    figures = oversight_for(scope, units_to_choose(scope), today())
    if figures is None:
        raise NotFound(NO_DASHBOARD)
    return figures
