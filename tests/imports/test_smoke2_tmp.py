import time

from django.db import transaction

from baomi.audit.trail import record


def test_rec(world):
    t = time.time()
    with transaction.atomic():
        for _ in range(2000):
            record("x.y", world.clerk, world.unit, after={"a": 1})
    print("rec", time.time() - t)
