"""Issue 9 items 9–11 (SCAN-1, SCAN-2): what used to pass unread is read or reported, OCR has its
own budget, and the extraction gaps are closed. Each test failed before its fix."""

from __future__ import annotations

import gzip
import io
import lzma
import tarfile

import olefile
import pytest
from PIL import Image

from baomi.scanner import ocr
from baomi.scanner.extractors import office, xlsx
from baomi.scanner.extractors.text import detect, strip_markup
from baomi.scanner.limits import MIB, Limits
from tests.scanner import makefiles as mk
from tests.scanner.conftest import codes, markings
from tests.scanner.heldout.reading.build import _tar, scanned_page

TEXT = "标题\n机密★5年\n".encode()


def test_item9_r_scan_1_tar_members_are_read_as_files_not_raw_bytes(scan_bytes):
    result = scan_bytes("a.tar", _tar({"dir/通知.txt": TEXT}))
    assert [f.path.rsplit("/", 2)[-2:] for f in result.findings] == [["a.tar!dir", "通知.txt"]]
    assert markings(result) == [("", "机密★5年", "secret")]


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.lz4", b"\x04\x22\x4d\x18" + b"\0" * 40, "LZ4"),
        ("a.Z", b"\x1f\x9d\x90" + b"\0" * 40, "compress (.Z)"),
        ("a.cab", b"MSCF\0\0\0\0" + b"\0" * 40, "Cabinet"),
        ("a.iso", b"\0" * 0x8001 + b"CD001" + b"\0" * 40, "ISO 9660"),
        ("a.rar", b"Rar!\x1a\x07\x00" + b"\0" * 40, "RAR"),
        ("photo.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 40, "HEIF"),
    ],
)
def test_item9_r_scan_1_other_containers_are_reported_by_format(scan_bytes, name, data, kind):
    result = scan_bytes(name, data)
    assert codes(result) == ["unsupported"]
    assert kind in result.problems[0].message


def test_item9_r_scan_1_an_image_without_ocr_is_reported_not_passed(scan_bytes):
    result = scan_bytes("扫描.png", scanned_page("绝密★启用前"), limits=Limits(ocr=False))
    assert codes(result) == ["no_ocr"]
    assert "PNG 图像" in result.problems[0].message


def test_item9_r_scan_2_encrypted_docx_with_upper_case_stream_names(scan_bytes):
    data = mk.cfb({"ENCRYPTIONINFO": b"\4\0\4\0", "ENCRYPTEDPACKAGE": b"x"})
    assert codes(scan_bytes("锁.docx", data)) == ["encrypted"]
    assert codes(scan_bytes("锁.doc", mk.word97([("机密", False)], encrypted=True))) == [
        "encrypted"
    ]


needs_ocr = pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime 未安装")


@needs_ocr
def test_item10_r_scan_1_a_scanned_marking_is_read_by_ocr(scan_bytes):
    result = scan_bytes("扫描.jpg", scanned_page("机密★10年", "JPEG"))
    assert markings(result) == [("图像文字", "机密★10年", "secret")]
    assert result.problems == []


@needs_ocr
def test_item10_r_scan_2_ocr_has_its_own_time_budget_per_page(scan_bytes):
    result = scan_bytes(
        "扫描.png", scanned_page("绝密★启用前"), limits=Limits(ocr_page_timeout=0.05)
    )
    assert codes(result) == ["timeout"]
    assert "文字识别超过" in result.problems[0].message


@needs_ocr
def test_item10_r_scan_2_a_pixel_bomb_is_not_decoded(scan_bytes):
    result = scan_bytes("大.png", scanned_page("绝密★启用前"), limits=Limits(ocr_max_pixels=1000))
    assert codes(result) == ["too_large"]


def test_item11_r_scan_1_table_contract_cells_by_tab_rows_by_newline():
    """The contract with the matcher: a row 标题|机密|5年 is "标题\\t机密\\t5年\\n" in xlsx and docx."""
    sheet = (
        '<worksheet><sheetData><row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c>'
        '<c t="inlineStr"><is><t>5年</t></is></c></row></sheetData></worksheet>'
    ).encode()
    used: set[int] = set()
    text = b"".join(xlsx.sheet_text(io.BytesIO(sheet), ["标题".encode(), "机密".encode()], used))
    assert text.decode() == "标题\t机密\t5年\n"
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    row = "<w:tr>" + "".join(cell.format(c) for c in ["标题", "机密", "5年"]) + "</w:tr>"
    xml = f"<w:document><w:body><w:tbl>{row}{row}</w:tbl></w:body></w:document>".encode()
    text = b"".join(office.xml_text(io.BytesIO(xml), "word/document.xml"))
    assert text.decode().splitlines() == ["标题\t机密\t5年\t"] * 2
    cell = "<table:table-cell><text:p>{}</text:p></table:table-cell>"
    row = "<table:table-row>" + "".join(cell.format(c) for c in ["标题", "机密", "5年"])
    xml = f"<office:text><table:table>{row}</table:table-row></table:table></office:text>"
    text = b"".join(office.xml_text(io.BytesIO(xml.encode()), "content.xml"))
    assert text.decode() == "标题\t机密\t5年\t\n"
    cell = (
        "<a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>{}</a:t></a:r></a:p></a:txBody><a:tcPr/></a:tc>"
    )
    row = "<a:tr>" + "".join(cell.format(c) for c in ["标题", "机密", "5年"]) + "</a:tr>"
    xml = f"<p:sld><a:tbl>{row}{row}</a:tbl></p:sld>".encode()
    text = b"".join(office.xml_text(io.BytesIO(xml), "ppt/slides/slide1.xml"))
    assert text.decode().splitlines() == ["标题\t机密\t5年\t"] * 2
    html = "<table><tr><td>标题</td><td>机密</td><td>5年</td></tr></table>".encode()
    assert strip_markup(html).decode().strip("\r") == "标题\t机密\t5年\t"


