"""Stocktake (CR-14) of a whole provincial archive: 100,000 expected carriers and 100,000
scanned numbers, reconciled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baomi_bench_stocktake \\
        .venv/bin/python bench/stocktake_reconcile.py --carriers 100000

Builds its own data in a throw-away database (a temp SQLite file, or with DATABASE_URL set to a
PostgreSQL server the database it names when that is a `baomi_bench_…` one, else
`baomi_bench_stocktake` on it — dropped and made afresh; never baomi_scale) and prints one line
per figure: the bulk ingestion of the scanned numbers (`stocktake.actions.record_scans`, as
uploaded lists arrive: at most `MAX_CODES_PER_BATCH` numbers a call), the reconciliation
(`stocktake.selectors.reconcile`) and their sum beside the goal (< 5 s of server time).
Of the scanned numbers, 95 % are expected at the counted place, 3 % are registered at another
place (wrong place), 2 % are not in the ledger (unexpected); 5 % of the expected stay missing.
The ledger is bulk-inserted for the setup (copies of one registered carrier), not timed.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from custody_throughput import own_database, setup_django

GOAL_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp, own_database("baomi_bench_stocktake"))
        run(args.carriers)


def ledger(w, total: int, elsewhere_count: int):
    """`total` carriers at the cabinet and `elsewhere_count` in a second cabinet: copies of one
    registered carrier under numbers of their own, bulk-inserted (the setup, not measured)."""
    from baomi.carriers.models import Carrier, Place
    from baomi.lib import bulk
    from tests.factories import receive

    template = receive(w, place=w.cabinet)
    other = Place.objects.create(unit=w.unit, name="机要室文件柜B", kind="cabinet")

    def made(count: int, place, offset: int) -> list:
        rows = []
        for i in range(count):
            carrier = copy.copy(template)
            carrier.pk = carrier.id = None
            carrier.number, carrier.copy_no = f"2026-{offset + i:07d}", 1
            carrier.place = carrier.home_place = place
            rows.append(carrier)
        bulk.insert(Carrier, rows)  # COPY on PostgreSQL
        return rows

    return made(total, w.cabinet, 100_000), made(elsewhere_count, other, 5_000_000)


def run(total: int) -> None:
    from django.db import connection

    from baomi.stocktake import actions
    from baomi.stocktake.selectors import reconcile
    from tests.factories import build_world

    w = build_world()
    start = time.perf_counter()
    elsewhere_count = total * 3 // 100
    expected, elsewhere = ledger(w, total, elsewhere_count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"setup: {total + elsewhere_count + 1} carriers in the ledger in "
        f"{time.perf_counter() - start:.1f} s (not part of the figures; {connection.vendor})"
    )
    seen = [c.label for c in expected[: total * 95 // 100]]
    unknown = [f"2099-{i:07d}-01" for i in range(total - len(seen) - elsewhere_count)]
    codes = seen + [c.label for c in elsewhere] + unknown
    stocktake = actions.start(w.clerk, place=w.cabinet)

    added, batch = 0, actions.MAX_CODES_PER_BATCH
    t0 = time.perf_counter()
    for i in range(0, len(codes), batch):
        added += actions.record_scans(
            w.clerk, stocktake, codes[i : i + batch], source="upload"
        ).added
    ingest = time.perf_counter() - t0
    print(
        f"scan ingestion: {len(codes)} numbers in {ingest:.2f} s "
        f"({len(codes) / ingest:,.0f} numbers/s; {added} stored; uploads of at most {batch})"
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
    total_time = ingest + elapsed
    verdict = "OK" if total_time < GOAL_SECONDS else "MISSED"
    print(
        f"stocktake server time (ingest + reconcile), {total} × {len(codes)}: {total_time:.2f} s "
        f"(goal < {GOAL_SECONDS:.0f} s: {verdict})"
    )


if __name__ == "__main__":
    main()
