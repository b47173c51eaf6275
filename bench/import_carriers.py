"""Ledger import speed: a generated 10,000-row carriers 台帐 (xlsx) imported by the 保密员.

    .venv/bin/python bench/import_carriers.py --rows 10000 --runs 3

Builds its own data in a throw-away database (a temp SQLite file, or with DATABASE_URL set to a
PostgreSQL server a fresh `baomi_bench` database on it). Each run imports the whole file in one
transaction — reading, checking every row, writing carriers, scopes, custody and audit events —
and is rolled back afterwards so the next run starts from the same state. Prints one line: the
median rows/s and the median total time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from custody_throughput import own_database, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp, own_database("baomi_bench_import"))
        run(args.rows, args.runs)


def run(rows: int, runs: int) -> None:
    from django.db import transaction

    from baomi.imports.actions import import_carriers
    from tests.factories import build_world
    from tests.imports import ledgers

    world = build_world()
    data = ledgers.xlsx([ledgers.good_row(i) for i in range(1, rows + 1)])
    times, made = [], 0
    for _ in range(runs):
        with transaction.atomic():
            start = time.perf_counter()
            report = import_carriers(
                world.clerk, world.unit, file_name="台帐.xlsx", data=data, dry_run=False
            )
            times.append(time.perf_counter() - start)
            made = report.count
            transaction.set_rollback(True)
    median = statistics.median(times)
    print(
        f"import carriers: {rows / median:,.0f} rows/s ({rows} rows → {made} carriers in "
        f"{median:.2f} s, median of {runs} runs: {', '.join(f'{t:.2f}' for t in times)} s)"
    )


if __name__ == "__main__":
    main()
