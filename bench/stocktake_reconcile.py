"""Stocktake (CR-14): 10,000 expected carriers and 10,000 scanned numbers, reconciled.

    .venv/bin/python bench/stocktake_reconcile.py --carriers 10000

Builds its own data in a throw-away database (see custody_throughput.py) and prints one line per
figure: the bulk ingestion of the scanned numbers (`stocktake.actions.record_scans`, one call with
every number, as an uploaded list arrives) and the reconciliation (`stocktake.selectors.reconcile`).
Of the scanned numbers, 95 % are expected at the counted place, 3 % are registered at another
place (wrong place), 2 % are not in the ledger (unexpected); 5 % of the expected stay missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from custody_throughput import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        run(args.carriers)


def run(total: int) -> None:
    from baomi.carriers import actions as carriers
    from baomi.carriers.choices import CarrierKind, Source
    from baomi.carriers.registration import MAX_COPIES_PER_REGISTRATION, Registration
    from baomi.classification.choices import Level
    from baomi.stocktake import actions
    from baomi.stocktake.selectors import reconcile
    from tests.factories import build_world

    w = build_world()
    start = time.perf_counter()

    def register(count: int, place) -> list:
        made = []
        while len(made) < count:
            n = min(MAX_COPIES_PER_REGISTRATION, count - len(made))
            reg = Registration(
                kind=CarrierKind.DOCUMENT,
                title="基准测试文件",
                doc_date=__import__("datetime").date(2026, 1, 5),
                level=Level.SECRET,
                source=Source.RECEIVED,
                place=place,
                copies=n,
                issuer="XX省人民政府办公厅",
                scope_departments=[w.office],
            )
            made += carriers.register(w.clerk, reg)
        return made

    expected = register(total, w.cabinet)
    elsewhere_count = total * 3 // 100
    elsewhere = register(
        elsewhere_count,
        w.safe.__class__.objects.create(unit=w.unit, name="机要室文件柜B", kind="cabinet"),
    )
    print(
        f"setup: {total + elsewhere_count} carriers registered in "
        f"{time.perf_counter() - start:.1f} s (not part of the figures)"
    )
    seen = [c.label for c in expected[: total * 95 // 100]]
    unknown = [f"2099-{i:07d}-01" for i in range(total - len(seen) - elsewhere_count)]
    codes = seen + [c.label for c in elsewhere] + unknown
    stocktake = actions.start(w.clerk, place=w.cabinet)

    t0 = time.perf_counter()
    result = actions.record_scans(w.clerk, stocktake, codes, source="upload")
    ingest = time.perf_counter() - t0
    print(
        f"scan ingestion: {len(codes)} numbers in {ingest:.2f} s "
        f"({len(codes) / ingest:,.0f} numbers/s; {result.added} stored)"
    )

    t0 = time.perf_counter()
    summary = reconcile(stocktake)
    elapsed = time.perf_counter() - t0
    c = summary.counts()
    print(
        f"reconcile: {c['expected']} expected × {c['scanned']} scanned in {elapsed:.2f} s "
        f"(found {c['found']}, missing {c['missing']}, unexpected {c['unexpected']}, "
        f"wrong place {c['wrong_place']})"
    )
    print(f"total server time (ingest + reconcile): {ingest + elapsed:.2f} s (limit 2 s)")


if __name__ == "__main__":
    main()
