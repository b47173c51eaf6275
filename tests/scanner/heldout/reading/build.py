"""A held-out-style set for what the scanner reads (issue 9, items 9–11): each file carries one
marking, or is one the scanner cannot read and must say why. Files are built at test time from
real formats — real tools (tar, cpio, zip, gzip, bzip2, xz, zstd, lz4, ar, 7z, genisoimage, gcab)
where installed, Python's own writers otherwise — and the table says what must be found:
("marking", level) or ("problem", code)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import shutil
import struct
import subprocess
import tarfile
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.scanner import makefiles as mk

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
TEXT = "关于加强保密管理的通知\n机密★5年\n正文内容。\n"
S, C, T = "secret", "confidential", "top_secret"


def scanned_page(marking: str, fmt: str = "PNG") -> bytes:
    image = Image.new("L", (1240, 600), 240)
    draw = ImageDraw.Draw(image)
    draw.text((150, 120), marking, font=ImageFont.truetype(FONT, 44), fill=20)
    draw.text((150, 260), "关于加强保密管理的通知", font=ImageFont.truetype(FONT, 40), fill=20)
    image = image.rotate(1.2, fillcolor=240)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def image_pdf(marking: str) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(scanned_page(marking))).convert("RGB").save(out, "PDF", resolution=150)
    return out.getvalue()


def _tool(tmp: Path, name: str, command: list[str], files: dict[str, bytes]) -> bytes | None:
    if not shutil.which(command[0]):
        return None
    work = tmp / f"work-{name}"
    work.mkdir()
    for member, data in files.items():
        (work / member).write_bytes(data)
    subprocess.run(command, cwd=work, check=True, capture_output=True)
    return (work / name).read_bytes()


def _stdin_tool(command: list[str], data: bytes) -> bytes | None:
    if not shutil.which(command[0]):
        return None
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout


def _tar(files: dict[str, bytes], mode: str = "w", encoding: str = "utf-8") -> bytes:
    out = io.BytesIO()
    with tarfile.open(
        fileobj=out, mode=mode, encoding=encoding, format=tarfile.GNU_FORMAT
    ) as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _gbk_zip(name: str, data: bytes) -> bytes:
    """A zip whose member name is GBK with the UTF-8 flag unset, as Chinese Windows writes it."""
    raw = name.encode("gbk")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("X" * len(raw), data)  # an ASCII name: no UTF-8 flag is set
    return out.getvalue().replace(b"X" * len(raw), raw)


def _xlsx(sheet_xml: str, shared: list[str], sheet_name: str = "表1") -> bytes:
    sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
    return mk.zip_of(
        {
            "[Content_Types].xml": mk.CT,
            "xl/workbook.xml": f'<workbook><sheets><sheet name="{sheet_name}" sheetId="1"/>'
            "</sheets></workbook>",
            "xl/sharedStrings.xml": f"<sst>{sst}</sst>",
            "xl/worksheets/sheet1.xml": f"<worksheet>{sheet_xml}</worksheet>",
        }
    )


def _row(*indexes: int) -> str:
    cells = "".join(f'<c r="{chr(65 + n)}1" t="s"><v>{i}</v></c>' for n, i in enumerate(indexes))
    return f'<sheetData><row r="1">{cells}</row></sheetData>'


def _xls(cells: list[str], sheet: str = "表1", header: str = "", footer: str = "") -> bytes:
    """A real Excel 97–2003 workbook written by xlwt. Its header and footer writer is ASCII-only
    (Python 2 code), so they are written as same-length placeholders and then made UTF-16."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    worksheet = book.add_sheet(sheet)
    for column, value in enumerate(cells):
        worksheet.write(0, column, value)
    worksheet.header_str = b"H" * (2 * len(header))
    worksheet.footer_str = b"F" * (2 * len(footer))
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    for kind, mark, value in ((0x14, b"H", header), (0x15, b"F", footer)):
        if value:
            size, count = 3 + 2 * len(value), len(value)
            placeholder = struct.pack("<HHHB", kind, size, 2 * count, 0) + mark * (2 * count)
            real = struct.pack("<HHHB", kind, size, count, 1) + value.encode("utf-16-le")
            data = data.replace(placeholder, real)
    return data


def _docx_body(body: str) -> bytes:
    return mk.zip_of(
        {
            "[Content_Types].xml": mk.CT,
            "word/document.xml": f'<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>',
        }
    )


def _rtf_hex(text: str) -> bytes:
    escaped = "".join(f"\\'{b:02x}" for b in text.encode("gbk"))
    return ("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0 SimSun;}}\\f0 " + escaped + "\\par}").encode()


def _rtf_unicode(text: str) -> bytes:
    escaped = "".join(f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)
    return ("{\\rtf1\\ansi\\uc1{\\fonttbl{\\f0 Arial;}}\\f0 " + escaped + "\\par}").encode()


