"""The destruction certificate (销毁证明, CR-12): an A4 PDF listing the carriers, the method, the
place, the time and the two witnesses, marked with the highest level on it."""

from __future__ import annotations

from django.utils import timezone

from baomi.audit.checkpoints import checkpoint_for, printed_root
from baomi.audit.models import CheckpointReason
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.destruction.models import DestructionList
from baomi.lib.pdf import render_pdf


def highest_level(carriers) -> str:
    levels = [c.level for c in carriers] or [Level.PUBLIC]
    return max(levels, key=lambda lv: LEVEL_RANK[Level(lv)])


def certificate_context(dlist: DestructionList) -> dict:
    items = list(
        dlist.items.select_related("carrier", "checked_by").order_by(
            "carrier__number", "carrier__copy_no"
        )
    )
    carriers = [i.carrier for i in items]
    top = highest_level(carriers)
    request = dlist.request
    approvers = (
        [s.approver.name for s in request.steps.select_related("approver") if s.decided_at]
        if request
        else []
    )
    return {
        "dlist": dlist,
        "items": items,
        "witnesses": list(dlist.witnesses.all()),
        "approvers": approvers,
        "marking": Level(top).label if top != Level.PUBLIC else "",
        "unit_name": dlist.unit.name,
        "watermark": f"{dlist.number} · 打印于 {timezone.localtime():%Y-%m-%d %H:%M}",
        # The audit log's signed checkpoint this certificate rests on (SEC-4, issue 10).
        "checkpoint": printed_root(checkpoint_for(CheckpointReason.DESTRUCTION, dlist.number)),
    }


def certificate_pdf(dlist: DestructionList) -> bytes:
    return render_pdf("destruction/certificate.html", certificate_context(dlist))
