"""Custody actions per second through the action layer, against the floor: the identical SQL
statements of the same actions (audit insert included) issued through psycopg, at 1, 2 and 4
clients, interleaved in the same run (issue 10; goals ≥ 0.5× at 1 client, ≥ 0.3× at 4, and
growing with clients).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/audit_throughput.py

PostgreSQL only (its own database `baomi_bench_throughput`, or BENCH_DATABASE). Each client is a process with its
own connection cycling its own carriers (circulate, then return: two actions). The floor replays,
per carrier, the statements the action layer itself issued for it (captured with Django's
execute_wrapper in a warm-up pass), in one transaction per action, each new audit row numbered
from the sequence as `record` numbers it. The sequencer is not running during the measured runs;
its own speed is printed after them.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CARRIERS_PER_CLIENT = 12


def setup_django(tmp: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("BAOMI_VAR_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "baomi.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("需要 PostgreSQL：DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATABASES["default"]["TEST"]["NAME"] = os.environ.get(
        "BENCH_DATABASE", "baomi_bench_throughput"
    )
    setup_databases(verbosity=0, interactive=False, keepdb=False)


def prepare(clients: int):
    """The world, carriers for each client, and each carrier's captured statements."""
    from django.db import connection

    from baomi.carriers import actions
    from baomi.classification.choices import Level
    from tests.factories import build_world, receive

    w = build_world()
    per_client = []
    for _ in range(clients):
        per_client.append(list(receive(w, level=Level.CONFIDENTIAL, copies=CARRIERS_PER_CLIENT)))
    statements: dict[int, list[list[tuple[str, tuple]]]] = {}
    for carrier in (c for group in per_client for c in group):
        captured: list[list[tuple[str, tuple]]] = []
        for act in (
            lambda c=carrier: actions.circulate(w.clerk, c, w.zhang),
            lambda c=carrier: actions.return_to_registry(w.clerk, c),
        ):
            log: list[tuple[str, tuple]] = []

            def wrap(execute, sql, params, many, context, log=log):
                log.append((sql, tuple(params) if params else None))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(wrap):
                act()
            captured.append(log)
        statements[carrier.pk] = captured
    return w, per_client, statements


def action_client(world, carriers, seconds: float, out) -> None:
    from django.db import connection

    from baomi.carriers import actions

    connection.close()  # a connection of its own
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for carrier in carriers:
            actions.circulate(world.clerk, carrier, world.zhang)
            actions.return_to_registry(world.clerk, carrier)
            done += 2
    out.put((done, time.perf_counter() - start))
    connection.close()


def audit_client(world, carriers, seconds: float, out) -> None:
    """Audit rows alone, one transaction each: the old chain's head lock held these near
    100 rows/s however many clients wrote."""
    from django.db import connection, transaction

    from baomi.audit.trail import record

    connection.close()
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for carrier in carriers:
            with transaction.atomic():
                record("bench.audit", world.clerk, carrier)
            done += 1
    out.put((done, time.perf_counter() - start))
    connection.close()


def floor_client(conninfo: str, scripts, seconds: float, out) -> None:
    import psycopg

    # Client-side binding, as Django issues them: the very same statement text reaches the server.
    conn = psycopg.connect(conninfo, autocommit=False, cursor_factory=psycopg.ClientCursor)
    cursor = conn.cursor()
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for script in scripts:
            for action in script:
                seq = None
                for sql, params in action:
                    if sql.startswith('INSERT INTO "audit_auditevent"'):
                        params = (seq, *params[1:])  # numbered as record() numbers it
                    cursor.execute(sql, params)
                    if cursor.description:
                        rows = cursor.fetchall()
                        if "nextval(" in sql:
                            # The audit number, drawn by its own SELECT or with the row lock.
                            names = [column.name for column in cursor.description]
                            at = names.index("_audit_seq") if "_audit_seq" in names else 0
                            seq = rows[0][at]
                conn.commit()
                done += 1
    out.put((done, time.perf_counter() - start))
    conn.close()


def run(target, args_of, clients: int) -> float:
    """Actions per second of `clients` processes started together."""
    from django.db import connections

    connections.close_all()
    out = mp.Queue()
    procs = [mp.Process(target=target, args=(*args_of(i), out)) for i in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return sum(done for done, _ in results) / max(elapsed for _, elapsed in results)


def conninfo() -> str:
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return " ".join(f"{k}={v}" for k, v in params.items() if v not in (None, "") and k != "options")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        mp.set_start_method("fork")
        world, per_client, statements = prepare(max(counts))
        info = conninfo()
        figures = {}
        for clients in counts:
            actions_, floors = [], []
            for _ in range(args.runs):
                actions_.append(
                    run(action_client, lambda i: (world, per_client[i], args.seconds), clients)
                )
                floors.append(
                    run(
                        floor_client,
                        lambda i: (info, [statements[c.pk] for c in per_client[i]], args.seconds),
                        clients,
                    )
                )
            a, f = statistics.median(actions_), statistics.median(floors)
            figures[clients] = a
            goal = "≥ 0.50×" if clients == 1 else ("≥ 0.30×" if clients >= 4 else "—")
            print(
                f"custody actions, {clients} client(s): {a:,.0f} actions/s; same SQL via psycopg: "
                f"{f:,.0f}/s; ratio {a / f:.2f}× (goal {goal}) — median of {args.runs}"
            )
        for clients in counts:
            rows = statistics.median(
                run(audit_client, lambda i: (world, per_client[i], args.seconds), clients)
                for _ in range(args.runs)
            )
            print(f"audit rows alone (record), {clients} client(s): {rows:,.0f} rows/s")
        if len(figures) > 1:
            first, last = figures[counts[0]], figures[counts[-1]]
            print(
                f"growth {counts[0]}→{counts[-1]} clients: {last / first:.2f}× "
                "(goal: grows with clients, > 1.00×)"
            )
        from baomi.audit.models import AuditEvent
        from baomi.audit.sequencer import seal

        load = os.getloadavg()[0]
        print(f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs")

        start = time.perf_counter()
        sealed = seal()
        elapsed = time.perf_counter() - start
        # Rows of transactions newer than one still writing anywhere on the server wait.
        waiting = AuditEvent.objects.filter(leaf__isnull=True).count()
        print(
            f"sequencer: sealed {sealed} rows in {elapsed:.2f} s = {sealed / elapsed:,.0f} rows/s"
            f" ({waiting} waiting for older transactions on the server to end)"
        )


if __name__ == "__main__":
    main()
