"""INS-4: the yearly 保密工作情况 report, as of 31 December from the custody history — checked
against what the test counted while acting and against a replay of the ledger written here (not
the report's own functions); its PDF read back with pdftotext; its xlsx; finalising freezes it
with the audit checkpoint it rests on."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from baomi.audit.models import AuditCheckpoint, AuditEvent, CheckpointReason
from baomi.carriers.choices import LIVE
from baomi.carriers.models import Carrier
from baomi.inspections.choices import RectificationStatus
from baomi.inspections.models import Finding
from baomi.lib.errors import Forbidden, InvalidState
from baomi.reports.models import ReportState, YearlyReport
from baomi.reports.yearly import actions
from baomi.reports.yearly.exports import report_pdf, report_xlsx
from baomi.reports.yearly.report import yearly_report
from tests.reports.yearly_world import EXPECTED, EXPECTED_CLEARED, TITLE, TZ, YEAR, build_year

pytestmark = pytest.mark.django_db
END = datetime(YEAR + 1, 1, 1, tzinfo=TZ)
START = datetime(YEAR, 1, 1, tzinfo=TZ)


def figures(report) -> dict[str, dict]:
    return {f["key"]: f for f in report["figures"]}


def replay_held(unit) -> dict[str, tuple[int, int]]:
    """Holdings on 31 December replayed carrier by carrier from the custody events and the
    classification changes, in Python: {level: (件, 份)}."""
    numbers: dict[str, set] = {}
    copies: dict[str, int] = {}
    for carrier in Carrier.objects.filter(unit=unit):
        before_end = [e for e in carrier.events.all() if e.at < END]
        if not before_end or before_end[-1].status_after not in LIVE:
            continue
        later = sorted(
            (r for r in carrier.reclassifications.all() if r.at >= END), key=lambda r: r.at
        )
        level = later[0].before["level"] if later else carrier.level
        numbers.setdefault(level, set()).add(carrier.number)
        copies[level] = copies.get(level, 0) + 1
    return {level: (len(numbers[level]), copies[level]) for level in numbers}


def by_level(figs: dict, key: str) -> dict[str, tuple[int, int]]:
    """The report's {level: (件, 份)} of one figure, leaving out the zeros and the total."""
    return {
        f["level"]: (f["value"], f["copies"])
        for k, f in figs.items()
        if k.startswith(f"{key}.") and f["level"] != "total" and (f["value"] or f["copies"])
    }


def test_r_ins_4_figures_as_of_31_december_match_independent_counts():
    w, made, _ = build_year()
    destroyed_in_january = made["B"][0].events.last()
    assert destroyed_in_january.kind == "destroy" and destroyed_in_january.at > END
    report = yearly_report(w.clerk, w.unit, YEAR)
    figs = figures(report)
    assert report["year_complete"] and str(report["as_of"]) == f"{YEAR}-12-31"
    for key, expected in EXPECTED.items():
        assert by_level(figs, key) == expected, key
    # The replay agrees, and it is not today's state: B1 was destroyed in January 2026 and D
    # downgraded in February 2026, yet on 31 December both were held, D still at 机密.
    assert by_level(figs, "held_at_end") == replay_held(w.unit)
    today_live = Carrier.objects.filter(unit=w.unit, status__in=LIVE, registered_at__lt=END)
    assert today_live.count() == 3 != figs["held_at_end.total"]["copies"] == 4
    assert figs["held_at_end.total"]["value"] == 4  # four distinct 统一编号: A, B, C, D
    # Totals count distinct numbers: A registered three copies, D one — both 机密.
    assert (figs["registered.total"]["value"], figs["registered.total"]["copies"]) == (4, 7)
    assert figs["destroyed.total"]["copies"] == 1  # the January destruction belongs to 2026
    # People, by their level on 31 December: 周新 重要 (核心 since 2026), 李四 left in June,
    # 吴后来 joined in 2026.
    cleared = {
        k.split(".")[1]: f["value"] for k, f in figs.items() if k.startswith("cleared_at_end.")
    }
    assert cleared == {**EXPECTED_CLEARED, "total": sum(EXPECTED_CLEARED.values())}
    assert figs["clearance_decisions"]["value"] == 1 and figs["newly_cleared"]["value"] == 1
    assert figs["departures.general"]["value"] == 1 and figs["departures.total"]["value"] == 1
    assert figs["travel_abroad"]["value"] == 1 and figs["travel_reported"]["value"] == 1
    # Education: one session in 2025 with three people; the 2026 one is not counted.
    assert figs["trainings.total"]["value"] == 1 and figs["trainings.concentrated"]["value"] == 1
    assert figs["attendance"]["value"] == 3 and figs["people_trained"]["value"] == 3
    # Inspections: every finding raised in 2025 (two recorded by hand, and what the system found
    # from the ledger), counted here from the table; one closed before the year's end.
    raised = Finding.objects.filter(inspection__unit=w.unit, created_at__lt=END)
    assert figs["inspections.total"]["value"] == 1 and figs["inspections.self"]["value"] == 1
    assert figs["findings"]["value"] == raised.count() >= 2
    closed = [
        f
        for f in raised
        if getattr(f, "rectification", None) is not None
        and f.rectification.status == RectificationStatus.CLOSED
        and f.rectification.verified_at < END
    ]
    assert figs["rectified"]["value"] == len(closed) == 1
    assert figs["rectification_rate"]["value"] == round(100 * len(closed) / raised.count(), 1)
    assert figs["rectification_overdue"]["value"] == 1  # 修复门禁, due 15 December, closed in 2026
    # Incidents: the loss of July, reported within 24 hours; the leak of January 2026 is not.
    assert figs["incidents.total"]["value"] == 1 and figs["incidents.loss"]["value"] == 1
    assert figs["incidents_reported_in_time"]["value"] == 1
    # Every figure says how it was obtained; none names a carrier's title.
    assert all(f["query"] for f in report["figures"])
    assert "流转记录" in figs["destroyed.confidential"]["query"]
    assert (
        "销毁" in figs["destroyed.confidential"]["query"]
        and "秘密" in figs["destroyed.confidential"]["query"]
    )
    assert TITLE not in str(report)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext 未安装")
