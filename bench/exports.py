"""The ledger's exports at scale: the xlsx and the PDF of ≥ 10,000 rows, and a label sheet.

    DATABASE_URL=postgres://…/baomi_scale .venv/bin/python bench/exports.py [--runs 3]

Signs in the biggest unit's clerk and requests, through the views (filter, query, file, audit
row), the ledger filtered down to the smallest level/status/kind filter that still yields ≥ 10,000
rows (within the export limit), and labels for the smallest filter that yields ≥ 240 carriers.
Each figure is the median of `--runs` requests after one warm-up. Goals: PDF ≥ 200 rows/s, labels
≥ 100/s; the xlsx streamed (FileResponse of a write-only workbook) — its rows/s and the peak of
Python memory (tracemalloc, one extra request) are reported.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections import Counter
from itertools import combinations

from scale_common import big_unit, setup, signed_in

LEDGER_ROWS, LABELS = 10_000, 240
PDF_GOAL, LABEL_GOAL = 200, 100


def smallest_filter(counts: Counter, least: int, most: int) -> tuple[dict, int]:
    """The filter of one, two or three of level/status/kind with the fewest rows in [least, most]."""
    fields = ("level", "status", "kind")
    totals: Counter = Counter()
    for key, count in counts.items():
        for size in (1, 2, 3):
            for chosen in combinations(range(3), size):
                totals[tuple((fields[i], key[i]) for i in chosen)] += count
    fitting = [(n, f) for f, n in totals.items() if least <= n <= most]
    if not fitting:
        raise SystemExit(f"没有 {least}–{most} 行的筛选：先生成更大的规模数据")
    rows, chosen = min(fitting)
    return dict(chosen), rows


def median_rate(call, runs: int, items: int) -> tuple[float, float]:
    """Median seconds of `runs` calls after one warm-up, and items/s at that median."""
    call()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return median, items / median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.db.models import Count
    from django.urls import reverse

    from baomi.carriers import exports
    from baomi.carriers.models import Carrier
    from baomi.org.models import Person

    unit = big_unit()
    clerk = Person.objects.filter(unit=unit, is_registry_clerk=True).order_by("id").first()
    client, _ = signed_in(clerk, f"bench-clerk-{unit.pk}")
    counts = Counter(
        {
            (row["level"], row["status"], row["kind"]): row["n"]
            for row in Carrier.objects.filter(unit=unit)
            .values("level", "status", "kind")
            .order_by()
            .annotate(n=Count("id"))
        }
    )
    limit = min(exports.XLSX_LIMIT, exports.PDF_LIMIT)
    ledger_filter, rows = smallest_filter(counts, LEDGER_ROWS, limit)
    label_filter, labels = smallest_filter(counts, LABELS, exports.LABEL_LIMIT)
    print(
        f"# unit {unit.code}, clerk {clerk.name}; ledger {ledger_filter}: {rows:,} rows; "
        f"labels {label_filter}: {labels} carriers; limits xlsx {exports.XLSX_LIMIT:,}, "
        f"pdf {exports.PDF_LIMIT:,}, labels {exports.LABEL_LIMIT}",
        flush=True,
    )

    urls = {
        "xlsx": reverse("carriers:export"),
        "pdf": reverse("carriers:export_pdf"),
        "labels": reverse("carriers:labels"),
    }

    def get(path: str, params: dict) -> bytes:
        response = client.get(path, params)
        assert response.status_code == 200, (path, response.status_code)
        body = response.getvalue()
        response.close()  # a streamed file's temporary file goes here
        return body

    xlsx = client.get(urls["xlsx"], ledger_filter)
    streamed = xlsx.streaming and type(xlsx).__name__ == "FileResponse"
    xlsx.close()
    seconds, rate = median_rate(lambda: get(urls["xlsx"], ledger_filter), args.runs, rows)
    tracemalloc.start()
    get(urls["xlsx"], ledger_filter)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"ledger xlsx, {rows:,} rows: median {seconds:.2f} s, {rate:,.0f} rows/s, peak Python "
        f"memory {peak / 2**20:.0f} MiB, streamed: {'yes' if streamed else 'no'} "
        f"(goal streamed: {'OK' if streamed else 'MISSED'})",
        flush=True,
    )
    seconds, rate = median_rate(lambda: get(urls["pdf"], ledger_filter), args.runs, rows)
    print(
        f"ledger PDF, {rows:,} rows: median {seconds:.2f} s, {rate:,.0f} rows/s "
        f"(goal ≥ {PDF_GOAL} rows/s: {'OK' if rate >= PDF_GOAL else 'MISSED'})",
        flush=True,
    )
    seconds, rate = median_rate(lambda: get(urls["labels"], label_filter), args.runs, labels)
    print(
        f"label sheet, {labels} labels: median {seconds:.2f} s, {rate:,.0f} labels/s "
        f"(goal ≥ {LABEL_GOAL}/s: {'OK' if rate >= LABEL_GOAL else 'MISSED'})",
        flush=True,
    )


if __name__ == "__main__":
    main()
