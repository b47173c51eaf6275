"""Each alert provider timed alone for the biggest unit's clerk: what the alerts page and the bell
(`bench/carrier_page.py`) spend their time on.

    DATABASE_URL=postgres://…/baomi_scale .venv/bin/python bench/alert_providers.py [--runs 7]

Reads only. One line per provider (median and p95 of its own queries and Python, the number of
alerts and of queries), slowest first, then the whole `alerts_for` call against the page's goal.
"""

from __future__ import annotations

import argparse
import statistics

from scale_common import big_unit, report, setup, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.module_loading import autodiscover_modules

    from baomi.carriers.rules import today
    from baomi.lib import alerts
    from baomi.org.models import Person

    autodiscover_modules("alerts")
    unit = big_unit()
    clerk = Person.objects.filter(unit=unit, is_registry_clerk=True).order_by("id").first()
    day = today()
    rows = []
    for fn in alerts._providers:
        samples = timed(lambda fn=fn: list(fn(clerk, day)), args.runs)
        with CaptureQueriesContext(connection) as ctx:
            found = list(fn(clerk, day))
        rows.append((statistics.median(samples), max(samples), fn, len(found), ctx))
    for p50, worst, fn, n, ctx in sorted(rows, key=lambda r: -r[0]):
        name = f"{fn.__module__.removeprefix('baomi.')}.{fn.__name__}"
        print(
            f"provider {name}: p50 {p50:.1f} ms, max {worst:.1f} ms "
            f"({n} alerts, {len(ctx.captured_queries)} queries)",
            flush=True,
        )
    report(
        f"alerts_for, all {len(rows)} providers",
        timed(lambda: alerts.alerts_for(clerk, day), args.runs),
        200,
    )


if __name__ == "__main__":
    main()
