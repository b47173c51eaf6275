"""Limits that keep hostile files from exhausting the scanner (SCAN-2). All are configurable."""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1 << 30
MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Per top-level file: archive nesting, members opened, bytes expanded, time (SCAN-2)."""

    max_depth: int = 5  # archives within archives (a docx in a zip in a zip is depth 3)
    max_members: int = 10_000  # archive members and e-mail attachments opened, all levels
    max_expanded: int = GIB  # bytes decompressed from archives, all levels
    max_ratio: int = 500  # per member: uncompressed / compressed (deflate tops out near 1,030)
    ratio_floor: int = MIB  # members smaller than this are never judged by their ratio
    file_timeout: float = 300.0  # seconds for one top-level file, whatever it holds
    extract_timeout: float = 60.0  # seconds for one risky extraction (PDF) in its own process
    extract_memory: int = 4 * GIB  # address space of that process
    max_email: int = 256 * MIB  # an .eml is parsed whole, so it has a size limit of its own
    ocr: bool = True  # read images and image-only PDF pages by OCR where an engine is installed
    ocr_page_timeout: float = 60.0  # seconds for one image or page, in its own process
    ocr_max_pages: int = (
        60  # pages recognised per top-level file (~2.4 s each); beyond, one problem
    )
    ocr_max_pixels: int = 60_000_000  # a larger image is not decoded (a pixel bomb)
    max_hits: int = 200  # findings kept with place and context per file; the rest are counted
