"""An uploaded list of numbers is taken in with a fixed number of queries whatever its size on
PostgreSQL (the numbers go as one array parameter), and matched like a short one."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baomi.stocktake import actions
from baomi.stocktake.models import StocktakeScan
from tests.factories import receive


def test_an_upload_costs_the_queries_of_a_short_list(world):
    copies = receive(world, copies=3)
    stocktake = actions.start(world.clerk, place=world.cabinet)
    unknown = [f"2099-{i:07d}-01" for i in range(4500)]
    with CaptureQueriesContext(connection) as short:
        actions.record_scans(world.clerk, stocktake, [copies[0].label, *unknown[:5]])
    listed = [copies[1].label, copies[0].label, *unknown]
    with CaptureQueriesContext(connection) as long:
        result = actions.record_scans(world.clerk, stocktake, listed, source="upload")
    assert (result.added, result.duplicates) == (4496, 6)
    matched = StocktakeScan.objects.filter(stocktake=stocktake, carrier__isnull=False)
    assert sorted(matched.values_list("carrier_id", flat=True)) == [copies[0].pk, copies[1].pk]
    if connection.vendor == "postgresql":  # elsewhere: a lookup per 2,000, an INSERT per batch
        assert len(long) == len(short)
