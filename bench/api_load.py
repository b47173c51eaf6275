"""The API under load: gunicorn as production runs it, clerks driven by locust (headless).

    .venv/bin/python bench/api_load.py [--carriers 20000] [--workers 4]
    (PostgreSQL from DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432)

Makes its own database `bench_load` (`baomi bench generate --carriers N`: the first unit holds
half of them), starts `baomi audit seal` and gunicorn (`--workers N`, 127.0.0.1, as
docs/operations.md), gives each virtual user a bearer token of one of the big unit's two clerks
and carriers of its own (bench/api_load_locustfile.py: 70% reads — ledger lists with filters,
search, a carrier, its history, alerts, statistics — 30% 传阅 and 归还), then runs locust twice:
- 50 users each waiting 1–3 s between requests, as clerks do, 60 s: p50, p99, errors, requests/s
  (goal p99 < 300 ms and 0 errors);
- the saturation throughput: 20 users without wait, 30 s (reported).
Percentiles are over every request of the run. Everything it started is stopped and the database
dropped at the end, also on failure or Ctrl-C. 4–5 minutes here, half of it making the data.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, redirect_stdout, suppress
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = "bench_load"
GOAL_P99_MS = 300
SLOTS = 50  # virtual users with carriers of their own (the most users of either run)
CARRIERS_PER_SLOT = 8
SEARCH_TERMS = ("保密", "应急管理", "粮", "数据安全", "会议纪要")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def django_against(server: str, var_dir: Path) -> None:
    os.environ.update(DATABASE_URL=f"{server}/{DATABASE}", BAOMI_VAR_DIR=str(var_dir))
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "baomi.settings"
    import django

    django.setup()


def database_exists(server: str) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres") as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        return conn.execute(query, (DATABASE,)).fetchone() is not None


def make_database(server: str, carriers: int, var_dir: Path) -> None:
    """Migrated and generated without an fsync per commit; the load runs with the default."""
    admin(server, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin(server, f'CREATE DATABASE "{DATABASE}"')
    admin(server, f'ALTER DATABASE "{DATABASE}" SET synchronous_commit = off')
    django_against(server, var_dir)
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - start
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("bench", "generate", "--carriers", str(carriers))
    generated = time.perf_counter() - start - migrated
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    admin(server, f'ALTER DATABASE "{DATABASE}" RESET synchronous_commit')
    summary = out.getvalue().strip().splitlines()[0]
    print(f"# {summary}; migrate {migrated:.0f} s, generate {generated:.0f} s", flush=True)


def make_plan(path: Path) -> str:
    """Tokens of the big unit's clerks and, per virtual user, carriers in the registry each with
    a reader the rules allow (PER-1, CR-4, CL-12): checked with the action's own rule."""
    from django.contrib.auth import get_user_model

    from baomi.accounts.models import Account
    from baomi.carriers.choices import Status
    from baomi.carriers.models import Carrier
    from baomi.carriers.rules import require_may_hold
    from baomi.classification.choices import Level
    from baomi.lib.errors import RuleViolation
    from baomi.org import actions as org
    from baomi.org.models import Department, Person

    rng = random.Random(13)
    from baomi.org.models import Unit

    unit = Unit.objects.filter(code__startswith="BENCH").order_by("id").first()
    clerks = list(Person.objects.filter(unit=unit, is_registry_clerk=True).order_by("id"))
    for clerk in clerks:
        if clerk.user_id is None:
            clerk.user = get_user_model().objects.create_user(
                f"load-clerk-{clerk.pk}", password="bench-password-1A!"
            )
            clerk.save(update_fields=["user"])
        Account.objects.get_or_create(user_id=clerk.user_id)
    staff = list(Person.objects.filter(unit=unit, active=True, is_registry_clerk=False))
    by_department: dict[int, list[Person]] = {}
    for person in staff:
        by_department.setdefault(person.department_id, []).append(person)
    candidates = list(
        Carrier.objects.filter(unit=unit, status=Status.IN_REGISTRY)
        .exclude(level=Level.TOP_SECRET)
        .prefetch_related("scope_departments")
        .order_by("?")[: SLOTS * CARRIERS_PER_SLOT * 3]
    )
    chosen = []
    for carrier in candidates:
        readers = [p for d in carrier.scope_departments.all() for p in by_department.get(d.pk, ())]
        rng.shuffle(readers)
        for reader in readers[:5]:
            try:
                require_may_hold(reader, carrier)
            except RuleViolation:
                continue
            chosen.append({"id": carrier.pk, "reader_id": reader.pk})
            break
        if len(chosen) == SLOTS * CARRIERS_PER_SLOT:
            break
    if len(chosen) < SLOTS * CARRIERS_PER_SLOT:
        sys.exit(f"可传阅的载体不足：{len(chosen)}（需要 {SLOTS * CARRIERS_PER_SLOT}）")
    users = []
    for slot in range(SLOTS):
        clerk = clerks[slot % len(clerks)]
        users.append(
            {
                "token": org.create_token(clerk, clerk, label=f"load {slot}"),
                "carriers": chosen[slot::SLOTS],
            }
        )
    ids = list(Carrier.objects.filter(unit=unit).values_list("pk", flat=True))
    plan = {
        "users": users,
        "departments": list(Department.objects.filter(unit=unit).values_list("pk", flat=True)),
        "sample_ids": rng.sample(ids, min(500, len(ids))),
        "terms": list(SEARCH_TERMS),
    }
    path.write_text(json.dumps(plan), encoding="utf-8")
    return f"unit {unit.code}: {len(ids):,} carriers, {len(clerks)} clerks"


