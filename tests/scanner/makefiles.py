"""Files the scanner tests (and bench/scanner_throughput.py) generate: minimal but real Office Open
XML, OpenDocument, PDF with a text layer, e-mail, zip, legacy OLE, and hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile
from email.message import EmailMessage
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
CT = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def _zip(parts: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def runs(*pieces: str) -> str:
    """A Word paragraph whose text is split across runs, as Word does after edits."""
    body = "".join(
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(p)}</w:t></w:r>'
        for p in pieces
    )
    return f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{body}</w:p>'


def para(text: str) -> str:
    return runs(text)


def docx(
    body: list[str],
    header: str = "",
    footer: str = "",
    textbox: str = "",
    comment: str = "",
    deleted: str = "",
    title: str = "",
) -> bytes:
    """`body` is a list of paragraph XML (para() / runs()); the rest are plain texts."""
    xml = "".join(body)
    if textbox:  # a DrawingML text box with its VML fallback copy, as Word writes it
        box = f"<w:txbxContent>{para(textbox)}</w:txbxContent>"
        xml += (
            f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box}'
            f"</w:drawing></mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r></w:p>"
        )
    if deleted:
        xml += f"<w:p><w:del><w:r><w:delText>{escape(deleted)}</w:delText></w:r></w:del></w:p>"
    parts = {
        "[Content_Types].xml": CT,
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": f'<?xml version="1.0"?><w:document {W} {MC}><w:body>{xml}<w:sectPr/></w:body></w:document>',
        "word/styles.xml": f'<w:styles {W}><w:style><w:name w:val="机密★5年"/></w:style></w:styles>',
    }
    if header:
        parts["word/header1.xml"] = f"<w:hdr {W}>{para(header)}</w:hdr>"
    if footer:
        parts["word/footer1.xml"] = f"<w:ftr {W}>{para(footer)}</w:ftr>"
    if comment:
        parts["word/comments.xml"] = (
            f"<w:comments {W}><w:comment>{para(comment)}</w:comment></w:comments>"
        )
    if title:
        parts["docProps/core.xml"] = (
            f'<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>{escape(title)}</dc:title></cp:coreProperties>'
        )
    return _zip(parts)


def xlsx(strings: list[str], inline: str = "") -> bytes:
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c>'
    if inline:
        sheet += f'<c r="C1" t="inlineStr"><is><t>{escape(inline)}</t></is></c>'
    sheet += "</row>"
    return _zip(
        {
            "[Content_Types].xml": CT,
            "xl/workbook.xml": '<workbook><sheets><sheet name="表1"/></sheets></workbook>',
            "xl/sharedStrings.xml": f'<sst count="{len(strings)}">{sst}</sst>',
            "xl/worksheets/sheet1.xml": f"<worksheet><sheetData>{sheet}</sheetData></worksheet>",
        }
    )


def pptx(slides: list[list[str]], notes: str = "") -> bytes:
    parts = {"[Content_Types].xml": CT}
    for i, paragraphs in enumerate(slides, 1):
        ps = "".join(f"<a:p><a:r><a:t>{escape(p)}</a:t></a:r></a:p>" for p in paragraphs)
        parts[f"ppt/slides/slide{i}.xml"] = (
            f'<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody>{ps}'
            "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
    if notes:
        parts["ppt/notesSlides/notesSlide1.xml"] = (
            f'<p:notes xmlns:a="a" xmlns:p="p"><a:p><a:r><a:t>{escape(notes)}</a:t></a:r></a:p></p:notes>'
        )
    return _zip(parts)


def odf(paragraphs: list[str], kind: str = "text", header: str = "") -> bytes:
    """An OpenDocument file (odt/ods/odp by `kind`); paragraphs may hold <text:span> markup."""
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    styles = f"<office:document-styles><style:header><text:p>{escape(header)}</text:p></style:header></office:document-styles>"
    return _zip(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{kind}",
            "content.xml": f'<office:document-content xmlns:text="t"><office:body>{body}</office:body></office:document-content>',
            "styles.xml": styles,
            "META-INF/manifest.xml": "<manifest:manifest/>",
        }
    )


def pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a real text layer: a Type0 font, Identity-H, and a ToUnicode map."""
    objs: list[bytes] = []

    def add(obj: bytes) -> int:
        objs.append(obj)
        return len(objs)

    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
        b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap "
        b"CMapName currentdict /CMap defineresource pop end end"
    )
    tounicode = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap))
    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry "
        b"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor << /Type /FontDescriptor "
        b"/FontName /SimSun /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 "
        b"/Descent -200 /CapHeight 700 /StemV 80 >> /DW 1000 /CIDToGIDMap /Identity >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, tounicode)
    )
    pages_id = add(b"")
    kids = []
    for lines in pages:
        ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"]
        ops += [b"<%s> Tj T*" % line.encode("utf-16-be").hex().encode() for line in lines]
        content = b"\n".join([*ops, b"ET"])
        c = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font "
                b"<< /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, c)
            )
        )
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def eml(
    subject: str, body: str, attachments: dict[str, bytes] | None = None, html: str = ""
) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "张三 <zhang@example.gov.cn>"
    message["To"] = "li@example.gov.cn"
    message.set_content(body, charset="gb18030" if body.isascii() is False else "utf-8")
    if html:
        message.add_alternative(html, subtype="html")
    for name, data in (attachments or {}).items():
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def zip_of(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    return _zip(members, compression)


def nested_zip(levels: int, name: str = "机密.txt", text: str = "机密★5年\n") -> bytes:
    data = zip_of({name: text})
    for level in range(levels - 1):
        data = zip_of({f"level{level}.zip": data}, zipfile.ZIP_STORED)
    return data


def zip_bomb(megabytes: int = 100) -> bytes:
    """One member of zeros: ~1,000:1 — the ratio a deflate bomb has."""
    return zip_of({"zeros.txt": b"\0" * (megabytes << 20)})


def encrypted_zip() -> bytes:
    """A zip whose member is flagged encrypted (bit 0 in the local and the central header)."""
    data = bytearray(zip_of({"secret.txt": "机密★5年"}, zipfile.ZIP_STORED))
    data[6] |= 1  # local file header: general purpose flag
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1
    return bytes(data)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def cfb(streams: dict[str, bytes]) -> bytes:
    """A real OLE compound file (MS-CFB v3, 512-byte sectors) holding `streams` at its root.
    Each stream is padded to 4 KiB so that it lives in the FAT, not the mini stream."""
    streams = {name: data.ljust(4096, b"\0") for name, data in streams.items()}
    entries = [("Root Entry", 5, b"")] + [(n, 2, d) for n, d in streams.items()]
    dir_sectors = -(-len(entries) * 128 // 512)
    data_sectors = [-(-len(d) // 512) for _, _, d in entries[1:]]
    total = dir_sectors + sum(data_sectors)
    fat_sectors = 1
    while fat_sectors * 128 < total + fat_sectors:
        fat_sectors += 1
    fat = [_FATSECT] * fat_sectors
    chains, first = [], fat_sectors + dir_sectors
    fat += [*range(fat_sectors + 1, fat_sectors + dir_sectors), _END]
    for count in data_sectors:
        chains.append(first)
        fat += [*range(first + 1, first + count), _END]
        first += count
    fat += [_FREE] * (fat_sectors * 128 - len(fat))
    header = bytearray(512)
    header[:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 44, fat_sectors, fat_sectors, 0)
    struct.pack_into("<IIIII", header, 56, 4096, _END, 0, _END, 0)
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    directory = bytearray()
    for index, (name, kind, data) in enumerate(entries):
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        entry[: len(raw)] = raw
        struct.pack_into("<HBB", entry, 64, len(raw), kind, 1)
        right = index + 1 if 0 < index < len(entries) - 1 else _FREE
        child = 1 if index == 0 and len(entries) > 1 else _FREE
        struct.pack_into("<III", entry, 68, _FREE, right, child)
        start = chains[index - 1] if index else _END
        struct.pack_into("<II", entry, 116, start, len(data))
        directory += entry
    directory = directory.ljust(dir_sectors * 512, b"\0")
    body = b"".join(d.ljust(-(-len(d) // 512) * 512, b"\0") for _, _, d in entries[1:])
    return bytes(header) + struct.pack(f"<{len(fat)}I", *fat) + bytes(directory) + body


def word97(pieces: list[tuple[str, bool]], encrypted: bool = False) -> bytes:
    """A Word 97–2003 .doc: FIB, text pieces (each UTF-16, or 8-bit when its flag is set, as
    Word writes ASCII text) and the piece table in the 1Table stream (MS-DOC 2.4.1)."""
    word = bytearray(0x800)
    struct.pack_into("<HH", word, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", word, 0x0A, 0x0200 | (0x0100 if encrypted else 0))
    cps, pcds, cp = [0], [], 0
    for text, eight_bit in pieces:
        fc = len(word)
        if eight_bit:
            word += text.encode("cp1252")
            pcds.append(struct.pack("<HIH", 0, (fc * 2) | 0x40000000, 0))
        else:
            word += text.encode("utf-16-le")
            pcds.append(struct.pack("<HIH", 0, fc, 0))
        cp += len(text)
        cps.append(cp)
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pcds)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    table = b"\0" * 16 + clx
    struct.pack_into("<II", word, 0x1A2, 16, len(clx))
    struct.pack_into("<I", word, 0x4C, cp)  # ccpText
    return cfb({"WordDocument": bytes(word), "1Table": table})


def legacy_doc(text: str, encrypted_ooxml: bool = False) -> bytes:
    """A Word 97 document holding `text` (UTF-16 piece), or an OOXML document encrypted into an
    OLE file (EncryptionInfo and EncryptedPackage streams) when `encrypted_ooxml`."""
    if encrypted_ooxml:
        return cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 64, "EncryptedPackage": b"x"})
    return word97([(text, False)])
