"""Builders for the incident tests: a committee, a loss report, a count with items missing."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from baomi.incidents import actions
from baomi.incidents.choices import IncidentKind
from baomi.personnel.organisation import add_committee_member
from baomi.stocktake import actions as stocktake


def seat_committee(w):
    """钱领导 chairs the 保密委员会 (ORG-1): the one who closes incidents."""
    add_committee_member(w.system, w.unit, w.leader, role="leader", start_on=date(2026, 1, 1))


def loss(w, *, actor=None, carriers=(), hours_ago=1, **extra):
    return actions.open_incident(
        actor or w.clerk,
        kind=extra.pop("kind", IncidentKind.LOSS),
        summary="出差途中发现文件丢失",
        level="secret",
        discovered_at=timezone.now() - timedelta(hours=hours_ago),
        discovered_where="火车站",
        discovered_by=extra.pop("discovered_by", w.zhang),
        carriers=list(carriers),
        how=extra.pop("how", "候车时公文包被盗"),
        harm=extra.pop("harm", "可能造成秘密级信息泄露"),
        remedies=extra.pop("remedies", "已报警并通知发文机关"),
        **extra,
    )


def count_missing(w, present, missing):
    """A count of the cabinet that sees `present` and closes with `missing` not found (CR-14)."""
    count = stocktake.start(w.clerk, place=w.cabinet)
    if present:
        stocktake.record_scans(w.clerk, count, [c.label for c in present])
    return stocktake.close(w.clerk, count)
