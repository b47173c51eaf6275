"""The ledger as a PDF and carrier labels with QR codes: marked (SEC-5), audited (SEC-4), only for
the people who may have them, and readable back — by pdftotext and by the stocktake's scanner."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import segno
from django.urls import reverse

from baomi.audit.models import AuditEvent
from baomi.carriers import exports
from baomi.classification.choices import Level
from baomi.lib import pdf_canvas
from baomi.stocktake.selectors import read_label
from tests.factories import receive

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext 未安装")

LEDGER_PDF = reverse("carriers:export_pdf")
LABELS = reverse("carriers:labels")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def test_ledger_pdf_is_marked_with_its_highest_level_and_lists_the_filter(world, as_):
    w = world
    receive(w, level=Level.CONFIDENTIAL, title="关于秘密件的通知")
    secret = receive(w, title="关于机密件的通知")
    r = as_(w.clerk).get(LEDGER_PDF)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "涉密载体台账" in text and "共2件" in text
    assert secret.label in text and "关于机密件的通知" in text
    assert text.startswith("机密")  # the page head carries the highest level on it
    filtered = pdf_text(as_(w.clerk).get(LEDGER_PDF, {"level": "confidential"}).content)
    assert "关于秘密件的通知" in filtered and "关于机密件的通知" not in filtered
    assert filtered.startswith("秘密")


def test_ledger_pdf_is_an_audited_read_without_classified_text(world, as_):
    w = world
    secret = receive(w, title="机密件标题")
    as_(w.clerk).get(LEDGER_PDF)
    event = AuditEvent.objects.get(event_type="carrier.export")
    assert event.outcome == "read" and event.after["form"] == "pdf"
    assert event.after["audited_reads"] == [secret.label]
    assert "机密件标题" not in str(event.after)


def test_ledger_pdf_shows_a_staff_member_only_what_they_may_see(world, as_):
    w = world
    receive(w, title="张三范围外的载体", scope_people=[w.li], scope_departments=[w.finance])
    text = pdf_text(as_(w.zhang).get(LEDGER_PDF).content)
    assert "张三范围外的载体" not in text and "共0件" in text


def test_too_long_a_ledger_is_refused_with_a_hint_not_cut(world, as_, monkeypatch):
    w = world
    receive(w, copies=3)
    monkeypatch.setattr(exports, "PDF_LIMIT", 2)
    r = as_(w.clerk).get(LEDGER_PDF)
    assert r.status_code == 422
    assert "缩小筛选范围" in r.content.decode()
    assert not AuditEvent.objects.filter(event_type="carrier.export").exists()


def test_labels_carry_the_code_a_scanner_types_into_a_stocktake(world, as_, monkeypatch):
    w = world
    made = receive(w, copies=2, title="关于年度检查的通知")
    drawn = []
    real_qr_code = exports.qr_code
    monkeypatch.setattr(exports, "qr_code", lambda code: drawn.append(code) or real_qr_code(code))
    r = as_(w.clerk).get(LABELS, {"q": made[0].number})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert text.count("机密★") == 2
    assert drawn == [f"{w.unit.code}/{c.label}" for c in made]
    for carrier, code in zip(made, drawn, strict=True):
        assert carrier.label in text  # printed for people
        scanned = read_label(code)  # and what the scanner types back
        assert scanned.belongs_to(w.unit.code)
        assert (scanned.number, scanned.copy_no) == (carrier.number, carrier.copy_no)
    event = AuditEvent.objects.get(event_type="carrier.labels")
    assert event.after["count"] == 2 and event.after["form"] == "labels"


def test_a_label_qr_code_is_the_symbol_of_its_code():
    code = "C01/2026-0000001-01"
    expected = segno.make(code, error="m", micro=False, mask=exports.QR_MASK)
    assert exports.qr_code(code).matrix == expected.matrix
    assert exports.qr_code(code).error in ("M", "Q", "H")  # at least M; segno raises it for free
    assert exports.qr_code(code).matrix != exports.qr_code("C01/2026-0000001-02").matrix


def test_the_printed_qr_code_is_module_for_module_the_symbol(world, as_):
    """Rasterise the sheet and read each module's centre back: the drawn rectangles are the code."""
    pdfium = pytest.importorskip("pypdfium2")
    w = world
    carrier = receive(w)
    content = as_(w.clerk).get(LABELS, {"carrier": carrier.pk}).content
    document = pdfium.PdfDocument(content)
    scale = 8  # pixels a point
    image = document[0].render(scale=scale, grayscale=True).to_pil()
    matrix = exports.qr_code(f"{w.unit.code}/{carrier.label}").matrix
    mm = 72 / 25.4
    qr_left, qr_top = (
        3 * mm,
        0.5 * mm + 4 * mm,
    )  # first sticker: its padding from the sheet's corner
    module = 26 * mm / (len(matrix) + 2 * pdf_canvas.QR_BORDER)
    read = [
        [
            int(
                image.getpixel(
                    (
                        round((qr_left + (c + pdf_canvas.QR_BORDER + 0.5) * module) * scale),
                        round((qr_top + (r + pdf_canvas.QR_BORDER + 0.5) * module) * scale),
                    )
                )
                < 128
            )
            for c in range(len(matrix))
        ]
        for r in range(len(matrix))
    ]
    document.close()
    assert read == [[int(bool(m)) for m in row] for row in matrix]