def test_r_ins_4_pdf_and_xlsx_read_back_with_their_checkpoint_and_finalising_freezes_them():
    w, _, _ = build_year()
    actions.save_narrative(
        w.clerk,
        w.unit,
        YEAR,
        {"overview": "本年度全面落实保密责任制。", "problems": "门禁维护不及时。"},
    )
    report = yearly_report(w.clerk, w.unit, YEAR)
    content = report_pdf(report, w.unit, w.clerk)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    assert f"{w.unit.name}{YEAR}年度保密工作情况报告" in flat
    assert "本年度全面落实保密责任制。" in flat and "年末在管" in flat and "数字来源" in flat
    assert "审计日志检查点" in flat and "内部" in flat
    assert TITLE not in flat
    draft_checkpoint = AuditCheckpoint.objects.filter(reason=CheckpointReason.YEARLY).latest("at")
    assert f"树大小{draft_checkpoint.size}" in flat
    book = load_workbook(BytesIO(report_xlsx(report, w.unit, w.clerk)))
    assert book.sheetnames[0] == "报告正文" and "数字来源" in book.sheetnames
    sources = book["数字来源"]
    assert sources["A1"].value == "内部"
    rows = {r[1]: r for r in sources.iter_rows(min_row=4, values_only=True)}
    held = rows["年末在管（合计）"]
    assert held[2:4] == (4, 4) and "流转记录" in held[5]
    assert AuditEvent.objects.filter(event_type="yearly_report.export").count() == 2

    # Finalising freezes the figures and takes the checkpoint (published once, the same after).
    final = actions.finalise(w.leader, w.unit, YEAR)
    assert final.state == ReportState.FINAL and final.checkpoint.reason == CheckpointReason.YEARLY
    frozen = yearly_report(w.clerk, w.unit, YEAR)
    assert frozen["figures"] == report["figures"] and frozen["checkpoint_id"] == final.checkpoint_id
    assert not frozen["editable"]
    with pytest.raises(InvalidState):
        actions.save_narrative(w.clerk, w.unit, YEAR, {"overview": "改写"})
    assert YearlyReport.objects.get().overview == "本年度全面落实保密责任制。"
    again = "".join(
        subprocess.run(
            ["pdftotext", "-", "-"],
            input=report_pdf(frozen, w.unit, w.clerk),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split()
    )
    assert f"树大小{final.checkpoint.size}" in again and "已定稿" in again
    assert (
        AuditEvent.objects.filter(event_type="yearly_report.finalise", outcome="done").count() == 1
    )


def test_r_ins_4_only_the_unit_writes_and_a_running_year_is_not_finalised(world):
    w = world
    with pytest.raises(Forbidden):
        actions.save_narrative(w.zhang, w.unit, 2026, {"overview": "x"})
    actions.save_narrative(w.clerk, w.unit, 2026, {"overview": "草稿"})
    with pytest.raises(InvalidState):
        actions.finalise(w.leader, w.unit, 2026)  # 31 December 2026 has not come yet
    with pytest.raises(InvalidState, match="文字部分尚未填写"):
        actions.finalise(w.leader, w.unit, 2025)  # nothing written for 2025
    assert not YearlyReport.objects.filter(year=2025).exists()
