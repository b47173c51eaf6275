"""Text of scanned pages and images by OCR (SCAN-1): rapidocr-onnxruntime, whose wheel carries its
PP-OCR models, chosen over Debian's tesseract chi_sim by bench/scanner_ocr.py — on scan-like pages
it read 24 of 24 markings where tesseract read none (it takes ★ for 女 or 太).

Recognition runs in a child process of its own, one per top-level file, that serves page after
page; each page has its own deadline (Limits.ocr_page_timeout): a page over it is reported and the
child is killed (the next page starts a new one). A picture larger than Limits.ocr_max_pixels is
not decoded. Nothing is imported until an image is met, so the scanner starts fast without it.
"""

from __future__ import annotations

import importlib.util
import io
import multiprocessing
import signal
from functools import cache

from baomi.scanner.findings import ScanProblem
from baomi.scanner.limits import Limits

_FORK = multiprocessing.get_context("fork")
_MAX_SIDE = 3000  # larger scans are scaled down first: PP-OCR reads 10-pt text at this size


@cache
def available() -> bool:
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


class Recogniser:
    """OCR for one top-level file: `read(image bytes) → text`, under the per-page limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.pages = 0
        self.child = self.conn = None

    def read(self, image: bytes) -> str | None:
        """The image's text; None for the pages beyond the cap, reported once (at the first)."""
        self.pages += 1
        if self.pages > self.limits.ocr_max_pages:
            if self.pages == self.limits.ocr_max_pages + 1:
                cap = self.limits.ocr_max_pages
                raise ScanProblem("no_ocr", f"超过每个文件 {cap} 页的识别上限，其后的图像未识别")
            return None
        if self.child is None:
            self._start()
        self.conn.send(image)
        timeout = self.limits.ocr_page_timeout
        if not self.conn.poll(timeout):
            self.close()
            raise ScanProblem("timeout", f"文字识别超过 {timeout:g} 秒")
        try:
            kind, payload = self.conn.recv()
        except EOFError:
            code = self.child.exitcode
            self.close()
            raise ScanProblem("crashed", f"文字识别进程退出码 {code}") from None
        if kind != "text":
            raise ScanProblem(kind, payload)
        return payload

    def _start(self) -> None:
        import rapidocr_onnxruntime  # noqa: F401 — imported once, before forking

        self.conn, theirs = _FORK.Pipe()
        self.child = _FORK.Process(target=_serve, args=(theirs, self.limits), daemon=True)
        self.child.start()
        theirs.close()

    def close(self) -> None:
        if self.child is not None:
            self.conn.close()
            if self.child.is_alive():
                self.child.kill()
            self.child.join()
            self.child = self.conn = None

    def __enter__(self) -> Recogniser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(conn, limits: Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from rapidocr_onnxruntime import RapidOCR

    engine = None
    while True:
        try:
            image = conn.recv()
        except EOFError:
            return
        # The alarm ends the child even if the parent that waits for it was killed meanwhile.
        signal.alarm(int(limits.ocr_page_timeout) + 5)
        try:
            pixels = _decode(image, limits)
            engine = engine or RapidOCR()
            boxes, _ = engine(pixels)
            conn.send(("text", _lines(boxes or [])))
        except ScanProblem as problem:
            conn.send((problem.code, problem.detail))
        except Exception as error:  # a hostile picture may break the decoder in any way
            conn.send(("malformed", f"{type(error).__name__}: {error}"[:300]))
        signal.alarm(0)


def _decode(image: bytes, limits: Limits):
    import numpy
    from PIL import Image, ImageFile

    Image.MAX_IMAGE_PIXELS = None  # the check below is ours, and reported, not a warning
    # WeasyPrint, once imported in the parent, turns this on for every process forked from it:
    # a cut picture must be reported as malformed, not read as half a page.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    picture = Image.open(io.BytesIO(image))
    width, height = picture.size
    if width * height > limits.ocr_max_pixels:
        raise ScanProblem("too_large", f"图像 {width}×{height} 像素，超过识别上限")
    picture = picture.convert("RGB")
    if max(width, height) > _MAX_SIDE:
        picture.thumbnail((_MAX_SIDE, _MAX_SIDE))
    return numpy.asarray(picture)[:, :, ::-1]  # RapidOCR takes OpenCV's BGR order


def _lines(boxes: list) -> str:
    """Boxes in reading order, those on one line (overlapping vertically) joined by a space."""
    items = sorted(
        ((min(p[1] for p in box), max(p[1] for p in box), min(p[0] for p in box), text))
        for box, text, _ in boxes
    )
    lines: list[list] = []
    for top, bottom, left, text in items:
        if lines and top < (lines[-1][0] + lines[-1][1]) / 2:
            lines[-1][2].append((left, text))
            lines[-1][1] = max(lines[-1][1], bottom)
        else:
            lines.append([top, bottom, [(left, text)]])
    return "\n".join(" ".join(t for _, t in sorted(parts)) for _, _, parts in lines) + "\n"
