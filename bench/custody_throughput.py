"""Custody throughput: how fast the ledger registers, moves and verifies at a given scale.

    DATABASE_URL=… .venv/bin/python bench/custody_throughput.py --carriers 2000

Builds its own data in a throw-away database (a temp SQLite file, or with DATABASE_URL set to a
PostgreSQL server a fresh `baomi_bench` database on it) and prints one line per
figure: registrations/s, circulate+return cycles/s, ledger page query time, audit rows verified/s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def setup_django(tmp: str, database: str = "baomi_bench") -> None:
    """Django on a throw-away database: a SQLite file in `tmp`, or with DATABASE_URL naming a
    PostgreSQL server the database `database` on it, dropped and made afresh."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "baomi.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        from django.test.utils import setup_databases

        # A database of its own, so the benchmark never touches real data or a test run's.
        settings.DATABASES["default"]["TEST"]["NAME"] = database
        setup_databases(verbosity=0, interactive=False, keepdb=False)
    else:
        call_command("migrate", verbosity=0)


def own_database(default: str) -> str:
    """The database a benchmark that writes may drop and remake: the one DATABASE_URL names
    when its name says it is a benchmark's (baomi_bench_…), else `default` on that server —
    never baomi_scale, a test run's or real data."""
    name = os.environ.get("DATABASE_URL", "").rpartition("/")[2].partition("?")[0]
    return name if name.startswith("baomi_bench_") else default


def timed(label: str, count: int, unit: str, fn) -> None:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"{label}: {count / elapsed:,.0f} {unit}/s ({count} in {elapsed:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=2000)
    parser.add_argument("--per-registration", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        run(args.carriers, args.per_registration)


def run(total: int, per_registration: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baomi.audit.trail import verify
    from baomi.carriers import actions
    from baomi.carriers.selectors import carriers_visible_to
    from tests.factories import build_world, receive

    print(f"database: {connection.vendor}, carriers: {total}")
    w = build_world()
    batches = total // per_registration
    made = []
    timed(
        "register",
        batches * per_registration,
        "carriers",
        lambda: made.extend(c for _ in range(batches) for c in receive(w, copies=per_registration)),
    )
    sample = made[: min(500, len(made))]

    def cycles():
        for carrier in sample:
            actions.circulate(w.clerk, carrier, w.zhang)
            actions.return_to_registry(w.clerk, carrier)

    timed("circulate+return", len(sample), "cycles", cycles)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        page = list(carriers_visible_to(w.zhang).select_related("holder", "place")[:50])
        elapsed = (time.perf_counter() - start) * 1000
    print(
        f"ledger page (50 of {total}, as 张三): {elapsed:.1f} ms, {len(queries)} queries, {len(page)} rows"
    )
    result = {}
    timed("audit verify", _audit_rows(), "rows", lambda: result.update(ok=verify().ok))
    print(f"audit chain ok: {result['ok']}")


def _audit_rows() -> int:
    from baomi.audit.models import AuditEvent

    return AuditEvent.objects.count()


if __name__ == "__main__":
    main()
