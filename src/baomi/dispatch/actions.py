"""Sending (发文, CR-9) and recall to the issuer (清退, CR-10) — the only writers of this app.

Both end a carrier's life in the unit: `dispatch` moves it to SENT and `recall` to RETURNED through
`carriers.custody.move` (one custody event + one audit event each), so it leaves the live holdings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from baomi.approvals.choices import RequestKind
from baomi.approvals.models import ApprovalPolicy
from baomi.approvals.rules import consume
from baomi.archive.actions import remove_from_dossier
from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import WITH_HOLDER, EventKind, Source, Status
from baomi.carriers.models import Carrier
from baomi.carriers.rules import require_clerk
from baomi.classification.choices import Level, is_state_secret
from baomi.dispatch.choices import SECURE_CHANNELS, Channel, RecallInterval
from baomi.dispatch.models import Dispatch, DispatchItem, IssuerRecallSchedule, RecallItem
from baomi.dispatch.recall import recall_rounds
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person, Unit


@dataclass
class DispatchForm:
    carriers: list[Carrier]
    recipient_unit: str
    channel: str
    recipient_person: str = ""
    couriers: list[Person] = field(default_factory=list)
    request: object = None  # an approved dispatch request, where the unit's policy wants one
    note: str = ""


def _check_form(form: DispatchForm) -> None:
    errors: dict[str, list[str]] = {}
    if not form.carriers:
        errors["carrier_ids"] = ["请至少选择一件载体"]
    if not (form.recipient_unit or "").strip():
        errors["recipient_unit"] = ["请填写收件单位"]
    if form.channel not in Channel.values:
        errors["channel"] = ["传递方式无效"]
    if len({c.pk for c in form.couriers}) != len(form.couriers):
        errors["courier_ids"] = ["传递人有重复"]
    if errors:
        raise Invalid("发文信息有误。", errors)


@action("carrier.dispatch")
def dispatch(actor: Person, form: DispatchForm) -> Dispatch:
    """发文: carriers leave through 机要交换站/专人送达/机要通信 (CR-9); never fax, post, e-mail or
    chat for 秘密 and above; 绝密 with two couriers; SENT afterwards (terminal)."""
    _check_form(form)
    unit_id = form.carriers[0].unit_id
    require_clerk(actor, unit_id, "办理发文")
    carriers = [custody.lock(c) for c in dict.fromkeys(form.carriers)]
    for carrier in carriers:
        if carrier.unit_id != unit_id:
            raise Invalid("一次发文的载体须属于同一单位。", {"carrier_ids": ["载体不属于本单位"]})
        if carrier.status in WITH_HOLDER:
            raise InvalidState(
                f"载体 {carrier.label} 在{carrier.holder.name}手中，须先退回机要室。",
                {"status": carrier.status, "status_display": carrier.get_status_display()},
            )
        custody.require_status(carrier, (Status.IN_REGISTRY,), "发出")
        _require_channel(carrier, form)
    request = _consume_if_required(form, carriers)
    sent = Dispatch.objects.create(
        unit_id=unit_id,
        recipient_unit=form.recipient_unit.strip()[:100],
        recipient_person=form.recipient_person.strip()[:50],
        channel=form.channel,
        sent_by=actor,
        sent_at=clock.now(),
        request=request,
        note=form.note.strip()[:500],
    )
    sent.couriers.set(form.couriers)
    DispatchItem.objects.bulk_create(DispatchItem(dispatch=sent, carrier=c) for c in carriers)
    couriers = "、".join(p.name for p in form.couriers)
    for carrier in carriers:
        custody.move(
            actor,
            carrier,
            EventKind.DISPATCH,
            status=Status.SENT,
            request=request,
            note=f"发文 #{sent.pk} 经{Channel(form.channel).label}送{sent.recipient_unit}"
            + (f"，传递人{couriers}" if couriers else ""),
            audit_extra={"dispatch": sent.pk, "channel": form.channel},
        )
        remove_from_dossier(actor, carrier)  # CL-6: a retrieved carrier leaves its dossier
    return sent


def _require_channel(carrier: Carrier, form: DispatchForm) -> None:
    if is_state_secret(carrier.level) and form.channel not in SECURE_CHANNELS:
        raise RuleViolation(
            "CR-9",
            f"{carrier.get_level_display()}载体 {carrier.label} 不得通过{Channel(form.channel).label}"
            "传递，须经机要交换站、专人送达或机要通信（CR-9）。",
        )
    for courier in form.couriers:
        if courier.has_system_role or not courier.active or not courier.covers(carrier.level):
            raise RuleViolation(
                "CR-9",
                f"传递人{courier.name}的涉密等级不能传递{carrier.get_level_display()}载体"
                f" {carrier.label}（CR-9、PER-1）。",
            )
    if carrier.level == Level.TOP_SECRET and len(form.couriers) < 2:
        raise RuleViolation(
            "CR-9", f"绝密载体 {carrier.label} 须由两人以上同行传递，须登记两名传递人（CR-9）。"
        )
    if form.channel == Channel.COURIER and is_state_secret(carrier.level) and not form.couriers:
        raise RuleViolation("CR-9", f"专人送达 {carrier.label} 须登记传递人（CR-9）。")


def _consume_if_required(form: DispatchForm, carriers: list[Carrier]):
    """Dispatch approval is optional per unit: required where the unit has a dispatch policy for
    the level (approvals.ApprovalPolicy, kind 发文)."""
    levels = {c.level for c in carriers}
    unit_id = carriers[0].unit_id
    required = ApprovalPolicy.objects.filter(
        unit_id=unit_id, kind=RequestKind.DISPATCH, level__in=levels
    ).exists()
    if not required and form.request is None:
        return None
    request = None
    for carrier in carriers:
        request = consume(form.request, RequestKind.DISPATCH, carrier)
    return request


@action("dispatch.receipt")
def record_receipt(
    actor: Person, sent: Dispatch, *, signed_by: str, signed_at: datetime | None = None
) -> Dispatch:
    """The recipient's signature (回执) comes back: who signed and when (CR-9)."""
    require_clerk(actor, sent.unit_id, "登记回执")
    sent = Dispatch.objects.select_for_update().get(pk=sent.pk)
    if sent.receipt_at is not None:
        raise InvalidState(
            f"发文 #{sent.pk} 的回执已于 {sent.receipt_at:%Y-%m-%d} 登记。", {"receipt": True}
        )
    if not (signed_by or "").strip():
        raise Invalid("请填写对方签收人。", {"signed_by": ["请填写对方签收人"]})
    when = signed_at or clock.now()
    if when > clock.now() or when < sent.sent_at:
        raise Invalid("签收时间须在发出之后、现在之前。", {"signed_at": ["签收时间不合理"]})
    sent.receipt_signed_by, sent.receipt_at = signed_by.strip()[:50], when
    sent.receipt_recorded_by = actor
    sent.save(update_fields=["receipt_signed_by", "receipt_at", "receipt_recorded_by"])
    for item in sent.items.select_related("carrier"):
        custody.note_event(
            actor,
            item.carrier,
            EventKind.RECEIPT,
            note=f"发文 #{sent.pk} 由{sent.receipt_signed_by}签收",
        )
    record("dispatch.receipt", actor, sent, after={"signed_by": sent.receipt_signed_by})
    return sent


