"""The carrier page with 200 events, and the alerts and dashboard of the biggest unit.

    DATABASE_URL=postgres://…/baomi_scale .venv/bin/python bench/carrier_page.py [--runs 15]

Gives one generated carrier of the biggest unit 200 custody events through the actions
(circulate + return), then times its page for the unit's clerk; then the alerts page and the
dashboard for that clerk, whose unit holds the generated ledger's biggest share of live carriers.
Goals: carrier page p95 < 50 ms; alerts and dashboard < 200 ms.
"""

from __future__ import annotations

import argparse

from scale_common import big_unit, report, setup, signed_in, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup()
    from baomi.carriers import actions
    from baomi.carriers.choices import LIVE, Status
    from baomi.carriers.models import Carrier
    from baomi.classification.choices import Level
    from baomi.org.models import Person

    unit = big_unit()
    clerk = Person.objects.filter(unit=unit, is_registry_clerk=True).order_by("id").first()
    client, _ = signed_in(clerk, f"bench-clerk-{unit.pk}")
    carrier = (
        Carrier.objects.filter(unit=unit, status=Status.IN_REGISTRY, level=Level.CONFIDENTIAL)
        .order_by("-id")
        .first()
    )
    reader = (
        Person.objects.filter(
            unit=unit, clearance__in=("core", "important"), is_registry_clerk=False
        )
        .order_by("id")
        .first()
    )
    carrier.scope_people.add(reader)
    while carrier.events.count() < 200:
        carrier = actions.circulate(clerk, carrier, reader)
        carrier = actions.return_to_registry(clerk, carrier)
    live = Carrier.objects.filter(unit=unit, status__in=LIVE).count()
    print(
        f"# unit {unit.code}: {live:,} live carriers; carrier {carrier.label} with "
        f"{carrier.events.count()} events",
        flush=True,
    )
    report(
        "carrier page, 200 events",
        timed(lambda: client.get(f"/carriers/{carrier.pk}/"), args.runs),
        50,
    )
    report(
        "carrier page, one action form opened",
        timed(lambda: client.get(f"/carriers/{carrier.pk}/circulate/form/"), args.runs),
        50,
    )
    report(
        f"alerts page ({live:,} live carriers)",
        timed(lambda: client.get("/alerts/"), args.runs),
        200,
    )
    report("alert bell count", timed(lambda: client.get("/alerts/count/"), args.runs), 200)
    report(
        f"dashboard ({live:,} live carriers)",
        timed(lambda: client.get("/dashboard/"), args.runs),
        200,
    )


if __name__ == "__main__":
    main()
