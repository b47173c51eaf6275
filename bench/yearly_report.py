"""The yearly report (INS-4): every figure computed from the custody history of N carriers.

    .venv/bin/python bench/yearly_report.py --carriers 10000

Builds its own data in a throw-away database (see custody_throughput.py): N 机密 carriers
registered this year, a tenth of them circulated and returned (three more custody events each).
Prints one line per figure: all the report's figures (`compute_figures`, the page and the API),
and the PDF and the xlsx (each publishes a checkpoint as it prints, as a draft does)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from custody_throughput import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        run(args.carriers)


def run(total: int) -> None:
    from datetime import date

    from baomi.carriers import actions as carriers
    from baomi.carriers.choices import CarrierKind, Source
    from baomi.carriers.registration import MAX_COPIES_PER_REGISTRATION, Registration
    from baomi.classification.choices import Level
    from baomi.lib import clock
    from baomi.reports.yearly.exports import report_pdf, report_xlsx
    from baomi.reports.yearly.report import compute_figures, yearly_report
    from tests.factories import build_world

    w = build_world()
    start = time.perf_counter()
    made = []
    while len(made) < total:
        n = min(MAX_COPIES_PER_REGISTRATION, total - len(made))
        made += carriers.register(
            w.clerk,
            Registration(
                kind=CarrierKind.DOCUMENT,
                title="基准测试文件",
                doc_date=date(clock.today().year, 1, 1),
                level=Level.SECRET,
                source=Source.RECEIVED,
                place=w.cabinet,
                copies=n,
                issuer="XX省人民政府办公厅",
                scope_departments=[w.office],
            ),
        )
    for carrier in made[: total // 10]:
        carriers.circulate(w.clerk, carrier, w.zhang)
        carriers.acknowledge(w.zhang, carrier)
        carriers.return_to_registry(w.clerk, carrier)
    print(
        f"setup: {total} carriers in {time.perf_counter() - start:.1f} s (not part of the figures)"
    )
    year = clock.today().year

    t0 = time.perf_counter()
    figures = compute_figures(w.unit, year)
    t1 = time.perf_counter()
    held = next(f for f in figures if f["key"] == "held_at_end.total")
    assert held["copies"] == total, held
    print(f"all {len(figures)} figures of the report over {total} carriers: {t1 - t0:.2f} s")
    report = yearly_report(w.clerk, w.unit, year)
    t2 = time.perf_counter()
    pdf = report_pdf(report, w.unit, w.clerk)
    t3 = time.perf_counter()
    report_xlsx(report, w.unit, w.clerk)
    t4 = time.perf_counter()
    print(f"PDF ({len(pdf) // 1024} KiB): {t3 - t2:.2f} s; xlsx: {t4 - t3:.2f} s")


if __name__ == "__main__":
    main()
