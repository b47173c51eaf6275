"""The issue's import test: a 2,000-row carriers ledger with 20 bad rows of different kinds →
the dry run names exactly those rows and changes nothing; fixed, all of it imports and the
ledger shows the right markings. Once per format: xlsx, a GBK csv, a title above the header."""

from __future__ import annotations

from collections import Counter

import pytest

from baomi.carriers.models import Carrier
from baomi.carriers.selectors import carriers_visible_to
from baomi.imports.actions import import_carriers
from tests.factories import db_state
from tests.imports import ledgers

FORMATS = {
    "xlsx": ("台帐.xlsx", lambda rows: ledgers.xlsx(rows), 0),
    "gbk_csv": ("台帐.csv", lambda rows: ledgers.csv_bytes(rows, "gbk"), 0),
    "title_above_header": ("台帐.xlsx", lambda rows: ledgers.xlsx(rows, title_rows=2), 2),
}


def expected_markings(rows: list[list]) -> Counter:
    """What the ledger should show: one marking per copy (秘密★10年, 机密 with the CL-3
    default for a received item without a period, 内部 without ★)."""
    counts: Counter = Counter()
    for row in rows:
        level, period, copies = row[6], row[7], int(row[8])
        marking = "内部" if level == "内部" else f"{level}★{period or '20年'}"
        counts[marking] += copies
    return counts


@pytest.mark.parametrize("fmt", FORMATS)
def test_r_cl_2_bulk_ledger_dry_run_names_every_bad_row_then_imports(world, fmt):
    name, write, title_rows = FORMATS[fmt]
    rows, bad = ledgers.ledger()
    assert len(rows) == 2000 and len(bad) == 20

    before = db_state()
    report = import_carriers(
        world.clerk, world.unit, file_name=name, data=write(rows), dry_run=True
    )
    assert report.header_row == title_rows + 1
    assert report.bad_rows == sorted(ledgers.row_number(i, title_rows=title_rows) for i in bad)
    assert len(report.lines) == 20
    assert all(line.startswith("第") and "〈" in line for line in report.lines)
    assert db_state() == before, "a dry run wrote to the database"

    fixed = [ledgers.fix(row, i) if i in bad else row for i, row in enumerate(rows)]
    done = import_carriers(
        world.clerk, world.unit, file_name=name, data=write(fixed), dry_run=False
    )
    assert done.ok and done.row_count == 2000
    ledger = carriers_visible_to(world.clerk).filter(import_batch=done.batch)
    assert ledger.count() == done.count == sum(int(r[8]) for r in fixed)
    shown = Counter(c.marking for c in ledger.only("level", "category", *PERIOD_FIELDS))
    assert shown == expected_markings(fixed)
    # Old numbers are kept as the ledger had them.
    kept = {r[1] for r in fixed if r[1]}
    assert kept <= set(Carrier.objects.values_list("number", flat=True))


PERIOD_FIELDS = ("period_kind", "period_years", "period_months", "period_until", "period_condition")
