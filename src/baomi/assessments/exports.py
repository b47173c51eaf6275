"""The assessment's results as xlsx (INS-3): one line per department or subordinate unit, one
column per item with its points, the total and the assessor's reasons. Counts only (内部)."""

from __future__ import annotations

from baomi.assessments.models import Assessment
from baomi.assessments.selectors import SubjectRow, result_table
from baomi.lib.exports import TableExport, table_xlsx


def _points_of(position: int):
    def get(row: SubjectRow):
        score = next((s for s in row.scores if s.item.position == position), None)
        return score.points if score is not None else None

    return get


def results_export(assessment: Assessment) -> TableExport:
    items = list(assessment.sheet.items.order_by("position"))
    state = assessment.get_status_display()
    return TableExport(
        title=f"{assessment.year}年度保密工作考核结果",
        event_type="assessment.export",
        filename=f"assessment-{assessment.year}",
        columns=(
            ("名次", 6, lambda row: row.rank),
            ("被考核对象", 18, lambda row: row.name),
            *(
                (f"{i.position}. {i.text}（{i.max_points}分）", 14, _points_of(i.position))
                for i in items
            ),
            ("合计", 8, lambda row: row.total),
            ("评分、调整理由", 40, lambda row: row.reasons),
        ),
        noun="个考核对象",
        note=f" · 评分表：{assessment.sheet}，满分 {sum(i.max_points for i in items)} · {state}",
    )


def results_xlsx(assessment: Assessment, viewer) -> bytes:
    rows = result_table(assessment)
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return table_xlsx(results_export(assessment), rows, viewer)
