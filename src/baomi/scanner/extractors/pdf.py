"""PDF text layer, page by page, with pypdfium2 — in a child process of its own (SCAN-2).

PDFium is C++ fed with hostile input: a crash, a hang or a memory blow-up in the child is
reported as a problem of that file; the scan goes on. The child's address space is limited
(Limits.extract_memory) and the whole extraction has a deadline (Limits.extract_timeout).
"""

from __future__ import annotations

import io
import math
import multiprocessing
import resource
import signal
import time
from collections.abc import Iterator

from baomi.scanner import ocr
from baomi.scanner.findings import ScanProblem
from baomi.scanner.limits import Limits

_FORK = multiprocessing.get_context("fork")


def pages(document: str | bytes, limits: Limits) -> Iterator[tuple[int, str, bytes | None]]:
    """(page number from 1, text, picture) for each page of a PDF given as a path or as bytes.

    A page with no text layer but images on it (a scanned page) comes with its rendering as a PNG
    (`b""` when OCR is off or not installed) for OCR to read; other pages with None."""
    receiver, sender = _FORK.Pipe(duplex=False)
    import pypdfium2  # noqa: F401 — loaded once, before forking, not in every child

    child = _FORK.Process(target=_extract, args=(document, sender, limits))
    child.start()
    sender.close()
    deadline = time.monotonic() + limits.extract_timeout
    try:
        while True:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                raise ScanProblem("timeout", f"PDF 提取超过 {limits.extract_timeout:g} 秒")
            try:
                kind, payload = receiver.recv()
            except EOFError:
                child.join(1)
                raise ScanProblem("crashed", f"PDF 解析进程退出码 {child.exitcode}") from None
            if kind == "done":
                return
            if kind == "page":
                paused = time.monotonic()
                yield payload
                # Time the caller spent on the page (OCR has its own budget) is not PDFium's.
                deadline += time.monotonic() - paused
            else:
                raise ScanProblem(kind, payload)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def _extract(document, sender, limits: Limits) -> None:
    # The alarm ends the child even if the worker that waits for it was killed meanwhile.
    signal.alarm(math.ceil(limits.extract_timeout) + 1)
    resource.setrlimit(resource.RLIMIT_AS, (limits.extract_memory, limits.extract_memory))
    try:
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(document)
        except pdfium.PdfiumError as error:
            code = "encrypted" if "password" in str(error).lower() else "malformed"
            sender.send((code, str(error)))
            return
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage().get_text_range()
            picture = _picture(pdfium, page, limits) if not text.strip() else None
            sender.send(("page", (index + 1, text.replace("\r\n", "\n"), picture)))
            if picture:  # the parent now reads it by OCR, under a budget of its own
                signal.alarm(math.ceil(limits.extract_timeout + limits.ocr_page_timeout) + 5)
        sender.send(("done", None))
    except MemoryError:
        sender.send(("too_large", "PDF 解析所需内存超过限制"))
    except Exception as error:  # anything PDFium or its binding raises is a broken file
        sender.send(("malformed", f"{type(error).__name__}: {error}"[:300]))
    finally:
        sender.close()


def _picture(pdfium, page, limits: Limits) -> bytes | None:
    """A text-less page that shows an image, rendered for OCR at scan resolution (200 dpi)."""
    if not any(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=3)):
        return None
    if not (limits.ocr and ocr.available()):
        return b""
    width, height = page.get_size()
    scale = min(200 / 72, (limits.ocr_max_pixels / max(width * height, 1)) ** 0.5)
    out = io.BytesIO()
    page.render(scale=scale, grayscale=True).to_pil().save(out, "PNG")
    return out.getvalue()
