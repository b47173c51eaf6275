"""The 检查发现问题及整改台帐 as xlsx and PDF: findings with their rectification. Carriers appear
by number and level only, so the file carries no classified text (marked 内部)."""

from __future__ import annotations

from baomi.lib.exports import TableExport


def _rect(f, attr: str, default=""):
    rect = getattr(f, "rectification", None) if hasattr(f, "rectification") else None
    if rect is None:
        return default
    value = getattr(rect, attr)
    return value() if callable(value) else value


FINDINGS = TableExport(
    title="检查发现问题及整改台帐",
    event_type="finding.export",
    filename="inspection-findings",
    columns=(
        ("被检查单位", 16, lambda f: f.inspection.unit.name),
        ("检查", 18, lambda f: f.inspection.title),
        ("问题描述", 40, lambda f: f.description),
        ("严重程度", 8, lambda f: f.get_severity_display()),
        ("规则", 8, lambda f: f.rule_id),
        ("涉及", 24, lambda f: f.concerns),
        ("整改责任人", 10, lambda f: _rect(f, "owner") and _rect(f, "owner").name),
        ("整改期限", 12, lambda f: _rect(f, "deadline", None)),
        ("整改状态", 10, lambda f: _rect(f, "get_status_display", "未下达")),
    ),
    noun="个问题",
)
