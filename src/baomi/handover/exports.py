"""交接单 as xlsx and PDF, as the list shows them (who, state, signatures — no carrier is named).
Marked with the highest level among the carriers handed over (SEC-5), 内部 at least."""

from __future__ import annotations

from baomi.carriers.exports import carriers_on, marked_by_level
from baomi.lib.exports import TableExport

HANDOVERS = TableExport(
    title="涉密载体交接",
    event_type="handover.export",
    filename="handovers",
    columns=(
        ("交接单", 10, lambda h: f"#{h.pk}"),
        ("移交人", 10, lambda h: h.person.name),
        ("接收人", 10, lambda h: h.receiver.name),
        ("状态", 10, lambda h: h.get_status_display()),
        ("移交人确认", 18, lambda h: h.person_confirmed_at),
        ("接收人确认", 18, lambda h: h.receiver_confirmed_at),
        ("建立时间", 18, lambda h: h.created_at),
    ),
    mark=marked_by_level(carriers_on),
    noun="份",
    note="（本表密级按交接载体最高密级标注）",
)
