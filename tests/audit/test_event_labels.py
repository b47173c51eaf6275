"""Every audit event type written anywhere in the code base has a Chinese name (issue 9, item 5):
the auditor's list, its exports and the API show `借出`, not `carrier.lend`."""

from __future__ import annotations

import re
from pathlib import Path

import baomi
from baomi.audit.events import EVENT_LABELS, event_label
from baomi.carriers.choices import EventKind

SOURCE = Path(baomi.__file__).parent
# `@action("x.y")`, `record("x.y", …)`, `record_refusal("x.y", …)`, `_audit(viewer, "x.y", …)`,
# `TableExport(event_type="x.y")`: every way an event type reaches the chain.
WRITERS = re.compile(
    r"""(?:@action\(\s*|\brecord(?:_refusal)?\(\s*|\b_?audit\(\s*\w+,\s*|event_type=)"""
    r"""["']([a-z_]+\.[a-z_]+)["']"""
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def event_types_in_code() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        found.update(WRITERS.findall(path.read_text(encoding="utf-8")))
    # carriers.custody writes `carrier.<kind>` for every custody event kind; `record_read` writes
    # `<model>.read` — for the carrier page and API.
    found.update(f"carrier.{kind}" for kind in EventKind.values)
    found.add("carrier.read")
    return found


def test_the_scan_finds_the_event_types_it_should():
    found = event_types_in_code()
    # A guard on the pattern itself: each writer form is represented.
    assert {"carrier.lend", "destruction.export", "personnel.allowance_export"} <= found
    assert {"review.submit", "unit.statistics", "stocktake.report_lost"} <= found
    assert len(found) > 100


def test_every_event_type_in_the_code_base_has_a_chinese_label():
    missing = sorted(t for t in event_types_in_code() if t not in EVENT_LABELS)
    assert missing == [], f"审计事件缺少中文名称：{missing}"
    for code, label in EVENT_LABELS.items():
        assert CJK.search(label), (code, label)


def test_event_label_of_a_known_code():
    assert event_label("carrier.read") == "查阅载体（机密/绝密）"
    assert event_label("destruction.export") == "导出销毁清单"
    assert event_label("carrier.lend") == "载体借出"
