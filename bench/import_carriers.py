"""Ledger import speed: a generated 100,000-row carriers 台帐 (xlsx) imported by the 保密员,
beside a plain bulk insert of the same carrier rows in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baomi_bench_import \\
        .venv/bin/python bench/import_carriers.py --rows 100000 --runs 1

Builds its own data in a throw-away database (a temp SQLite file, or with DATABASE_URL set to a
PostgreSQL server the database it names when that is a `baomi_bench_…` one, else
`baomi_bench_import` on it — dropped and made afresh; never baomi_scale). Each run imports the
whole file in one transaction — reading, checking every row, writing carriers, scopes, custody
and audit events — and is rolled back afterwards so the next run starts from the same state.
The reference, in the same process: the very carrier rows the import made, inserted again by
`lib.bulk.insert` (COPY on PostgreSQL; with `--bulk-create` also `Carrier.objects.bulk_create`,
which takes about twice as long) — carriers only, no scopes, events, audit rows or checks.
`make bench` runs 100,000 rows once (~3 minutes of import at load 6; a second run would not
change the picture and the whole benchmark must stay within about 6 minutes). Prints rows/s,
the reference and the ratio beside the aim (within 10× of the plain bulk insert).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from custody_throughput import own_database, setup_django

AIM_RATIO = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--bulk-create", action="store_true", help="also time Carrier.objects.bulk_create"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp, own_database("baomi_bench_import"))
        run(args.rows, args.runs, args.bulk_create)


def timed_rolled_back(fn) -> tuple[float, object]:
    """Seconds `fn` took inside a transaction that is then rolled back, and what it returned."""
    from django.db import transaction

    with transaction.atomic():
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed, result


def run(rows: int, runs: int, with_bulk_create: bool = False) -> None:
    from django.db import connection

    from baomi.carriers.models import Carrier
    from baomi.imports.actions import import_carriers, read_layout
    from baomi.lib import bulk
    from tests.factories import build_world
    from tests.imports import ledgers

    world = build_world()
    data = ledgers.xlsx([ledgers.good_row(i) for i in range(1, rows + 1)])
    reading = time.perf_counter()
    read_layout("carriers", "台帐.xlsx", data)
    reading = time.perf_counter() - reading

    def import_once():
        report = import_carriers(
            world.clerk, world.unit, file_name="台帐.xlsx", data=data, dry_run=False
        )
        made = list(Carrier.objects.filter(import_batch=report.batch).order_by("pk"))
        return report.count, made

    times, made = [], []
    for _ in range(runs):
        elapsed, (count, made) = timed_rolled_back(import_once)
        times.append(elapsed)
    median = statistics.median(times)
    print(
        f"import carriers ({connection.vendor}, xlsx): {rows / median:,.0f} rows/s ({rows} rows → "
        f"{count} carriers in {median:.1f} s, median of {runs} run(s): "
        f"{', '.join(f'{t:.1f}' for t in times)} s; reading the xlsx alone {reading:.1f} s)"
    )

    def fresh():
        clones = []
        for carrier in made:
            clone = copy.copy(carrier)
            clone.pk = clone.id = clone.import_batch_id = None
            clone._state = copy.copy(carrier._state)
            clone._state.adding = True
            clones.append(clone)
        return clones

    floor_name = "COPY" if connection.vendor == "postgresql" else "bulk.insert"
    rows_in = fresh()
    floor, _ = timed_rolled_back(lambda: bulk.insert(Carrier, rows_in))
    line = f"plain bulk insert of the same {len(made)} carrier rows: {floor_name} {floor:.1f} s"
    if with_bulk_create:
        rows_in = fresh()
        plain, _ = timed_rolled_back(lambda: Carrier.objects.bulk_create(rows_in))
        line += f", Carrier.objects.bulk_create {plain:.1f} s ({median / plain:.1f}× it)"
    print(line)
    ratio = median / floor
    print(
        f"import / plain bulk insert ({floor_name}): {ratio:.1f}× "
        f"(aim ≤ {AIM_RATIO}×: {'OK' if ratio <= AIM_RATIO else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
