"""The clerks of bench/api_load.py: 70% reads, 30% custody actions through the API.

    locust -f bench/api_load_locustfile.py --headless --host http://127.0.0.1:PORT
    (BAOMI_LOAD_PLAN=plan.json, written by bench/api_load.py; BAOMI_LOAD_WAIT=0 for no wait)

Each virtual user takes its own slot of the plan: a bearer token of one of the big unit's clerks
and carriers of its own, in the registry, each with a reader in its 知悉范围 — so two users never
race for one carrier's lock. An action alternates per carrier: 传阅 to the reader, then 归还, so
the ledger's state mix stays as generated. Counted as an error: any 5xx, any 4xx on a read, and a
refused action other than 409 (the carrier moved meanwhile: counted apart as "refused").
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, constant, events, task

with open(os.environ["BAOMI_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
SLOTS = itertools.count()
REFUSED = {"count": 0}

# One request in ten of each kind is a list: the filters clerks use (docs: GET /api/v1/carriers).
LIST_QUERIES = (
    {},
    {"status": "in_registry", "level": "secret"},
    {"status": "on_loan"},
    {"overdue": "true"},
    {"ordering": "number", "page": "2"},
    {"ordering": "title"},
)


@events.quitting.add_listener
def _report_refusals(environment, **_kw) -> None:
    print(f"refused actions (409): {REFUSED['count']}", flush=True)


class Clerk(HttpUser):
    wait_time = constant(0) if os.environ.get("BAOMI_LOAD_WAIT") == "0" else between(1, 3)

    def on_start(self) -> None:
        slot = PLAN["users"][next(SLOTS) % len(PLAN["users"])]
        self.client.headers["Authorization"] = f"Bearer {slot['token']}"
        self.mine = list(slot["carriers"])
        self.out: list[dict] = []  # circulated by this user, to return next
        self.rng = random.Random(slot["token"])

    def _get(self, path: str, name: str, params: dict | None = None) -> None:
        with self.client.get(path, params=params, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    # --- reads: 70 of 100 requests -------------------------------------------------------------

    @task(22)
    def ledger_list(self) -> None:
        self._get("/api/v1/carriers", "GET /carriers?filters", self.rng.choice(LIST_QUERIES))

    @task(6)
    def ledger_by_department(self) -> None:
        department = self.rng.choice(PLAN["departments"])
        self._get("/api/v1/carriers", "GET /carriers?department", {"department": department})

    @task(6)
    def ledger_search(self) -> None:
        self._get("/api/v1/carriers", "GET /carriers?q", {"q": self.rng.choice(PLAN["terms"])})

    @task(16)
    def carrier_detail(self) -> None:
        carrier = self.rng.choice(PLAN["sample_ids"])
        self._get(f"/api/v1/carriers/{carrier}", "GET /carriers/{id}")

    @task(6)
    def carrier_events(self) -> None:
        carrier = self.rng.choice(PLAN["sample_ids"])
        self._get(f"/api/v1/carriers/{carrier}/events", "GET /carriers/{id}/events")

    @task(7)
    def alerts(self) -> None:
        self._get("/api/v1/alerts", "GET /alerts")

    @task(7)
    def statistics(self) -> None:
        self._get("/api/v1/statistics/carriers", "GET /statistics/carriers")

    # --- custody actions: 30 of 100 requests ---------------------------------------------------

    @task(30)
    def custody_action(self) -> None:
        if self.out and (not self.mine or self.rng.random() < 0.5):
            carrier = self.out.pop(0)
            path, name, body = f"/api/v1/carriers/{carrier['id']}/return", "POST return", {}
            done = self.mine
        else:
            carrier = self.mine.pop(0)
            path, name = f"/api/v1/carriers/{carrier['id']}/circulate", "POST circulate"
            body, done = {"reader_id": carrier["reader_id"]}, self.out
        with self.client.post(path, json=body, name=name, catch_response=True) as response:
            if response.status_code == 200:
                done.append(carrier)
            elif response.status_code == 409:
                REFUSED["count"] += 1
                response.success()
                self.mine.append(carrier)  # try it again later, from whatever state it is in
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                self.mine.append(carrier)