def test_item9_r_scan_1_pictures_in_a_document_are_reported_without_ocr(scan_bytes):
    page = scanned_page("绝密★启用前")
    data = mk.zip_of(
        {
            "[Content_Types].xml": mk.CT,
            "word/document.xml": "<w:document><w:body><w:p><w:r><w:t>见图</w:t></w:r></w:p>"
            "</w:body></w:document>",
            "word/media/image1.png": page,
            "word/media/logo.png": page[:1000],  # an icon: too small to be a page
        }
    )
    result = scan_bytes("贴图.docx", data, limits=Limits(ocr=False))
    assert codes(result) == ["no_ocr"]
    assert "文档内 1 张图片（image1.png）未读取" in result.problems[0].message


def test_item11_r_scan_1_a_marking_across_the_cut_of_a_long_line(scan_bytes):
    line = "文" * ((8 << 20) - 2)
    result = scan_bytes("长.txt", (line + "机密★5年" + line).encode())
    assert markings(result) == [("", "机密★5年", "secret")]


@pytest.mark.parametrize(
    ("name", "compress"),
    [("bomb.txt.gz", gzip.compress), ("bomb.txt.xz", lzma.compress)],
)
def test_item11_r_scan_2_compressed_files_have_the_zip_bomb_limits(scan_bytes, name, compress):
    result = scan_bytes(name, compress(b"\0" * (64 * MIB)))
    assert codes(result) == ["zip_bomb"]
    small = Limits(max_expanded=MIB, max_ratio=10**6)
    assert codes(scan_bytes(name, compress(b"\0" * (4 * MIB)), limits=small)) == ["too_large"]


def test_item11_r_scan_2_a_tar_bomb_stops_at_the_budget_with_one_problem(scan_bytes):
    members = {f"m{n}.txt": b"x" for n in range(50)}
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    result = scan_bytes("many.tar.gz", out.getvalue(), limits=Limits(max_members=10))
    assert codes(result) == ["too_many_members"]


def test_item11_r_scan_2_a_7z_bomb_is_refused_before_extracting(scan_bytes):
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        archive.writestr(b"\0" * (64 * MIB), "zeros.bin")
    assert codes(scan_bytes("bomb.7z", out.getvalue())) == ["zip_bomb"]


@needs_ocr
def test_item10_r_scan_1_scanned_pdf_pages_are_read_up_to_the_cap_then_reported_once(scan_bytes):
    pages = [Image.open(io.BytesIO(scanned_page(m))).convert("RGB") for m in ["秘密★1年"] * 3]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    result = scan_bytes("扫描.pdf", out.getvalue(), limits=Limits(ocr_max_pages=1))
    assert markings(result) == [("第1页", "秘密★1年", "confidential")]
    assert codes(result) == ["no_ocr"]
    assert "识别上限" in result.problems[0].message
    unread = scan_bytes("扫描.pdf", out.getvalue(), limits=Limits(ocr=False))
    assert codes(unread) == ["no_ocr"]  # one problem for the file, naming its pages
    assert "共 3 页是图像（第 1、2、3 页）" in unread.problems[0].message


def test_item11_r_scan_1_big5_text_is_read_as_simplified_for_terms_and_markings(scan_bytes):
    result = scan_bytes("繁.txt", "絕密★啟用前\n涉密人員名單\n".encode("big5"))
    assert markings(result) == [("", "绝密★启用前", "top_secret")]
    assert [f.text for f in result.findings if f.kind == "term"] == ["涉密人员名单"]


def test_item11_r_scan_1_windows_1252_is_not_taken_for_utf16():
    western = "Report on the Zürich office, regional planning and the annual review. " * 40
    assert detect(western.encode("cp1252")) == ("cp1252", 0)
    assert detect("标题，正文。\n".encode("utf-16-le") * 20) == ("utf-16-le", 0)
    assert detect("關於機密文件的通知\n".encode("big5")) == ("big5hkscs", 0)
    assert detect("关于机密文件的通知\n".encode("gbk")) == ("gb18030", 0)


def test_item11_r_scan_1_legacy_word_8_bit_pieces_are_not_fake_chinese(scan_bytes):
    data = mk.word97([("Report on budget ", True), ("机密★5年", False), (" Zurich", True)])
    result = scan_bytes("混合.doc", data)
    assert markings(result) == [("正文", "机密★5年", "secret")]
    assert result.findings[0].before == "Report on budget "
    assert result.findings[0].after == " Zurich"


def test_item9_r_scan_2_a_broken_piece_table_falls_back_to_the_raw_text(scan_bytes):
    data = bytearray(mk.word97([("机密★5年", False)]))
    fib = data.find(bytes.fromhex("ecA5c100"))
    data[fib + 0x1A2 : fib + 0x1AA] = bytes.fromhex("ffffff7fffffff7f")  # fcClx far beyond
    result = scan_bytes("坏.doc", bytes(data))
    assert markings(result) == [("原始文本", "机密★5年", "secret")]
    assert result.problems == []


def test_item11_r_scan_1_xls_rows_by_tab_sheet_names_headers_and_footers():
    from baomi.scanner.extractors import xls
    from tests.scanner.heldout.reading.build import _xls

    data = _xls(
        ["标题", "机密", "5年"], sheet="台账", header='&C&"宋体"秘密★1年', footer="&R第&P页"
    )
    ole = olefile.OleFileIO(io.BytesIO(data))
    workbook = ole.openstream("Workbook").read()
    lines = b"".join(xls.text(workbook)).decode().splitlines()
    assert lines == ["台账", "标题\t机密\t5年", "秘密★1年", "第 页"]
