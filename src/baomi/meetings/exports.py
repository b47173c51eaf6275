"""涉密会议登记表 and a meeting's 会议文件分发清退登记表 as xlsx and PDF, with the level banner
(SEC-5: the highest meeting or paper level on the file)."""

from __future__ import annotations

from baomi.carriers.exports import marked_by_level
from baomi.lib.exports import TableExport

MEETINGS = TableExport(
    title="涉密会议登记表",
    event_type="meeting.export",
    filename="meetings",
    columns=(
        ("编号", 8, lambda m: f"#{m.pk}"),
        ("会议名称", 30, lambda m: m.title),
        ("密级", 8, lambda m: m.get_level_display()),
        ("时间", 18, lambda m: m.starts_at),
        ("地点", 20, lambda m: m.venue),
        ("组织者", 10, lambda m: m.organiser.name),
        ("参会人数", 8, lambda m: m.attendees.count()),
        ("状态", 10, lambda m: m.get_state_display()),
        ("会前检查", 10, lambda m: "已完成" if m.checklist_complete else "未完成"),
        ("未收回文件", 10, lambda m: _missing(m)),
    ),
    mark=marked_by_level(lambda m: [m]),
    noun="次",
)


def _missing(meeting) -> int:
    from baomi.meetings.selectors import not_returned

    return len(not_returned(meeting))


PAPERS = TableExport(
    title="会议文件分发清退登记表",
    event_type="meeting.papers_export",
    filename="meeting-papers",
    columns=(
        ("统一编号-份号", 18, lambda p: p.carrier.label),
        ("份号", 6, lambda p: p.carrier.copy_no),
        ("密级标志", 12, lambda p: p.carrier.marking),
        ("类别", 10, lambda p: p.get_role_display()),
        ("领取人", 10, lambda p: p.handed_to.name if p.handed_to_id else ""),
        ("分发时间", 18, lambda p: p.handed_out_at),
        ("收回时间", 18, lambda p: p.returned_at),
        ("当前持有人", 10, lambda p: p.carrier.holder.name if p.carrier.holder_id else ""),
        ("状态", 10, lambda p: p.carrier.get_status_display()),
    ),
    mark=marked_by_level(lambda p: [p.carrier], code=lambda c: c.label),
    noun="份",
)
