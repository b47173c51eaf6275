"""失泄密事件登记表 as xlsx and PDF, with the level banner (SEC-5: the highest incident level on
the file). Carriers appear by number only."""

from __future__ import annotations

from django.utils import timezone

from baomi.carriers.exports import marked_by_level
from baomi.lib.exports import TableExport


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


INCIDENTS = TableExport(
    title="失泄密事件登记表",
    event_type="incident.export",
    filename="incidents",
    columns=(
        ("编号", 8, lambda i: f"#{i.pk}"),
        ("类型", 14, lambda i: i.get_kind_display()),
        ("密级", 8, lambda i: i.get_level_display()),
        ("事件概要", 36, lambda i: i.summary),
        ("发现时间", 18, lambda i: _local(i.discovered_at)),
        ("发现地点", 18, lambda i: i.discovered_where),
        ("发现人", 10, lambda i: i.discovered_by.name),
        ("涉及载体", 24, lambda i: "、".join(c.label for c in i.carriers.all())),
        ("上报保密行政管理部门", 18, lambda i: _local(i.authority_reported_at) or "未上报"),
        ("状态", 10, lambda i: i.get_state_display()),
        ("原因分析", 30, lambda i: i.cause),
        ("责任认定及处理", 30, lambda i: i.responsibility),
    ),
    mark=marked_by_level(lambda i: [i]),
    noun="起",
)
