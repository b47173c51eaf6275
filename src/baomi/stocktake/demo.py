"""Demo data for 清查, 密级变更 and 通知 (loaded by `web.demo.load_demo`, through the actions):
an open count of the busiest cabinet with two carriers still missing and one unknown number, a
yearly review, a downgrade whose former holders got a notice, and an unclear item."""

from __future__ import annotations

from django.db.models import Count

from baomi.approvals.choices import RequestKind
from baomi.carriers.choices import AT_PLACE, EventKind, Status
from baomi.carriers.models import Carrier, Place
from baomi.classification.choices import Level
from baomi.classification.periods import default_period, exceeds_maximum
from baomi.reclassification import actions as reclassification
from baomi.stocktake import actions as stocktake
from baomi.stocktake.selectors import expected_carriers


def load_stocktake_demo(demo) -> None:
    clerk = demo.people["clerk"]
    busiest = (
        Place.objects.filter(unit=demo.unit, carriers__status__in=AT_PLACE)
        .annotate(n=Count("carriers"))
        .order_by("-n")
        .first()
    )
    if busiest is not None:
        count = stocktake.start(clerk, place=busiest, note="节前清查（演示）")
        labels = [c.label for c in expected_carriers(count).order_by("number", "copy_no")]
        stocktake.record_scans(clerk, count, [*labels[:-2], "2025-0000999-01"], source="scanner")
    secret = Carrier.objects.filter(
        unit=demo.unit, level=Level.SECRET, status=Status.IN_REGISTRY
    ).order_by("pk")
    read = secret.filter(events__kind=EventKind.CIRCULATE).distinct()
    target = read.first()
    if target is not None:
        holder = target.events.filter(kind=EventKind.CIRCULATE).first().holder_after
        # APR-3: the approval names the change — 秘密, within the 秘密 maximum (CL-3).
        period = target.period
        if period is None or exceeds_maximum(Level.CONFIDENTIAL, period, target.doc_date):
            period = default_period(Level.CONFIDENTIAL)
        request = demo.approved(
            RequestKind.RECLASSIFICATION,
            target,
            holder,
            reason="情况变化，拟降为秘密",
            proposed_change={"level": Level.CONFIDENTIAL.value, "period": period.to_dict()},
        )
        reclassification.reclassify(
            clerk,
            target,
            request,
            reason="情况变化，降为秘密",
            level=Level.CONFIDENTIAL,
            period=period,
        )
    others = list(secret.exclude(pk=getattr(target, "pk", None))[:2])
    if others:
        reclassification.review(clerk, others[0], note="年度审核，维持原定密")
    if len(others) > 1:
        reclassification.report_unclear(
            clerk,
            others[1],
            proposed_level=Level.SECRET,
            question="来文未标注保密期限，拟按机密管理",
        )
