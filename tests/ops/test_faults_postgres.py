"""No answered write is lost and none is done twice while PostgreSQL kills the connections
(issue 10, item 7): writers register carriers through the API with Idempotency-Keys, retrying
5xx answers with the same key, while every backend is terminated again and again."""

from __future__ import annotations

import json
import random
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from baomi.carriers.choices import EventKind
from baomi.carriers.models import Carrier, CustodyEvent
from tests.api.helpers import BASE, api_as
from tests.api.test_api_rules import received
from tests.factories import build_world

WRITERS = 3
WRITES_EACH = 6
# On a fast machine six writes each can all slip between two kills; writers then go on until a
# kill has hit a request, so the test always proves something, within this bound.
MAX_WRITES_EACH = 60
TITLE = "断线测试"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：DATABASE_URL=postgres://postgres@127.0.0.1:5432/<库名>")


def _killer(stop: threading.Event, killed: list[int]) -> None:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        while not stop.is_set():
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            ).fetchall()
            killed.append(sum(1 for (ok,) in rows if ok))
            # Often enough to hit requests mid-flight (connect, action, commit), seldom enough
            # that a request can also get through.
            time.sleep(random.uniform(0.05, 0.5))


unavailable: list[str] = []


def _writer(client, world, number: int, answers: list, failures: list) -> None:
    from django.db import close_old_connections

    for i in range(MAX_WRITES_EACH):
        if i >= WRITES_EACH and (unavailable or failures):
            break
        key = f"writer-{number}-{i}"
        body = json.dumps(received(world, title=f"{TITLE}{number}-{i}"))
        for _attempt in range(200):
            # What a real server does at the end of every request (Django's test client
            # disconnects it): a connection broken by a kill is dropped, the next request
            # connects again.
            close_old_connections()
            try:
                response = client.client.post(
                    BASE + "carriers",
                    data=body,
                    content_type="application/json",
                    HTTP_AUTHORIZATION=client.header,
                    HTTP_IDEMPOTENCY_KEY=key,
                )
            except Exception as error:  # the client saw no answer: retry with the same key
                failures.append(repr(error))
                time.sleep(0.05)
                continue
            if response.status_code >= 500:
                assert response.status_code == 503, response.content
                assert response.json()["error"]["code"] == "unavailable"
                unavailable.append(key)
                time.sleep(0.05)
                continue
            assert response.status_code == 201, response.content
            answers.append((key, [c["id"] for c in response.json()]))
            break
        else:
            failures.append(f"{key}: never answered")
    connection.close()


@pytest.mark.postgres
def test_killed_connections_lose_no_answered_write_and_double_none(committed_db):
    from django.test import Client

    world = build_world()
    clients = []
    for _ in range(WRITERS):
        client = api_as(world, world.clerk)
        client.client = Client(raise_request_exception=False)
        clients.append(client)
    answers: list = []
    failures: list = []
    killed: list[int] = []
    stop = threading.Event()
    killer = threading.Thread(target=_killer, args=(stop, killed))
    writers = [
        threading.Thread(target=_writer, args=(c, world, n, answers, failures))
        for n, c in enumerate(clients)
    ]
    killer.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=300)
    stop.set()
    killer.join()
    connection.close()

    assert sum(killed) > 0, "no connection was terminated: the test proved nothing"
    assert unavailable or failures, "no request was hit by a terminated connection"
    assert not [f for f in failures if "never answered" in f], failures
    assert len(answers) >= WRITERS * WRITES_EACH
    answered_ids = [i for _, ids in answers for i in ids]
    stored = Carrier.objects.filter(title__startswith=TITLE)
    # Every answered write is there, exactly once: a retry never registered a second carrier.
    assert sorted(stored.values_list("pk", flat=True)) == sorted(answered_ids)
    assert len(set(answered_ids)) == len(answers)
    for carrier in stored:
        assert CustodyEvent.objects.filter(carrier=carrier, kind=EventKind.REGISTER).count() == 1
    call_command("audit", "verify")  # exits 1 if the trail is broken
