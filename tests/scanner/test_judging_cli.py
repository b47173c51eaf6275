"""Issue 9, item 12 through the command: a book title or a chapter called 秘密 is no finding (exit
0); a level word that is not a marking by its place is listed at a lower confidence; a level with
a period anywhere is a marking (exit 1)."""

from __future__ import annotations

import json

from tests.scanner.test_cli import baomi_scan

PROSE = "".join(f"第{i}条 各部门应当做好日常工作。\n" for i in range(1, 12))


def test_r_scan_1_titles_and_chapters_are_not_findings_exit_0(tmp_path):
    (tmp_path / "书评.txt").write_text("《秘密》\n东野圭吾 著\n" + PROSE + "秘密\n" + PROSE)
    (tmp_path / "通讯录.csv").write_text("姓名,电话,类别\n张三,010-1,内部\n李四,010-2,外部\n")
    run = baomi_scan(str(tmp_path), "--json")
    assert run.returncode == 0, run.stdout
    report = json.loads(run.stdout)
    assert report["summary"]["markings"] == 0
    assert report["summary"]["mentions"] == 1
    [entry] = report["files"]
    assert [(f["kind"], f["line"], f["level"]) for f in entry["findings"]] == [
        ("mention", 14, "confidential")
    ]
    table = baomi_scan(str(tmp_path))
    assert table.returncode == 0
    assert "提及秘密（低置信度，不计为密级标志）" in table.stdout
    assert "另有 1 处提及密级" in table.stdout


def test_r_scan_1_a_level_with_a_period_is_a_marking_anywhere_exit_1(tmp_path):
    (tmp_path / "a.txt").write_text(PROSE + "附表\t机密\t5年\n" + PROSE + "定为秘密 10年。\n")
    run = baomi_scan(str(tmp_path), "--json")
    assert run.returncode == 1
    findings = json.loads(run.stdout)["files"][0]["findings"]
    assert [(f["kind"], f["marking"]) for f in findings] == [
        ("marking", "机密★5年"),
        ("marking", "秘密★10年"),
    ]
