"""Held-out judging set (issue 9, item 12; SCAN-1): every marking found, no false alarm.

The files are in judging/files/ (text, CSV, HTML, Markdown, GB18030, UTF-16) and built here
(docx, xlsx, pptx, PDF, e-mail, zip, a file name); judging/expected.tsv says, for each, the
markings it must yield and that nothing else may be reported as one. Book and film titles, 内部 in
sentences and in contacts lists, prose that names the levels and chapters called 秘密 are false
alarms; a level with a period anywhere, and a bare level at the top of a document, page header or
first page, after 密级：, or in a column headed 密级, is a marking. Run with both matching
engines (Hyperscan and the Aho-Corasick fallback), which must agree.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from baomi.scanner import matcher
from baomi.scanner.runner import scan
from tests.scanner import makefiles as mk

HERE = Path(__file__).parent / "judging"
FILLER = [mk.para(f"第{i}条 各部门应当按照规定做好日常工作，落实责任。") for i in range(1, 12)]


def expected() -> dict[str, set[str]]:
    table = {}
    for line in (HERE / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("file\t"):
            continue
        name, markings = line.split("\t")
        table[name] = set() if markings == "-" else set(markings.split("; "))
    return table


def generated() -> dict[str, bytes]:
    return {
        "fa_book_titles.docx": mk.docx(
            [mk.para("推荐阅读《秘密》和《机密》两本书"), mk.para("电影《绝密》将于明日上映")]
        ),
        "fa_internal_prose.docx": mk.docx(
            [mk.para("会议纪要"), mk.para("本次会议为（内部）交流"), mk.para("这是内部消息")]
        ),
        "fa_contacts.xlsx": mk.xlsx(["姓名", "类别", "张三", "内部", "李四", "外部"]),
        "fa_later_page.pdf": mk.pdf([["第一页正文", "更多内容"], ["秘密", "第二页正文"]]),
        "fa_later_slide.pptx": mk.pptx([["年度工作汇报"], ["内部", "第二张"]]),
        "fa_footer.docx": mk.docx([mk.para("正文")], footer="内部"),
        "t_header.docx": mk.docx([mk.para("关于某事的通知"), *FILLER], header="秘密"),
        "t_first_paragraph.docx": mk.docx([mk.para("机密"), mk.para("关于某事的通知"), *FILLER]),
        "t_body_label.docx": mk.docx([*FILLER, mk.runs("密级", "：", "秘密")]),
        "t_first_page.pdf": mk.pdf([["绝密", "关于某事的请示"], ["正文"], ["附件：机密★5年"]]),
        "t_first_slide.pptx": mk.pptx([["内部", "年度工作汇报"], ["第二张"]]),
        "t_body_label.eml": mk.eml("工作联系", "各位：\n附件请查收。\n密级：机密\n"),
        "t_members.zip": mk.zip_of(
            {
                "a/通知.txt": "秘密\n关于开展检查的通知\n",
                "b/表.txt": "说明\n" * 8 + "标题\t机密\t5年\n",
                "c/书目.txt": "推荐书目\n《绝密》\n",
            }
        ),
        "t_inline.xlsx": mk.xlsx(["标题"], inline="机密★5年"),
        "机密★5年 关于检查的报告.txt": "正文\n".encode(),
    }


@pytest.fixture(params=["hyperscan", "ahocorasick"])
def engine(request, monkeypatch):
    if request.param == "ahocorasick":
        monkeypatch.setattr(matcher, "hyperscan", None)
    elif matcher.hyperscan is None:
        pytest.skip("Hyperscan is not installed here")
    return request.param


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "set"
    shutil.copytree(HERE / "files", root)
    (root / "gen").mkdir()
    for name, data in generated().items():
        (root / "gen" / name).write_bytes(data)
    return root


def test_r_scan_1_heldout_judging_set_every_marking_found_no_false_alarm(tree, engine):
    table = expected()
    assert len(table) >= 40
    assert Matcher_engine() == engine
    report = scan([str(tree)], ["测绘成果"], jobs=1)
    found: dict[str, set[str]] = {}
    for result in report.results:
        name = str(Path(result.path).relative_to(tree))
        found[name] = {f.marking for f in result.findings if f.kind == "marking"}
        assert sum(result.level_counts.values()) >= len(found[name]), name
        assert result.problems == [], (name, result.problems)
    assert set(found) == set(table), "every file of the set has a line in expected.tsv"
    wrong = {name: (found[name], table[name]) for name in table if found[name] != table[name]}
    assert wrong == {}, "(found, expected) per file"


def Matcher_engine() -> str:
    return matcher.Matcher(["测绘成果"]).engine


def test_r_scan_1_false_alarms_alone_exit_0_and_mentions_are_not_findings(tree, engine):
    only_false = tree.parent / "false"
    only_false.mkdir()
    for path in tree.glob("fa_*"):
        shutil.copy(path, only_false)
    report = scan([str(only_false)], [], jobs=1)
    assert report.exit_code() == 0
    summary = report.summary()
    assert summary["markings"] == 0 and summary["files_with_findings"] == 0
    # a chapter called 秘密 and one called 【机密】 are named, at a lower confidence
    assert summary["mentions"] >= 2
    mentions = {Path(f.path).name for r in report.results for f in r.findings}
    assert {"fa_chapter.txt", "fa_chapter_bracket.txt"} <= mentions
    assert all(f.kind == "mention" for r in report.results for f in r.findings)