# --- recall (清退, CR-10) ------------------------------------------------------------------------


@action("recall.set_schedule")
def set_schedule(
    actor: Person,
    unit: Unit,
    *,
    issuer: str,
    interval_months: int,
    starts_on: date,
) -> IssuerRecallSchedule:
    """Set an issuer's recall schedule: every 6 or 12 months from a date (CR-10)."""
    require_clerk(actor, unit.pk, "设置清退周期")
    errors: dict[str, list[str]] = {}
    if not (issuer or "").strip():
        errors["issuer"] = ["请填写制文机关"]
    if interval_months not in RecallInterval.values:
        errors["interval_months"] = ["清退周期只能为 6 或 12 个月"]
    if errors:
        raise Invalid("清退周期有误。", errors)
    schedule, _ = IssuerRecallSchedule.objects.update_or_create(
        unit=unit,
        issuer=issuer.strip()[:100],
        defaults={"interval_months": interval_months, "starts_on": starts_on},
    )
    record(
        "recall.set_schedule",
        actor,
        schedule,
        after={"interval_months": interval_months, "starts_on": starts_on.isoformat()},
    )
    return schedule


@action("carrier.recall")
def recall(
    actor: Person, carrier: Carrier, *, issuer: str = "", received_by: str = "", note: str = ""
) -> Carrier:
    """清退 one carrier to the authority that issued it (CR-10): RETURNED, out of the holdings.

    Refused for carriers the unit made itself (nothing to return), for a different issuer than the
    one on the carrier, and while a person still holds it."""
    require_clerk(actor, carrier.unit_id, "办理清退")
    carrier = custody.lock(carrier)
    if carrier.source == Source.PRODUCED or not carrier.issuer:
        raise RuleViolation(
            "CR-10",
            f"载体 {carrier.label} 为本单位制发，没有制文机关可清退；不再需要的请走销毁程序（CR-10）。",
        )
    if issuer and issuer.strip() != carrier.issuer:
        raise RuleViolation(
            "CR-10",
            f"载体 {carrier.label} 的制文机关是“{carrier.issuer}”，不能清退给“{issuer.strip()}”"
            "（CR-10：清退回制发机关）。",
        )
    if carrier.status in WITH_HOLDER:
        raise RuleViolation(
            "CR-10",
            f"载体 {carrier.label} 在{carrier.holder.name}手中，须先收回机要室再清退（CR-10）。",
            {"status": carrier.status},
        )
    custody.require_status(carrier, (Status.IN_REGISTRY, Status.ARCHIVED), "清退")
    today = clock.today()
    custody.move(
        actor,
        carrier,
        EventKind.RECALL,
        status=Status.RETURNED,
        note=(f"清退至{carrier.issuer}" + (f"，{received_by.strip()}接收" if received_by else ""))
        + (f"；{note.strip()}" if note.strip() else ""),
    )
    remove_from_dossier(actor, carrier)  # CL-6: returned, it is no longer the dossier's content
    RecallItem.objects.create(
        unit_id=carrier.unit_id,
        carrier=carrier,
        issuer=carrier.issuer,
        returned_at=clock.now(),
        returned_by=actor,
        received_by=received_by.strip()[:50],
        note=note.strip()[:500],
    )
    _close_round_if_complete(carrier, today)
    return carrier


def _close_round_if_complete(carrier: Carrier, today: date) -> None:
    """When nothing of this issuer is due any more, the round is done: the schedule moves on."""
    schedule = (
        IssuerRecallSchedule.objects.select_for_update()
        .filter(unit_id=carrier.unit_id, issuer=carrier.issuer)
        .first()
    )
    if schedule is None or schedule.next_due > today:
        return
    still_due = any(r.issuer == carrier.issuer for r in recall_rounds(carrier.unit, today))
    if not still_due:
        schedule.last_recalled_on = today
        schedule.save(update_fields=["last_recalled_on"])
