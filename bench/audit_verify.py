"""`audit verify` speed against the floor: hashing the same canonical bytes with the same hash in a
tight loop (issue 10, goal ≥ 0.3×).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/audit_verify.py --rows 50000

Builds its own database (a temp SQLite file, or `baomi_bench_verify` on the PostgreSQL server),
writes `--rows` audit rows shaped like custody actions through `record`, seals them (several
processes walk the leaves when the log is large enough, as `verify` does on PostgreSQL), then runs
`verify` (sealing already done, so it only recomputes) and the tight loop `--runs` times each,
interleaved, and prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(tmp: str, name: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("BAOMI_VAR_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "baomi.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A database of its own, so the benchmark never touches real data or a test run's.
    settings.DATABASES["default"]["TEST"]["NAME"] = (
        name if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else None
    ) or f"{tmp}/bench-test.sqlite3"
    setup_databases(verbosity=0, interactive=False, keepdb=False)


def write_rows(total: int) -> None:
    from django.db import transaction

    from baomi.audit.sequencer import seal
    from baomi.audit.trail import record
    from baomi.carriers.models import Carrier
    from tests.factories import build_world, receive

    w = build_world()
    carrier: Carrier = receive(w)
    done = 0
    # One transaction that seals its own rows: on a shared server the sequencer seals other
    # transactions' rows only once every older transaction anywhere on it has ended.
    with transaction.atomic():
        while done < total:
            for i in range(min(1000, total - done)):
                kind = ("carrier.circulate", "carrier.return")[i % 2]
                record(
                    kind,
                    w.clerk,
                    carrier,
                    before={"status": "in_registry", "holder": None, "place": "机要室保密柜"},
                    after={"status": "circulating", "holder": "张三", "due": "2027-01-06"},
                )
            done += min(1000, total - done)
        seal()


def canonical_rows() -> list[bytes]:
    from baomi.audit.models import AuditEvent
    from baomi.audit.trail import HASHED_FIELDS, canonical

    return [canonical(row) for row in AuditEvent.objects.order_by("seq").values(*HASHED_FIELDS)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp, os.environ.get("BENCH_DATABASE", "baomi_bench_verify"))
        from cryptography.hazmat.primitives import hashes
        from django.conf import settings
        from django.db import connection

        from baomi.audit.verification import verify
        from baomi.lib.crypto import ALGORITHMS

        write_rows(args.rows)
        data = canonical_rows()
        kind = ALGORITHMS[settings.BAOMI_AUDIT_HASH]

        empty = hashes.Hash(kind())

        def floor() -> None:
            # The faster of the library's two ways to start a hash (a copy of an empty one).
            for b in data:
                h = empty.copy()
                h.update(b)
                h.finalize()

        verify_times, floor_times = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = verify(seal_first=False)
            verify_times.append(time.perf_counter() - start)
            # Every row hashed: the sealed leaves, and rows still waiting for a transaction
            # elsewhere on the shared server to end (the sequencer cannot seal past it).
            assert result.ok and result.checked == len(data), result.problems
            start = time.perf_counter()
            floor()
            floor_times.append(time.perf_counter() - start)
        n = len(data)
        v, f = statistics.median(verify_times), statistics.median(floor_times)
        print(
            f"audit verify ({connection.vendor}, {settings.BAOMI_AUDIT_HASH}, {n} rows): "
            f"{n / v:,.0f} rows/s; hashing the same bytes: {n / f:,.0f} rows/s; "
            f"ratio {f / v:.2f}× (goal ≥ 0.30×) — median of {args.runs}"
        )


if __name__ == "__main__":
    main()
