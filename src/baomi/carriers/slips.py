"""传阅单 (CirculationSlip): ordered readers, each checked up front, back to the registry between
readers (CR-4), 绝密 back after each reader the same day (CR-5, CR-17).

Under the hood each hand-over is `carriers.actions.circulate` and each return is
`return_to_registry` (their unwrapped bodies, inside this action's one transaction), so the custody
history and the audit trail are the same as for a single circulation.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from baomi.carriers import actions as carrier_actions
from baomi.carriers import custody
from baomi.carriers.choices import LIVE, WITH_HOLDER, EventKind
from baomi.carriers.models import Carrier, CirculationSlip, Place, SlipReader
from baomi.carriers.rules import require_clerk, require_may_hold, require_registered
from baomi.classification.choices import Level
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.models import Person

MAX_READERS = 50


def _lock_slip(slip: CirculationSlip) -> CirculationSlip:
    return (
        CirculationSlip.objects.select_for_update(of=("self",))
        .select_related("carrier")
        .get(pk=slip.pk)
    )


def _require_open(slip: CirculationSlip) -> None:
    if slip.state != CirculationSlip.State.OPEN:
        raise InvalidState(
            f"传阅单 #{slip.pk} 当前为“{slip.get_state_display()}”。", {"state": slip.state}
        )


@action("slip.create")
def create_slip(
    actor: Person, carrier: Carrier, readers: list[Person], *, note: str = ""
) -> CirculationSlip:
    """Open a 传阅单; every reader is checked against level and scope now (PER-1, CR-4)."""
    require_clerk(actor, carrier.unit_id, "登记传阅单")
    carrier = custody.lock(carrier)
    require_registered(carrier, "传阅")
    custody.require_status(carrier, LIVE, "传阅")
    if not readers:
        raise Invalid("请至少指定一位阅读人。", {"reader_ids": ["请至少指定一位阅读人"]})
    if len(readers) > MAX_READERS:
        raise Invalid("阅读人过多。", {"reader_ids": [f"最多 {MAX_READERS} 位"]})
    if len({r.pk for r in readers}) != len(readers):
        raise Invalid("阅读人有重复。", {"reader_ids": ["同一阅读人只能列一次"]})
    for reader in readers:
        if reader.unit_id != carrier.unit_id:
            raise Invalid(
                "阅读人须为本单位人员。", {"reader_ids": [f"{reader.name}不是本单位人员"]}
            )
        require_may_hold(reader, carrier)
    if CirculationSlip.objects.filter(carrier=carrier, state=CirculationSlip.State.OPEN).exists():
        raise InvalidState(f"载体 {carrier.label} 已有未完成的传阅单。", {"status": carrier.status})
    slip = CirculationSlip.objects.create(
        unit_id=carrier.unit_id,
        carrier=carrier,
        created_by=actor,
        created_at=clock.now(),
        note=note.strip()[:500],
    )
    SlipReader.objects.bulk_create(
        SlipReader(slip=slip, order=n, reader=r) for n, r in enumerate(readers, start=1)
    )
    names = "、".join(r.name for r in readers)
    custody.note_event(actor, carrier, EventKind.SLIP, note=f"传阅单 #{slip.pk}：{names}")
    return slip


def current_reader(slip: CirculationSlip) -> SlipReader | None:
    """The reader who has the carrier now (sent, not yet returned)."""
    return slip.readers.filter(sent_at__isnull=False, returned_at__isnull=True).first()


def next_reader(slip: CirculationSlip) -> SlipReader | None:
    return slip.readers.filter(sent_at__isnull=True).order_by("order").first()


@action("slip.send_next")
def send_next(
    actor: Person,
    slip: CirculationSlip,
    *,
    due_date: date | None = None,
    reading_place: Place | None = None,
) -> SlipReader:
    """Send the carrier to the next reader in order; the previous one must have returned it."""
    require_clerk(actor, slip.unit_id, "传阅载体")
    slip = _lock_slip(slip)
    _require_open(slip)
    carrier = custody.lock(slip.carrier)
    out = current_reader(slip)
    if out is not None or carrier.status in WITH_HOLDER:
        holder = out.reader.name if out else (carrier.holder.name if carrier.holder else "他人")
        if carrier.level == Level.TOP_SECRET:
            raise RuleViolation(
                "CR-5",
                f"绝密载体 {carrier.label} 须随阅随退：{holder}退回机要室后才能送下一位（CR-5）。",
            )
        raise RuleViolation(
            "CR-4",
            f"载体 {carrier.label} 在{holder}手中，须先退回机要室再传给下一位"
            "（CR-4：阅后退回，不得横传）。",
        )
    target = next_reader(slip)
    if target is None:
        raise InvalidState(f"传阅单 #{slip.pk} 的阅读人均已阅毕。", {"state": slip.state})
    # The reader is checked again: a clearance or scope may have changed since the slip was made.
    require_may_hold(target.reader, carrier)
    carrier_actions.circulate.__wrapped__(
        actor,
        carrier,
        target.reader,
        due_date=due_date,
        note=f"传阅单 #{slip.pk} 第{target.order}位",
        reading_place=reading_place,  # CR-5: where a 绝密 carrier is read
    )
    target.sent_at = clock.now()
    target.save(update_fields=["sent_at"])
    return target


@action("slip.acknowledge")
def acknowledge(actor: Person, slip: CirculationSlip) -> SlipReader:
    """The reader signs for the carrier (签收)."""
    slip = _lock_slip(slip)
    _require_open(slip)
    out = current_reader(slip)
    if out is None or out.reader_id != actor.pk:
        raise Forbidden("载体当前不在您手中，不能签收。")
    carrier = slip.carrier
    if carrier.acknowledged_at is None:
        carrier_actions.acknowledge.__wrapped__(actor, carrier)
        carrier.refresh_from_db()
    out.acknowledged_at = carrier.acknowledged_at
    out.save(update_fields=["acknowledged_at"])
    return out


@action("slip.return")
def take_back(
    actor: Person, slip: CirculationSlip, *, place: Place | None = None
) -> CirculationSlip:
    """The registry takes the carrier back from the current reader; the slip is done after the
    last reader."""
    require_clerk(actor, slip.unit_id, "办理归还")
    slip = _lock_slip(slip)
    _require_open(slip)
    out = current_reader(slip)
    if out is None:
        raise InvalidState(f"传阅单 #{slip.pk} 的载体不在阅读人手中。", {"state": slip.state})
    carrier = custody.lock(slip.carrier)
    if out.acknowledged_at is None and carrier.acknowledged_at is not None:
        out.acknowledged_at = carrier.acknowledged_at
    carrier_actions.return_to_registry.__wrapped__(
        actor, carrier, place=place, note=f"传阅单 #{slip.pk} 第{out.order}位阅毕退回"
    )
    out.returned_at = clock.now()
    out.save(update_fields=["returned_at", "acknowledged_at"])
    if next_reader(slip) is None:
        slip.state = CirculationSlip.State.DONE
        slip.save(update_fields=["state"])
    return slip


@action("slip.cancel")
def cancel(actor: Person, slip: CirculationSlip, *, reason: str) -> CirculationSlip:
    """Stop a slip (the carrier must be back in the registry)."""
    require_clerk(actor, slip.unit_id, "终止传阅单")
    slip = _lock_slip(slip)
    _require_open(slip)
    if not (reason or "").strip():
        raise Invalid("终止须说明理由。", {"reason": ["请填写理由"]})
    if current_reader(slip) is not None:
        raise InvalidState("载体仍在阅读人手中，须先退回。", {"state": slip.state})
    slip.state = CirculationSlip.State.CANCELLED
    slip.save(update_fields=["state"])
    custody.note_event(
        actor, slip.carrier, EventKind.SLIP, note=f"传阅单 #{slip.pk} 终止：{reason.strip()}"
    )
    return slip


def slip_pdf(slip: CirculationSlip, actor: Person) -> bytes:
    """The printable 传阅单: who read it when (CR-4), marked with the carrier's level."""
    from baomi.lib.pdf import render_pdf

    carrier = slip.carrier
    return render_pdf(
        "carriers/pdf/slip.html",
        {
            "slip": slip,
            "carrier": carrier,
            "readers": list(slip.readers.select_related("reader").order_by("order")),
            "marking": carrier.marking,
            "unit_name": carrier.unit.name,
            "watermark": f"{actor.name} 打印于 {timezone.localtime():%Y-%m-%d %H:%M}",
        },
    )
