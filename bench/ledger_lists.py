"""Ledger page and GET /api/v1/carriers at scale: p50/p95 server time per case.

    DATABASE_URL=postgres://…/baomi_scale .venv/bin/python bench/ledger_lists.py [--runs 15]

Reads the database `baomi bench generate` filled; signs in the biggest unit's 核心 clerk (who
sees every carrier of the unit). Server time is the in-process request time (Django's test
client: middleware, view, queries, template), without network. Goal: p95 < 100 ms each case.
"""

from __future__ import annotations

import argparse

from scale_common import big_unit, report, setup, signed_in, timed

GOAL_MS = 100


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup()
    from baomi.carriers.models import Carrier
    from baomi.classification.choices import Level
    from baomi.org.models import Department, Person

    unit = big_unit()
    clerk = Person.objects.filter(unit=unit, is_registry_clerk=True).order_by("id").first()
    client, token = signed_in(clerk, f"bench-clerk-{unit.pk}")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    total = Carrier.objects.filter(unit=unit).count()
    department = Department.objects.filter(unit=unit).order_by("id").first()
    sample = Carrier.objects.filter(unit=unit).order_by("-id").first()
    print(f"# unit {unit.code}: {total:,} carriers; clerk {clerk.name} (核心)", flush=True)
    deep = client.get("/api/v1/carriers", {"page": 499, "page_size": 25}, **headers).json()["next"]
    cases = {
        "filter level+status+department": {
            "level": Level.SECRET,
            "status": "in_registry",
            "department": department.pk,
        },
        "title substring (2 characters: 保密)": {"q": "保密"},
        "title substring (1 character: 粮)": {"q": "粮"},
        "title substring (4 characters: 应急管理)": {"q": "应急管理"},
        "sort by title": {"ordering": "title", "sort": "title"},
        "page 1": {},
        "page 500": {"page": 500},
        "exact number": {"q": sample.label},
    }
    for name, params in cases.items():
        api_params = {k: v for k, v in params.items() if k != "sort"}
        report(
            f"API list, {name}",
            timed(lambda p=api_params: client.get("/api/v1/carriers", p, **headers), args.runs),
            GOAL_MS,
        )
    path, _, query = deep.partition("?")
    report(
        "API list, cursor at row 12,500 (next link)",
        timed(lambda: client.get(f"{path}?{query}", **headers), args.runs),
        GOAL_MS,
    )
    for name, params in cases.items():
        page_params = {k: v for k, v in params.items() if k != "ordering"}
        report(
            f"ledger page, {name}",
            timed(lambda p=page_params: client.get("/carriers/", p), args.runs),
            GOAL_MS,
        )


if __name__ == "__main__":
    main()
