"""Demo data for sending, recall, circulation slips and approval paths — through the actions."""

from __future__ import annotations

from datetime import timedelta

from baomi.approvals import actions as approvals
from baomi.carriers import slips
from baomi.carriers.choices import CarrierKind, Source, Status
from baomi.carriers.models import Carrier
from baomi.carriers.policies import may_hold
from baomi.classification.choices import Level
from baomi.dispatch import actions
from baomi.dispatch.choices import Channel, RecallInterval
from baomi.dispatch.recall import add_months


def load_dispatch_demo(demo) -> None:
    p, clerk, unit, today = demo.people, demo.people["clerk"], demo.unit, demo.today
    approvals.install_default_policies(p["secadmin"], unit)

    free = (
        Carrier.objects.filter(
            unit=unit, status=Status.IN_REGISTRY, kind=CarrierKind.DOCUMENT, source=Source.RECEIVED
        )
        .exclude(slips__state="open")
        .order_by("-pk")
    )

    def take(level):
        carrier = free.filter(level=level).first()
        return carrier

    # 清退周期: every issuer seen in the ledger; the first is due within days.
    issuers = sorted(set(free.exclude(issuer="").values_list("issuer", flat=True)))
    for n, issuer in enumerate(issuers):
        starts = add_months(today, -6) + timedelta(days=5) if n == 0 else add_months(today, -2)
        interval = RecallInterval.HALF_YEAR if n % 2 == 0 else RecallInterval.YEAR
        actions.set_schedule(clerk, unit, issuer=issuer, interval_months=interval, starts_on=starts)

    # 发文: a 机密 document through the exchange station, receipt back; a 秘密 one by courier.
    secret = take(Level.SECRET)
    if secret is not None:
        sent = actions.dispatch(
            clerk,
            actions.DispatchForm(
                carriers=[secret],
                recipient_unit="XX县人民政府办公室",
                recipient_person="县府办机要室",
                channel=Channel.EXCHANGE_STATION,
                couriers=[clerk],
                note="按来文要求转发",
            ),
        )
        actions.record_receipt(clerk, sent, signed_by="刘收文")
    confidential = take(Level.CONFIDENTIAL)
    if confidential is not None:
        actions.dispatch(
            clerk,
            actions.DispatchForm(
                carriers=[confidential],
                recipient_unit="XX市财政局",
                channel=Channel.COURIER,
                couriers=[clerk],
            ),
        )

    # 清退: one carrier returned to its issuer.
    back = take(Level.SECRET)
    if back is not None:
        actions.recall(clerk, back, received_by="省府办机要处", note="半年清退")

    # 传阅单: an open slip, the first reader has it.
    carrier = take(Level.SECRET)
    if carrier is not None:
        readers = [
            q
            for q in p.values()
            if not q.has_system_role and q.pk != clerk.pk and may_hold(q, carrier)
        ][:3]
        if readers:
            slip = slips.create_slip(clerk, carrier, readers, note="请阅后退回机要室")
            slips.send_next(clerk, slip)
