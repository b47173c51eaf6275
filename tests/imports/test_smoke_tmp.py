import cProfile
import time

from baomi.imports.actions import import_carriers
from tests.imports import ledgers


def test_smoke(world):
    data, bad = ledgers.ledger()
    fixed = [ledgers.fix(r, i) if i in bad else r for i, r in enumerate(data)]
    blob = ledgers.xlsx(fixed)
    t = time.time()
    pr = cProfile.Profile()
    # pr.enable()
    rep = import_carriers(world.clerk, world.unit, file_name="a.xlsx", data=blob, dry_run=False)
    # pr.disable()
    print("imp", time.time() - t, rep.count)
    # pstats.Stats(pr).sort_stats("cumulative").print_stats(35)
