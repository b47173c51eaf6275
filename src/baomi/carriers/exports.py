"""The ledger (涉密载体台账) as xlsx and as an A4 PDF, and carrier labels with QR codes.

Every output is marked with the highest level it contains (SEC-5) and audited as a read of its
机密/绝密 lines (SEC-4). A label's QR code carries what a scanner types back into a stocktake: the
unit's code and 统一编号-份号 (`stocktake.selectors.scan_code`), so a count tells another unit's
carrier from an unregistered one. Labels are drawn on a canvas (`baomi.lib.pdf_canvas`): A4, 3 × 8
stickers of 70 × 37 mm, the QR code's modules drawn as rectangles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import segno

from baomi.carriers.tables import is_overdue
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.lib import exports as tables
from baomi.lib import pdf_canvas
from baomi.stocktake.selectors import scan_code

# SEC-4 / 条例20: reads of these levels are audited (who came to know 机密 and above).
AUDITED_READ_LEVELS = (Level.SECRET, Level.TOP_SECRET)
XLSX_LIMIT = tables.XLSX_LIMIT
PDF_LIMIT = tables.PDF_LIMIT
LABEL_LIMIT = 500


def highest_marking(carriers, note: str = "") -> dict | None:
    """The banner of a list: the highest level among the carriers shown (SEC-5)."""
    levels = {c.level for c in carriers}
    if not levels:
        return None
    top = max(levels, key=lambda lv: LEVEL_RANK[Level(lv)])
    if top == Level.PUBLIC:
        return None
    return {"text": Level(top).label, "level": top, "note": note}


def carriers_on(document) -> list:
    """The carriers on a list, dispatch or handover: its prefetched `items`, each naming one."""
    return [item.carrier for item in document.items.all()]


def marked_by_level(
    objects_of: Callable[[object], Iterable],
    *,
    code: Callable[[object], str] | None = None,
    floor: tables.Marking | None = tables.INTERNAL,
) -> Callable[[list], tables.Marking]:
    """How a list of carriers (or of things holding them) is marked: the highest level among
    `objects_of(row)` of its rows (SEC-5), never below `floor`. With `code`, the file shows
    those objects and the 机密/绝密 ones are named in the audit row (SEC-4)."""

    def mark(rows) -> tables.Marking:
        objects = [o for row in rows for o in objects_of(row)]
        top = highest_marking(objects)
        reads = [code(o) for o in objects if o.level in AUDITED_READ_LEVELS] if code else []
        if top is None:
            return replace(floor or tables.Marking(""), reads=tuple(reads))
        return tables.Marking(top["text"], top["level"], tuple(reads))

    return mark


# The ledger's PDF prints its markings in red.
LEDGER = tables.TableExport(
    title="涉密载体台账",
    event_type="carrier.export",
    filename="ledger",
    columns=(
        ("统一编号-份号", 18, lambda c: c.label),
        ("密级标志", 14, lambda c: c.marking),
        ("标题", 40, lambda c: c.title),
        ("制文机关", 20, lambda c: c.issuer),
        ("文号", 20, lambda c: c.doc_number),
        ("成文日期", 12, lambda c: c.doc_date),
        ("页数", 6, lambda c: c.pages),
        ("状态", 10, lambda c: c.get_status_display()),
        ("持有人", 10, lambda c: c.holder.name if c.holder_id else ""),
        ("存放位置", 16, lambda c: c.place.name if c.place_id else ""),
        ("应还日期", 12, lambda c: c.due_date),
        ("逾期", 6, lambda c: "是" if is_overdue(c) else ""),
    ),
    mark=marked_by_level(lambda c: [c], code=lambda c: c.label, floor=None),
    unmarked="（无涉密载体）",
    noun="件",
    note="（本表密级按其中最高密级标注）",
    empty="（没有符合条件的载体）",
    red_columns=frozenset({1}),
)


def ledger_pdf(rows, viewer) -> bytes:
    return tables.table_pdf(LEDGER, rows, viewer)


# One mask pattern for every label, not the best of the eight per code: that search took four
# fifths of a label sheet's time (~7 ms a code in pure Python). A scanner reads any mask (the
# symbol's format information names it), and a label's symbol — version 2, error level raised to
# Q, 0.9 mm a module — does not need the lowest penalty score. Mask 5 is what the search picks
# most often for `<unit code>/统一编号-份号` (42 % of a sample of 248 codes).
QR_MASK = 5


def qr_code(code: str) -> segno.QRCode:
    """The QR symbol of `code` (error level M at least: survives a scuffed sticker)."""
    return segno.make(code, error="m", micro=False, mask=QR_MASK)


def labels_pdf(carriers, viewer, unit) -> bytes:
    """Labels of `unit`'s carriers (the views only ever label one unit's carriers at a time)."""
    stickers = [
        pdf_canvas.Sticker(
            marking=c.marking,
            code=c.label,
            title=c.title,
            footer=f"{c.get_kind_display()} · {unit.name}",
            qr_rows=qr_code(scan_code(unit.code, c.label)).matrix,
        )
        for c in carriers
    ]
    pdf = pdf_canvas.label_sheet(stickers, title="涉密载体标签")
    tables.audit("carrier.labels", viewer, "labels", len(carriers), LEDGER.mark(carriers))
    return pdf