def build(tmp: Path) -> dict[str, tuple[bytes, tuple[str, str]]]:
    """name → (file bytes, expectation). Files a missing tool would make are left out."""
    text = TEXT.encode()
    marked = {"通知.txt": text}
    files: dict[str, tuple[bytes | None, tuple[str, str]]] = {
        # item 9: every file read or reported
        "扫描件.png": (scanned_page("绝密★启用前"), ("marking", T)),
        "扫描件.jpg": (scanned_page("机密★10年", "JPEG"), ("marking", S)),
        "扫描件.tif": (scanned_page("秘密★6个月", "TIFF"), ("marking", C)),
        "扫描件.pdf": (image_pdf("机密★长期"), ("marking", S)),
        "加密.docx": (
            mk.cfb({"ENCRYPTIONINFO": b"\4\0\4\0", "ENCRYPTEDPACKAGE": b"x"}),
            ("problem", "encrypted"),
        ),
        "加密.doc": (mk.word97([("机密★5年", False)], encrypted=True), ("problem", "encrypted")),
        "加密.xls": (
            mk.cfb(
                {
                    "Workbook": bytes.fromhex("0908100000060500")
                    + b"\0" * 12
                    + bytes.fromhex("2f000600010001000100")
                }
            ),
            ("problem", "encrypted"),
        ),
        "加密.ppt": (
            mk.cfb({"PowerPoint Document": b"\0" * 64, "EncryptedSummary": b"\0" * 64}),
            ("problem", "encrypted"),
        ),
        "通知.tar": (_tar(marked), ("marking", S)),
        "通知.txt.gz": (gzip.compress(text), ("marking", S)),
        "通知.txt.bz2": (bz2.compress(text), ("marking", S)),
        "通知.txt.xz": (lzma.compress(text), ("marking", S)),
        "通知.tar.gz": (_tar(marked, "w:gz"), ("marking", S)),
        "通知.tar.bz2": (_tar(marked, "w:bz2"), ("marking", S)),
        "通知.tar.xz": (_tar(marked, "w:xz"), ("marking", S)),
        "通知-gnu.tar": (
            _tool(tmp, "a.tar", ["tar", "cf", "a.tar", "通知.txt"], marked),
            ("marking", S),
        ),
        "通知.cpio": (
            _tool(
                tmp,
                "a.cpio",
                ["sh", "-c", "echo 通知.txt | cpio -o -H newc --quiet > a.cpio"],
                marked,
            )
            if shutil.which("cpio")
            else None,
            ("marking", S),
        ),
        "通知-odc.cpio": (
            _tool(
                tmp,
                "b.cpio",
                ["sh", "-c", "echo 通知.txt | cpio -o -H odc --quiet > b.cpio"],
                marked,
            )
            if shutil.which("cpio")
            else None,
            ("marking", S),
        ),
        "通知.a": (_tool(tmp, "a.a", ["ar", "rc", "a.a", "通知.txt"], marked), ("marking", S)),
        "通知.txt.zst": (_stdin_tool(["zstd", "-q", "-c"], text), ("marking", S)),
        "通知.txt.lz4": (_stdin_tool(["lz4", "-q", "-c"], text), ("problem", "unsupported")),
        "通知.txt.Z": (_stdin_tool(["compress", "-c", "-f"], text), ("problem", "unsupported")),
        "通知.7z-tool.7z": (
            _tool(tmp, "a.7z", ["7z", "a", "-bd", "a.7z", "通知.txt"], marked),
            ("marking", S),
        ),
        "通知.iso": (
            _tool(tmp, "a.iso", ["genisoimage", "-quiet", "-o", "a.iso", "通知.txt"], marked),
            ("problem", "unsupported"),
        ),
        "通知.cab": (
            _tool(tmp, "a.cab", ["gcab", "-c", "a.cab", "通知.txt"], marked),
            ("problem", "unsupported"),
        ),
        "假装.rar": (b"Rar!\x1a\x07\x01\x00" + b"\0" * 64, ("problem", "unsupported")),
        # item 11: extraction gaps
        "页眉.xlsx": (
            _xlsx(
                _row(0)
                + '<headerFooter><oddHeader>&amp;C&amp;"宋体,加粗"机密★5年</oddHeader></headerFooter>',
                ["台账"],
            ),
            ("marking", S),
        ),
        "页脚.xlsx": (
            _xlsx(
                _row(0)
                + "<headerFooter><oddFooter>&amp;L秘密★10年&amp;R第&amp;P页</oddFooter></headerFooter>",
                ["台账"],
            ),
            ("marking", C),
        ),
        "工作表名.xlsx": (_xlsx(_row(0), ["台账"], sheet_name="绝密★启用前"), ("marking", T)),
        "台账行.xlsx": (_xlsx(_row(0, 1), ["关于测绘的报告", "机密★5年"]), ("marking", S)),
        "符号星.docx": (
            _docx_body(
                '<w:p><w:r><w:t>机密</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0AB"/></w:r><w:r><w:t>5年</w:t></w:r></w:p>'
            ),
            ("marking", S),
        ),
        "表格.docx": (
            _docx_body(
                "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>标题</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>机密★</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>秘密★20年</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            ),
            ("marking", C),
        ),
        "十六进制.rtf": (_rtf_hex("秘密★10年"), ("marking", C)),
        "统一码.rtf": (_rtf_unicode("绝密★启用前"), ("marking", T)),
        "GBK名.zip": (_gbk_zip("机密★5年.txt", b"nothing\n"), ("marking", S)),
        "繁体-big5.txt": ("機密★5年\n關於加強保密管理的通知\n".encode("big5"), ("marking", S)),
        "繁体-utf8.txt": ("標題\n絕密★啟用前\n".encode(), ("marking", T)),
        "繁体-祕密.txt": ("祕密★10年\n".encode(), ("marking", C)),
        "邮件.txt": (
            mk.eml("通知", "见附件", {"附件.txt": "秘密★10年\n".encode()}),
            ("marking", C),
        ),
        "长行.txt": (None, ("marking", S)),  # built below: a 40 MiB line
        "通知.7z": (None, ("marking", S)),
        "八位.doc": (
            mk.word97(
                [
                    ("Report on budget planning; ", True),
                    ("机密★5年", False),
                    (" Zurich office", True),
                ]
            ),
            ("marking", S),
        ),
        "档案.tar.zst": (_stdin_tool(["zstd", "-q", "-c"], _tar(marked)), ("marking", S)),
        "嵌套.zip": (mk.zip_of({"内层.tar.gz": _tar(marked, "w:gz")}), ("marking", S)),
    }
    files.update(
        {
            "扫描件.bmp": (scanned_page("秘密★5年", "BMP"), ("marking", C)),
            "扫描件.gif": (scanned_page("绝密★30年", "GIF"), ("marking", T)),
            "扫描件.webp": (scanned_page("机密★20年", "WEBP"), ("marking", S)),
            "GBK名.tar": (_tar({"机密★5年.txt": b"nothing\n"}, encoding="gbk"), ("marking", S)),
            "偶数页眉.xlsx": (
                _xlsx(
                    _row(0) + "<headerFooter><evenHeader>&amp;R绝密★启用前</evenHeader>"
                    "</headerFooter>",
                    ["台账"],
                ),
                ("marking", T),
            ),
            "字体字符集.rtf": (
                b"{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}{\\f1\\fcharset134 SimSun;}}"
                b"\\f1 "
                + "".join(f"\\'{b:02x}" for b in "机密★5年".encode("gbk")).encode()
                + b"\\par}",
                ("marking", S),
            ),
            "繁体.zip": (mk.zip_of({"通知.txt": "絕密★啟用前\n".encode("big5")}), ("marking", T)),
            "邮件正文.txt": (mk.eml("通知", "正文\n秘密★10年\n"), ("marking", C)),
            "通知.tgz": (_tar(marked, "w:gz"), ("marking", S)),
            "单元格.xls": (_xls(["关于测绘的报告", "机密★10年"]), ("marking", S)),
            "工作表名.xls": (_xls(["台账"], sheet="绝密★启用前"), ("marking", T)),
            "页眉.xls": (_xls(["台账"], header="&C秘密★1年"), ("marking", C)),
            "页脚.xls": (_xls(["台账"], footer="&L机密★长期&R第&P页"), ("marking", S)),
            "贴图.docx": (
                mk.zip_of(
                    {
                        "[Content_Types].xml": mk.CT,
                        "word/document.xml": '<w:document xmlns:w="w"><w:body><w:p><w:r>'
                        "<w:t>见附图</w:t></w:r></w:p></w:body></w:document>",
                        "word/media/image1.png": scanned_page("绝密★启用前"),
                    }
                ),
                ("marking", T),
            ),
            "加密2.ppt": (
                mk.cfb(
                    {
                        "Current User": bytes.fromhex("0000f60f1400000014000000")
                        + (0xF3D1C4DF).to_bytes(4, "little")
                        + b"\0" * 16,
                        "PowerPoint Document": b"\0" * 64,
                    }
                ),
                ("problem", "encrypted"),
            ),
            "通知.txz": (_tar(marked, "w:xz"), ("marking", S)),
        }
    )
    # One 24 MiB line: the marking stands across the place where a line over 16 MiB was cut.
    line = "文" * ((8 << 20) - 2)
    files["长行.txt"] = ((line + "机密★5年" + line).encode(), ("marking", S))
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        archive.writestr(text, "通知.txt")
    files["通知.7z"] = (out.getvalue(), ("marking", S))
    for header in (False, True):
        out = io.BytesIO()
        with py7zr.SevenZipFile(out, "w", password="口令", header_encryption=header) as archive:
            archive.writestr(text, "通知.txt")
        files[f"加密{'目录' if header else ''}.7z"] = (out.getvalue(), ("problem", "encrypted"))
    # Western text whose byte pairs fall in the CJK range when read as UTF-16 (no BOM, no NUL).
    western = "Report on the Zürich office, regional planning and the annual review. " * 40
    files["西文.txt"] = (western.encode("cp1252"), ("term", "Zürich office"))
    return {name: (data, expect) for name, (data, expect) in files.items() if data}
