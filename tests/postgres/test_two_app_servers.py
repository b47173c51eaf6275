"""Beyond one machine (issue 13, docs/operations.md): two app servers — two gunicorn processes,
as two machines behind a load balancer would run them — serve one PostgreSQL correctly under
concurrent actions: no duplicate 统一编号, no lost update, one winner of a race for one copy."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import Carrier, CustodyEvent, NumberSequence
from baomi.org import actions as org
from tests.api.test_api_rules import received
from tests.factories import build_world, receive

SRC = Path(__file__).resolve().parents[2] / "src"
WRITERS = 6
WRITES_EACH = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_server(port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(SRC), DATABASE_URL=_database_url(), BAOMI_VAR_DIR=str(settings.VAR_DIR)
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [str(gunicorn), "-b", f"127.0.0.1:{port}", "-w", "2", "baomi.wsgi:application"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _call(port: int, path: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode())
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError("app server did not start")


@pytest.fixture
def two_servers(committed_db):
    ports = [_free_port(), _free_port()]
    servers = [_start_server(port) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_ready(port, server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


@pytest.mark.postgres
def test_two_app_servers_share_one_database_under_concurrent_actions(two_servers):
    w = build_world()
    token = org.create_token(w.clerk, w.clerk, label="two servers")
    raced = receive(w, scope_people=[w.zhang, w.leader])
    answers: list[tuple[int, dict]] = []
    race: list[int] = []

    def writer(n: int) -> None:
        for i in range(WRITES_EACH):
            port = two_servers[(n + i) % 2]
            answers.append(
                _call(port, "carriers", token, received(w, copies=2, title=f"并发{n}-{i}"))
            )

    def racer(n: int) -> None:
        reader = (w.zhang, w.leader)[n % 2]
        status, _ = _call(
            two_servers[n % 2], f"carriers/{raced.pk}/circulate", token, {"reader_id": reader.pk}
        )
        race.append(status)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    threads += [threading.Thread(target=racer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [s for s, _ in answers] == [201] * WRITERS * WRITES_EACH, answers
    # No duplicate 统一编号: every registration got its own, the copies share it.
    numbers = [body[0]["number"] for _, body in answers]
    assert len(set(numbers)) == len(numbers)
    registered = Carrier.objects.exclude(pk=raced.pk)
    assert registered.count() == 2 * len(numbers)
    assert registered.values("number").distinct().count() == len(numbers)
    sequence = NumberSequence.objects.get(unit=w.unit, year=int(numbers[0][:4]))
    assert sequence.last == len(numbers) + 1  # the raced carrier took the first
    # One winner of the race for one copy, the others a clear refusal — and no lost update: the
    # carrier's state is the winner's, with exactly one circulate event.
    # (409 when a loser finds the state changed, 403 CR-4 when it finds the carrier already
    # with another holder.)
    assert sorted(race)[0] == 200 and all(s in (403, 409) for s in sorted(race)[1:]), race
    raced.refresh_from_db()
    assert raced.status == Status.CIRCULATING
    events = CustodyEvent.objects.filter(carrier=raced, kind=EventKind.CIRCULATE)
    assert events.count() == 1 and events.get().holder_after_id == raced.holder_id