def return_leftovers(plan: Path) -> int:
    """Back to the registry what a run left out (a user stopped between 传阅 and 归还), through
    the action, so the next run starts from the generated state."""
    from django.db import connections

    from baomi.carriers import actions
    from baomi.carriers.choices import Status
    from baomi.carriers.models import Carrier
    from baomi.lib.errors import InvalidState
    from baomi.org.models import Person

    ids = [c["id"] for user in json.loads(plan.read_text())["users"] for c in user["carriers"]]
    out = list(Carrier.objects.filter(pk__in=ids, status=Status.CIRCULATING))
    if out:
        clerk = Person.objects.filter(unit_id=out[0].unit_id, is_registry_clerk=True).first()
        for carrier in out:
            with suppress(InvalidState):  # returned meanwhile by the run's last request
                actions.return_to_registry(clerk, carrier)
    connections.close_all()
    return len(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def started(stack: ExitStack, argv: list[str], log: Path) -> subprocess.Popen:
    """A process of ours, ended (TERM, then KILL) when the benchmark leaves, however it leaves."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    handle = log.open("wb")
    process = subprocess.Popen(argv, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        handle.close()

    stack.callback(stop)
    return process


def wait_ready(host: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit(f"gunicorn 未能启动：\n{log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"{host}/api/v1/alerts", timeout=2).close()
            return
        except urllib.error.HTTPError:  # 401 without a token: it answers
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    sys.exit("gunicorn 未在 60 秒内就绪")


def warm_up(host: str, plan: Path, workers: int) -> None:
    """Each worker imports its views and opens its caches before the clock starts."""
    token = json.loads(plan.read_text())["users"][0]["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(workers * 3):
        for path in ("/api/v1/carriers", "/api/v1/alerts", "/api/v1/statistics/carriers"):
            request = urllib.request.Request(f"{host}{path}", headers=headers)
            urllib.request.urlopen(request, timeout=60).read()


def cpu_seconds(server: str, app: list[int]) -> dict[str, float]:
    """CPU used so far by the app server (gunicorn and its workers, the sequencer) and by the
    PostgreSQL backends of the database: per request, it is what the machine's load does not
    change (the wall times above grow 2–4× when other work shares the two cores)."""
    import psutil
    import psycopg

    def used(pids) -> float:
        total = 0.0
        for pid in pids:
            with suppress(psutil.Error):
                times = psutil.Process(pid).cpu_times()
                total += times.user + times.system
        return total

    with psycopg.connect(f"{server}/postgres") as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (DATABASE,)
        ).fetchall()
    workers = [c.pid for pid in app[:1] for c in psutil.Process(pid).children()]
    return {"app": used([*app, *workers]), "postgres": used(pid for (pid,) in backends)}


def run_locust(
    stack: ExitStack,
    host: str,
    server: str,
    app: list[int],
    plan: Path,
    work: Path,
    name: str,
    *,
    users: int,
    seconds: int,
    wait: bool,
) -> dict:
    """One headless locust run; its stats CSV rows by name ("Aggregated" for the whole)."""
    argv = [
        str(BIN / "locust"),
        "-f", str(ROOT / "bench" / "api_load_locustfile.py"),
        "--headless", "--only-summary", "--loglevel", "WARNING",
        "-u", str(users), "-r", str(min(users, 10)), "-t", f"{seconds}s",
        "--host", host, "--csv", str(work / name), "--exit-code-on-error", "0",
        # At the end each user finishes its request: none is left running in the server.
        "--stop-timeout", "30",
    ]  # fmt: skip
    os.environ.update(BAOMI_LOAD_PLAN=str(plan), BAOMI_LOAD_WAIT="1" if wait else "0")
    log = work / f"{name}.log"
    before = cpu_seconds(server, app)
    locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = started(stack, argv, log)
    process.wait(timeout=seconds + 120)
    after = cpu_seconds(server, app)
    locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    with (work / f"{name}_stats.csv").open(encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    refused = [ln for ln in log.read_text().splitlines() if ln.startswith("refused actions")]
    rows["Aggregated"]["refused"] = refused[-1].rsplit(" ", 1)[-1] if refused else "?"
    failures = work / f"{name}_failures.csv"
    rows["failures"] = list(csv.DictReader(failures.open(encoding="utf-8")))
    rows["cpu"] = {k: after[k] - before[k] for k in after}
    rows["cpu"]["locust"] = sum(
        getattr(locust_after, f) - getattr(locust_before, f) for f in ("ru_utime", "ru_stime")
    )
    return rows


def report(label: str, rows: dict, *, goal: bool) -> None:
    total = rows["Aggregated"]
    count, errors = int(total["Request Count"]), int(total["Failure Count"])
    p50, p99 = float(total["50%"]), float(total["99%"])
    rate = float(total["Requests/s"])
    if goal:
        p99_verdict = "OK" if p99 < GOAL_P99_MS else "MISSED"
        error_verdict = "OK" if errors == 0 else "MISSED"
        print(f"{label}: p50 {p50:.0f} ms (reported)")
        print(f"{label}: p99 {p99:.0f} ms (goal p99 < {GOAL_P99_MS} ms: {p99_verdict})")
        print(f"{label}: errors {errors} of {count:,} requests (goal 0: {error_verdict})")
        print(f"{label}: {rate:.1f} requests/s (reported)")
    else:
        print(
            f"{label}: {rate:.1f} requests/s (reported; p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
            f"errors {errors} of {count:,})"
        )
    print(f"#   load average {load_average()}; refused actions (409): {total['refused']}")
    cpu = rows["cpu"]
    print(
        f"#   CPU per request: app {cpu['app'] * 1000 / max(count, 1):.0f} ms, PostgreSQL "
        f"{cpu['postgres'] * 1000 / max(count, 1):.0f} ms (locust itself "
        f"{cpu['locust'] * 1000 / max(count, 1):.0f} ms); at 2 idle cores that is "
        f"{2 * count / max(cpu['app'] + cpu['postgres'], 0.001):.0f} requests/s at most"
    )
    endpoints = sorted(
        (r for n, r in rows.items() if n not in ("Aggregated", "failures", "cpu")),
        key=lambda r: -float(r["99%"]),
    )
    for row in endpoints:
        print(
            f"#   {row['Name']:<28} {int(row['Request Count']):>6} requests, "
            f"p50 {float(row['50%']):>5.0f} ms, p99 {float(row['99%']):>5.0f} ms, "
            f"errors {row['Failure Count']}"
        )
    for failure in rows["failures"][:5]:
        print(f"#   error: {failure['Method']} {failure['Name']} ×{failure['Occurrences']}: "
              f"{failure['Error'][:160]}")  # fmt: skip
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4, choices=(2, 3, 4))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--saturation-users", type=int, default=20)
    parser.add_argument("--saturation-seconds", type=int, default=30)
    parser.add_argument(
        "--connection-per-request",
        action="store_true",
        help="gunicorn with ?conn_max_age=0 (as before persistent connections; the PostgreSQL "
        "CPU per request then reads 0: its backends end with each request)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep {DATABASE} after the run and use it again next time (for profiling; drop "
        "it by hand when done)",
    )
    args = parser.parse_args()
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x")
    server = f"postgresql://{url.netloc}"
    print(f"# load average at start {load_average()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        work = Path(tmp)
        if args.keep and database_exists(server):
            django_against(server, work / "var")
        else:
            if not args.keep:
                stack.callback(admin, server, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            make_database(server, args.carriers, work / "var")
        plan = work / "plan.json"
        print(f"# {make_plan(plan)}; {SLOTS} API tokens", flush=True)
        from django.db import connections

        connections.close_all()
        baomi = [sys.executable, "-m", "baomi.cli"]
        sealer = started(stack, [*baomi, "audit", "seal"], work / "seal.log")
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        gunicorn_log = work / "gunicorn.log"
        if args.connection_per_request:
            os.environ["DATABASE_URL"] += "?conn_max_age=0"
        gunicorn = started(
            stack,
            [str(BIN / "gunicorn"), "baomi.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--timeout", "60", "--preload"],
            gunicorn_log,
        )  # fmt: skip
        wait_ready(host, gunicorn, gunicorn_log)
        warm_up(host, plan, args.workers)
        print(f"# gunicorn {args.workers} workers on {host}; load average {load_average()}")
        app = [gunicorn.pid, sealer.pid]
        waited = run_locust(
            stack, host, server, app, plan, work, "wait", users=50, seconds=args.seconds, wait=True
        )
        report(f"API load, 50 users waiting 1–3 s, {args.seconds} s", waited, goal=True)
        print(f"#   returned after the run: {return_leftovers(plan)} carriers", flush=True)
        saturated = run_locust(
            stack, host, server, app, plan, work, "nowait", users=args.saturation_users,
            seconds=args.saturation_seconds, wait=False,
        )  # fmt: skip
        report(
            f"API saturation, {args.saturation_users} users without wait, "
            f"{args.saturation_seconds} s",
            saturated,
            goal=False,
        )
        print(f"#   returned after the run: {return_leftovers(plan)} carriers", flush=True)


if __name__ == "__main__":
    main()
