"""SCAN-1: markings (CL-4 variants) and the unit's terms are found in every format the scanner
reads, with the place in the file and the parsed level."""

from __future__ import annotations

import zipfile

from tests.scanner import makefiles as mk
from tests.scanner.conftest import codes, markings, terms_found


def test_r_scan_1_plain_utf8_text_markings_in_all_their_forms(scan_bytes):
    text = (
        "关于做好保密工作要点的通知\n"
        "机密★5年\n"
        "绝密★启用前\n"
        "秘 密\n"
        "ＭＭ 机密＊十年 全角星号\n"
        "【秘密☆6个月】\n"
        "密级：内部\n"
        "这是秘密，也是内部管理的事。\n"  # prose: not markings
    )
    result = scan_bytes("通知.txt", text.encode())
    assert markings(result) == [
        ("", "机密★5年", "secret"),
        ("", "绝密★启用前", "top_secret"),
        ("", "秘密", "confidential"),
        ("", "机密★10年", "secret"),
        ("", "秘密★6个月", "confidential"),
        ("", "内部", "internal"),
    ]
    assert terms_found(result) == [("", "保密工作要点")]
    lines = [f.line for f in result.findings]
    assert lines == [1, 2, 3, 4, 5, 6, 7]
    assert result.findings[0].after == "的通知"
    assert result.problems == []


def test_r_scan_1_gb18030_and_utf16_text_are_detected(scan_bytes):
    text = "标题\n秘密★10年\n涉密人员名单如下\n"
    for name, data in [
        ("gbk.txt", text.encode("gb18030")),
        ("u16.txt", text.encode("utf-16")),
        ("u16le-nobom.txt", text.encode("utf-16-le")),
        ("bom8.txt", b"\xef\xbb\xbf" + text.encode()),
    ]:
        result = scan_bytes(name, data)
        assert markings(result) == [("", "秘密★10年", "confidential")], name
        assert terms_found(result) == [("", "涉密人员名单")], name
        assert result.findings[0].line == 2, name


def test_r_scan_1_markup_json_csv_markdown(scan_bytes):
    html = "<html><body><p>机<b>密</b>★5年</p><p>保密&#24037;作要点</p></body></html>"
    assert markings(scan_bytes("a.html", html.encode())) == [("", "机密★5年", "secret")]
    assert terms_found(scan_bytes("a.html", html.encode())) == [("", "保密工作要点")]
    json_text = '{"title": "\\u673a\\u5bc6\\u2605\\u0035\\u5e74", "body": "测绘成果"}'
    result = scan_bytes("a.json", json_text.encode())
    assert markings(result) == [("", "机密★5年", "secret")]
    assert terms_found(result) == [("", "测绘成果")]
    csv_text = "编号,标题,密级\n1,测绘成果,机密★20年\n"
    result = scan_bytes("a.csv", csv_text.encode("gb18030"))
    assert markings(result) == [("", "机密★20年", "secret")]
    md = "# 标题\n\n**绝密★长期**\n"
    assert markings(scan_bytes("a.md", md.encode())) == [("", "绝密★长期", "top_secret")]


def test_r_scan_1_docx_marking_split_across_runs_in_body_header_textbox(scan_bytes):
    data = mk.docx(
        [mk.runs("机", "密", "★", "5", "年"), mk.para("正文：保密工作要点")],
        header="秘密★10年",
        footer="第 1 页",
        textbox="绝密★启用前",
        comment="请核对涉密人员名单",
        deleted="机密★20年",
        title="测绘成果汇编",
    )
    result = scan_bytes("报告.docx", data)
    found = sorted(markings(result))
    assert found == [
        ("word/document.xml", "机密★20年", "secret"),  # tracked deletion
        ("word/document.xml", "机密★5年", "secret"),
        ("word/document.xml", "绝密★启用前", "top_secret"),  # text box, once (not its VML copy)
        ("word/header1.xml", "秘密★10年", "confidential"),
    ]
    assert sorted(terms_found(result)) == [
        ("docProps/core.xml", "测绘成果"),
        ("word/comments.xml", "涉密人员名单"),
        ("word/document.xml", "保密工作要点"),
    ]
    assert result.problems == []


def test_r_scan_1_xlsx_and_pptx(scan_bytes):
    result = scan_bytes("表.xlsx", mk.xlsx(["机密★5年", "涉密人员名单"], inline="测绘成果"))
    # A shared string is read in the cell that shows it; one no cell shows, in its own part.
    assert markings(result) == [("xl/worksheets/sheet1.xml", "机密★5年", "secret")]
    assert terms_found(result) == [
        ("xl/worksheets/sheet1.xml", "测绘成果"),
        ("xl/sharedStrings.xml", "涉密人员名单"),
    ]
    result = scan_bytes(
        "汇报.pptx", mk.pptx([["第一页"], ["秘密★1年", "保密工作要点"]], notes="绝密")
    )
    assert sorted(markings(result)) == [
        ("ppt/notesSlides/notesSlide1.xml", "绝密", "top_secret"),
        ("ppt/slides/slide2.xml", "秘密★1年", "confidential"),
    ]
    assert terms_found(result) == [("ppt/slides/slide2.xml", "保密工作要点")]


