"""清查 (CR-14) as xlsx and PDF, as the list shows them: scopes, states and the frozen figures.
No carrier is named, so the file is marked 内部 like the 涉密人员登记表 (SEC-5)."""

from __future__ import annotations

from baomi.lib.exports import TableExport


def _result(s) -> str:
    figures = s.summary
    if not figures:
        return ""
    return (
        f"应有 {figures['expected']}，相符 {figures['found']}，缺失 {figures['missing']}，"
        f"账外 {figures['unexpected']}，位置不符 {figures['wrong_place']}"
    )


STOCKTAKES = TableExport(
    title="涉密载体清查",
    event_type="stocktake.export",
    filename="stocktakes",
    columns=(
        ("编号", 12, lambda s: f"清查 #{s.pk}"),
        ("范围", 18, lambda s: s.scope_text),
        ("状态", 8, lambda s: s.get_state_display()),
        ("发起人", 10, lambda s: s.started_by.name),
        ("开始", 18, lambda s: s.started_at),
        ("结束", 18, lambda s: s.closed_at),
        ("结果", 50, _result),
    ),
    noun="次",
)
