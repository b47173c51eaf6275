"""Pictures (PNG, JPEG, GIF, BMP, TIFF, WebP) and image-only PDF pages are read by OCR; where no
OCR engine is installed (or it is switched off) each is reported as not read, never passed as
checked (SCAN-1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baomi.scanner import ocr
from baomi.scanner.extractors.text import rechunk
from baomi.scanner.findings import ScanProblem

if TYPE_CHECKING:
    from baomi.scanner.engine import FileScan, Source

MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "bmp": "BMP", "tiff": "TIFF", "webp": "WebP"}


def kind(head: bytes) -> str | None:
    """The picture format of these first bytes, if they start a picture OCR can read."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM") and len(head) > 26 and head[6:10] == b"\0\0\0\0":
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    return None


def scan_image(scan: FileScan, src: Source, head: bytes) -> None:
    data = src.stream.read(scan.limits.max_expanded + 1)
    recognise(scan, src.path, "图像文字", data, f"{NAMES[kind(head)]} 图像")


def recognise(scan: FileScan, path: str, part: str, image: bytes, what: str) -> None:
    """OCR `image` and scan its text as `part` of `path`, or report why it was not read."""
    if not (scan.limits.ocr and ocr.available()):
        raise ScanProblem("no_ocr", f"{what}，{why_not()}")
    recogniser = getattr(scan, "recogniser", None)
    if recogniser is None:
        recogniser = scan.recogniser = ocr.Recogniser(scan.limits)
    text = recogniser.read(image)
    if text is not None:
        scan.text(path, part, rechunk([text.encode("utf-8", "surrogatepass")]))


def why_not() -> str:
    return "文字识别已关闭" if ocr.available() else "未安装文字识别引擎"


def not_read(scan: FileScan, path: str, pages: list[int]) -> None:
    """Scanned PDF pages left unread (OCR off or absent): one problem naming them all."""
    shown = "、".join(map(str, pages[:20])) + ("…" if len(pages) > 20 else "")
    detail = f"PDF 共 {len(pages)} 页是图像（第 {shown} 页），{why_not()}"
    scan.result.problem(path, ScanProblem("no_ocr", detail))


def close(scan: FileScan) -> None:
    recogniser = getattr(scan, "recogniser", None)
    if recogniser is not None:
        recogniser.close()