def test_a_scanner_reads_every_printed_code_back(world, as_):
    """OpenCV's QR reader (the OCR stack's opencv) decodes each sticker of a printed sheet."""
    pdfium = pytest.importorskip("pypdfium2")
    cv2 = pytest.importorskip("cv2")
    w = world
    made = receive(w, copies=4, title="扫码核对")
    document = pdfium.PdfDocument(as_(w.clerk).get(LABELS, {"q": made[0].number}).content)
    image = document[0].render(scale=4, grayscale=True).to_numpy()
    document.close()
    height, width = image.shape[:2]
    read = []
    for index in range(len(made)):
        row, column = divmod(index, 3)
        sticker = image[
            row * height * 37 // 297 : (row + 1) * height * 37 // 297 + 8,
            column * width // 3 : (column + 1) * width // 3,
        ]
        read.append(cv2.QRCodeDetector().detectAndDecode(sticker)[0])
    assert read == [f"{w.unit.code}/{c.label}" for c in made]


def test_a_sheet_holds_3_by_8_labels_of_70_by_37_mm(world, as_):
    pdfium = pytest.importorskip("pypdfium2")
    w = world
    receive(w, copies=25, title="标签排版")
    content = as_(w.clerk).get(LABELS).content
    document = pdfium.PdfDocument(content)
    assert len(document) == 2  # 24 on the first A4 sheet, the 25th on the second
    width, height = document[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    document.close()
    assert (pdf_canvas.LABEL_COLUMNS, pdf_canvas.LABEL_ROWS) == (3, 8)
    assert round(pdf_canvas.LABEL_W / pdf_canvas.mm) == 70
    assert round(pdf_canvas.LABEL_H / pdf_canvas.mm) == 37


def test_one_carrier_label_from_its_page(world, as_):
    w = world
    carrier = receive(w)
    page = as_(w.clerk).get(reverse("carriers:detail", args=[carrier.pk])).content.decode()
    assert f"{LABELS}?carrier={carrier.pk}" in page
    text = pdf_text(as_(w.clerk).get(LABELS, {"carrier": carrier.pk}).content)
    assert carrier.label in text


@pytest.mark.parametrize("value", ["abc", "0", "999999999999999999999", "-1"])
def test_labels_of_an_unknown_carrier_are_404(world, as_, value):
    r = as_(world.clerk).get(LABELS, {"carrier": value})
    assert r.status_code == 404


def test_only_the_units_clerk_prints_labels(world, as_):
    w = world
    carrier = receive(w)
    r = as_(w.zhang).get(LABELS, {"carrier": carrier.pk})
    assert r.status_code == 403 and "保密员" in r.content.decode()
    assert as_(w.zhang).get(LABELS).status_code == 403
    page = as_(w.zhang).get(reverse("carriers:detail", args=[carrier.pk])).content.decode()
    assert f"{LABELS}?carrier=" not in page
    assert not AuditEvent.objects.filter(event_type="carrier.labels").exists()


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_system_roles_get_no_printouts(world, as_, who):
    receive(world)
    for url in (LEDGER_PDF, LABELS):
        assert as_(getattr(world, who)).get(url).status_code in (403, 404)
