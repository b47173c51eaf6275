"""销毁清单 as xlsx and PDF, as the list shows them (numbers, states, counts — no carrier is named).
Marked with the highest level among the carriers on the lists (SEC-5), 内部 at least."""

from __future__ import annotations

from baomi.carriers.exports import carriers_on, marked_by_level
from baomi.lib.exports import TableExport


def _approval(d) -> str:
    return f"#{d.request.pk} {d.request.get_status_display()}" if d.request_id else ""


DESTRUCTION_LISTS = TableExport(
    title="销毁清单",
    event_type="destruction.export",
    filename="destruction-lists",
    columns=(
        ("清单编号", 18, lambda d: d.number),
        ("状态", 10, lambda d: d.get_status_display()),
        ("登记人", 10, lambda d: d.created_by.name),
        ("登记时间", 18, lambda d: d.created_at),
        ("件数", 8, lambda d: len(carriers_on(d))),
        ("审批单", 16, _approval),
    ),
    mark=marked_by_level(carriers_on),
    noun="份",
    note="（本表密级按清单所列载体最高密级标注）",
)