def test_r_scan_1_opendocument_text_spreadsheet_presentation(scan_bytes):
    for kind, ext in [("text", "odt"), ("spreadsheet", "ods"), ("presentation", "odp")]:
        data = mk.odf(["机<text:span>密★</text:span>5年", "测绘成果"], kind, header="内部")
        result = scan_bytes(f"a.{ext}", data)
        assert sorted(markings(result)) == [
            ("content.xml", "机密★5年", "secret"),
            ("styles.xml", "内部", "internal"),
        ], ext
        assert terms_found(result) == [("content.xml", "测绘成果")]


def test_r_scan_1_pdf_text_layer_page_by_page(scan_bytes):
    data = mk.pdf([["第一页", "保密工作要点"], ["机密★5年", "正文"]])
    result = scan_bytes("a.pdf", data)
    assert markings(result) == [("第2页", "机密★5年", "secret")]
    assert terms_found(result) == [("第1页", "保密工作要点")]
    assert result.findings[0].line == 2


def test_r_scan_1_eml_with_docx_attachment(scan_bytes):
    attachment = mk.docx([mk.para("绝密★启用前")])
    data = mk.eml("关于测绘成果的函", "正文：秘密★10年\n", {"附件一.docx": attachment})
    result = scan_bytes("信.eml", data)
    paths = {(f.path[f.path.index("信.eml") :], f.part, f.text) for f in result.findings}
    assert ("信.eml", "邮件头", "测绘成果") in paths
    assert ("信.eml!附件一.docx", "word/document.xml", "绝密★启用前") in paths
    assert any(part.startswith("正文") and text == "秘密★10年" for _, part, text in paths)
    assert result.problems == []


def test_r_scan_1_zip_inside_zip_reports_the_member_path(scan_bytes):
    inner = mk.zip_of({"说明.txt": "机密★5年\n", "表.xlsx": mk.xlsx(["测绘成果"])})
    outer = mk.zip_of({"docs/inner.zip": inner, "readme.txt": "无"})
    result = scan_bytes("outer.zip", outer)
    where = {(f.path[f.path.index("outer.zip") :], f.text) for f in result.findings}
    assert where == {
        ("outer.zip!docs/inner.zip!说明.txt", "机密★5年"),
        ("outer.zip!docs/inner.zip!表.xlsx", "测绘成果"),
    }
    assert result.problems == []


def test_r_scan_1_legacy_doc_by_its_piece_table(scan_bytes):
    result = scan_bytes("旧.doc", mk.legacy_doc("秘密★10年\r测绘成果报告"))
    assert markings(result) == [("正文", "秘密★10年", "confidential")]
    assert terms_found(result) == [("正文", "测绘成果")]
    wps = scan_bytes("旧.wps", mk.legacy_doc("机密★5年"))
    assert markings(wps) == [("正文", "机密★5年", "secret")]
    raw = scan_bytes("旧.xls", mk.cfb({"Workbook": "机密★5年".encode("utf-16-le")}))
    assert markings(raw) == [("原始文本", "机密★5年", "secret")]


def test_r_scan_1_file_names_are_scanned_too(scan_bytes):
    result = scan_bytes("机密★5年 测绘成果.txt", b"nothing here\n")
    assert markings(result) == [("文件名", "机密★5年", "secret")]
    assert terms_found(result) == [("文件名", "测绘成果")]
    inner = scan_bytes("a.zip", mk.zip_of({"绝密★启用前.txt": "x"}))
    assert markings(inner) == [("文件名", "绝密★启用前", "top_secret")]


def test_r_scan_1_a_large_file_is_streamed_in_chunks(scan_bytes, monkeypatch):
    from baomi.scanner.extractors import text as text_module

    monkeypatch.setattr(text_module, "BLOCK", 1000)
    lines = ["普通的一行文字内容"] * 500 + ["机密★5年"] + ["普通的一行文字内容"] * 500
    result = scan_bytes("big.txt", ("\n".join(lines) + "\n测绘成果").encode())
    assert markings(result) == [("", "机密★5年", "secret")]
    assert [f.line for f in result.findings] == [501, 1002]


def test_r_scan_1_office_xml_parts_are_streamed_in_chunks(scan_bytes, monkeypatch):
    from baomi.scanner.extractors import office

    monkeypatch.setattr(office, "BLOCK", 500)
    body = [mk.para("普通段落") for _ in range(300)] + [mk.runs("绝", "密★启", "用前")]
    result = scan_bytes("long.docx", mk.docx(body, textbox="秘密★1年"))
    assert sorted(markings(result)) == [
        ("word/document.xml", "秘密★1年", "confidential"),
        ("word/document.xml", "绝密★启用前", "top_secret"),
    ]
    assert [f.line for f in result.findings if f.marking == "绝密★启用前"] == [301]


def test_r_scan_1_hits_beyond_max_hits_are_counted(scan_bytes):
    from baomi.scanner.limits import Limits

    data = ("测绘成果\n" * 50).encode()
    result = scan_bytes("many.txt", data, limits=Limits(max_hits=10))
    assert len(result.findings) == 10
    assert result.term_counts["测绘成果"] == 50
    assert result.omitted == 40


def test_r_scan_1_stored_zip_members_and_codes(scan_bytes):
    result = scan_bytes("s.zip", mk.zip_of({"a.txt": "测绘成果"}, zipfile.ZIP_STORED))
    assert terms_found(result) == [("", "测绘成果")]
    assert codes(result) == []
