"""The audit trail as xlsx and PDF for the auditor (SEC-4). The trail holds no classified text,
so the file is marked 内部 like the 涉密人员登记表 (SEC-5); the export is itself audited."""

from __future__ import annotations

from django.utils import timezone

from baomi.lib.exports import TableExport

TRAIL = TableExport(
    title="审计记录",
    event_type="audit.export",
    filename="audit-trail",
    columns=(
        ("序号", 8, lambda e: e.seq),
        # To the second, as the page shows it: the order of events is what an auditor reads.
        ("时间", 20, lambda e: f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}"),
        ("操作人", 12, lambda e: e.actor_name),
        ("事件", 24, lambda e: e.event_label),
        ("结果", 8, lambda e: e.get_outcome_display()),
        ("规则", 10, lambda e: e.rule_id),
        ("对象", 28, lambda e: e.object_text),
        ("说明", 36, lambda e: e.message),
        ("关联号", 22, lambda e: e.correlation_id),
    ),
)
