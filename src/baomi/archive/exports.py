"""档案卷宗 as xlsx and PDF, as the list shows them. A dossier's title may itself be classified:
the file is marked with the highest dossier level on it (SEC-5, CL-6), and the audit row names the
机密/绝密 dossiers by number only (SEC-4)."""

from __future__ import annotations

from baomi.carriers.exports import marked_by_level
from baomi.lib.exports import TableExport

DOSSIERS = TableExport(
    title="档案卷宗",
    event_type="dossier.export",
    filename="dossiers",
    columns=(
        ("卷宗号", 16, lambda d: d.number),
        ("案卷题名", 40, lambda d: d.title),
        ("年度", 8, lambda d: d.year),
        ("密级标志", 16, lambda d: d.marking or "—"),
        ("存放位置", 18, lambda d: d.place.name),
        ("领导班子会议记录", 10, lambda d: "是" if d.leadership_meeting else ""),
    ),
    mark=marked_by_level(lambda d: [d], code=lambda d: d.number),
    noun="卷",
    note="（本表密级按所列卷宗最高密级标注）",
)
