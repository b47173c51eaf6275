"""申请 as xlsx and PDF: each request with the numbers and levels of its carriers, as the list
shows them. Marked with the highest level among those carriers (SEC-5), 内部 at least."""

from __future__ import annotations

from baomi.carriers.exports import marked_by_level
from baomi.lib.exports import TableExport


def _carriers(r) -> list:
    return [item.carrier for item in r.items.all()]


REQUESTS = TableExport(
    title="申请",
    event_type="request.export",
    filename="requests",
    columns=(
        ("编号", 8, lambda r: f"#{r.pk}"),
        ("类型", 12, lambda r: r.get_kind_display()),
        (
            "载体",
            36,
            lambda r: "、".join(f"{c.label} {c.get_level_display()}" for c in _carriers(r)),
        ),
        ("申请人", 10, lambda r: r.requester.name),
        ("使用人", 10, lambda r: r.beneficiary.name),
        ("审批人", 14, lambda r: "、".join(s.approver.name for s in r.steps.all())),
        ("状态", 10, lambda r: r.get_status_display()),
        ("期限", 12, lambda r: r.due_date),
        ("申请时间", 18, lambda r: r.created_at),
    ),
    mark=marked_by_level(_carriers, code=lambda c: c.label),
    note="（本表密级按所列载体最高密级标注）",
)
