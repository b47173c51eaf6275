"""Destruction writers (CR-12): register a list, check item by item, submit to the leader, destroy
under two witnesses. There is deliberately no single-carrier `destroy`: a carrier becomes
DESTROYED only as an item of an approved list, all of them together in one transaction.
"""

from __future__ import annotations

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.rules import consume
from baomi.archive.actions import remove_from_dossier
from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import CarrierKind, EventKind, Status
from baomi.carriers.models import Carrier
from baomi.carriers.rules import require_clerk, require_storable
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.destruction.models import DestructionItem, DestructionList, ListStatus, Method
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person

LISTABLE = (Status.IN_REGISTRY, Status.ARCHIVED)
MEDIA_KINDS = (
    CarrierKind.USB_DRIVE,
    CarrierKind.OPTICAL_DISC,
    CarrierKind.HARD_DISK,
    CarrierKind.MEMORY_CARD,
    CarrierKind.TAPE,
    CarrierKind.EQUIPMENT,
    CarrierKind.COMPUTER,  # a scrapped classified computer (DEV-4) is destroyed physically
)


def allowed_methods(carrier: Carrier) -> tuple[str, ...]:
    """CR-12: 绝密 and 密码电报 burned on site; paper 秘密/机密 shredded or pulped at the designated
    mill (burning also acceptable); media and equipment physically destroyed."""
    if carrier.kind in MEDIA_KINDS:
        return (Method.PHYSICAL,)
    if carrier.level == Level.TOP_SECRET or carrier.kind == CarrierKind.TELEGRAM:
        return (Method.BURN,)
    return (Method.SHRED, Method.PULP, Method.BURN)


def _next_number(unit_id: int) -> str:
    year = clock.today().year
    prefix = f"XH-{year}-"
    taken = DestructionList.objects.filter(unit_id=unit_id, number__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def _editable(dlist: DestructionList) -> DestructionList:
    """Lock the list; its items change only before it is approved (a rejected or withdrawn
    request puts it back to 登记中)."""
    dlist = (
        DestructionList.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=dlist.pk)
    )
    if dlist.status == ListStatus.SUBMITTED and dlist.request.status in (
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
    ):
        dlist.status, dlist.request = ListStatus.DRAFT, None
        dlist.save(update_fields=["status", "request"])
    if dlist.status != ListStatus.DRAFT:
        raise InvalidState(
            f"{dlist} 当前为“{dlist.get_status_display()}”，清单内容不能再修改。",
            {"status": dlist.status},
        )
    return dlist


def _list_carrier(actor: Person, dlist: DestructionList, carrier: Carrier) -> None:
    carrier = custody.lock(carrier)
    if carrier.unit_id != dlist.unit_id:
        raise Invalid("载体不属于本单位。", {"carrier_ids": [f"{carrier.label} 不属于本单位"]})
    custody.require_status(carrier, LISTABLE, "列入销毁清单")
    # CL-6: the dossier's contents change — also for a carrier retrieved from it (IN_REGISTRY but
    # still filed), which would otherwise stay in the dossier once destroyed.
    remove_from_dossier(actor, carrier)
    DestructionItem.objects.create(list=dlist, carrier=carrier, added_at=clock.now())
    custody.move(
        actor,
        carrier,
        EventKind.LIST_FOR_DESTRUCTION,
        status=Status.PENDING_DESTRUCTION,
        place=carrier.place,
        note=f"列入{dlist}",
        audit_extra={"list": dlist.number},
    )


@action("destruction.create")
def create_list(actor: Person, carriers: list[Carrier], *, reason: str = "") -> DestructionList:
    """造册登记 (CR-12): a list of carriers in the registry or the archive, each now 待销毁."""
    require_clerk(actor, actor.unit_id, "登记销毁清单")
    carriers = list(dict.fromkeys(carriers))
    if not carriers:
        raise Invalid("请至少选择一件载体。", {"carrier_ids": ["请至少选择一件载体"]})
    dlist = DestructionList.objects.create(
        unit_id=actor.unit_id,
        number=_next_number(actor.unit_id),
        created_by=actor,
        created_at=clock.now(),
        reason=(reason or "").strip()[:500],
    )
    for carrier in carriers:
        _list_carrier(actor, dlist, carrier)
    record(
        "destruction.create",
        actor,
        dlist,
        after={"carriers": [c.label for c in carriers]},
    )
    return dlist


@action("destruction.add")
def add_items(actor: Person, dlist: DestructionList, carriers: list[Carrier]) -> DestructionList:
    require_clerk(actor, dlist.unit_id, "修改销毁清单")
    dlist = _editable(dlist)
    for carrier in dict.fromkeys(carriers):
        if dlist.items.filter(carrier=carrier).exists():
            raise Invalid("载体已在清单中。", {"carrier_ids": [f"{carrier.label} 已在清单中"]})
        _list_carrier(actor, dlist, carrier)
    record("destruction.add", actor, dlist, after={"carriers": [c.label for c in carriers]})
    return dlist


@action("destruction.unlist")
def unlist(actor: Person, dlist: DestructionList, carrier: Carrier) -> Carrier:
    """移出清单: the carrier goes back into the registry (IN_REGISTRY at its home place)."""
    require_clerk(actor, dlist.unit_id, "修改销毁清单")
    dlist = _editable(dlist)
    item = dlist.items.filter(carrier=carrier).first()
    if item is None:
        raise Invalid("载体不在清单中。", {"carrier_id": [f"{carrier.label} 不在清单中"]})
    carrier = custody.lock(carrier)
    custody.require_status(carrier, (Status.PENDING_DESTRUCTION,), "移出销毁清单")
    require_storable(carrier, carrier.home_place)
    item.delete()
    custody.move(
        actor,
        carrier,
        EventKind.UNLIST,
        status=Status.IN_REGISTRY,
        place=carrier.home_place,
        note=f"移出{dlist}",
        audit_extra={"list": dlist.number},
    )
    return carrier


@action("destruction.check")
def check_item(actor: Person, dlist: DestructionList, carrier: Carrier) -> DestructionItem:
    """逐件清点 (CR-12): one item checked against the list, by a named clerk, at a time."""
    require_clerk(actor, dlist.unit_id, "清点销毁载体")
    dlist = DestructionList.objects.select_for_update().get(pk=dlist.pk)
    if dlist.status == ListStatus.DESTROYED:
        raise InvalidState(f"{dlist} 已销毁。", {"status": dlist.status})
    item = dlist.items.select_for_update().filter(carrier=carrier).first()
    if item is None:
        raise Invalid("载体不在清单中。", {"carrier_id": [f"{carrier.label} 不在清单中"]})
    if item.checked_at is not None:
        raise InvalidState(
            f"{carrier.label} 已于 {item.checked_at:%Y-%m-%d %H:%M} 清点。",
            {"status": "checked"},
        )
    item.checked_by, item.checked_at = actor, clock.now()
    item.save(update_fields=["checked_by", "checked_at"])
    record("destruction.check", actor, dlist, after={"carrier": carrier.label})
    return item


@action("destruction.submit")
def submit(actor: Person, dlist: DestructionList, *, approver: Person, reason: str = ""):
    """报批: the list goes to the leader as one DESTRUCTION request naming every carrier."""
    require_clerk(actor, dlist.unit_id, "报批销毁清单")
    dlist = _editable(dlist)
    carriers = [i.carrier for i in dlist.items.select_related("carrier__unit")]
    if not carriers:
        raise Invalid("清单为空，不能报批。", {"carrier_ids": ["清单为空"]})
    request = approvals.create_request(
        actor,
        approvals.RequestForm(
            kind=RequestKind.DESTRUCTION,
            carriers=carriers,
            reason=(reason or dlist.reason or f"{dlist}报批").strip(),
            approver=approver,
        ),
    )
    dlist.request, dlist.status = request, ListStatus.SUBMITTED
    dlist.save(update_fields=["request", "status"])
    record("destruction.submit", actor, dlist, after={"request": request.pk}, request_id=request.pk)
    return request


@action("destruction.destroy")
def destroy(
    actor: Person,
    dlist: DestructionList,
    *,
    method: str,
    place: str,
    witnesses: list[Person],
) -> DestructionList:
    """销毁 (CR-12, APR-1): only an approved list, every item checked, a method that fits each
    carrier, at a named place, under at least two different cleared witnesses neither of whom
    asked for the destruction. Every carrier becomes DESTROYED, or none does."""
    require_clerk(actor, dlist.unit_id, "办理销毁")
    dlist = (
        DestructionList.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=dlist.pk)
    )
    if dlist.status == ListStatus.DESTROYED:
        raise InvalidState(
            f"{dlist} 已于 {dlist.destroyed_at:%Y-%m-%d} 销毁。", {"status": dlist.status}
        )
    request = dlist.request
    if request is None or request.status != RequestStatus.APPROVED:
        state = "未报批" if request is None else f"审批状态为“{request.get_status_display()}”"
        raise RuleViolation("CR-12", f"{dlist}{state}，须经领导批准后才能销毁（CR-12）。")
    items = list(dlist.items.select_related("carrier__unit").order_by("id"))
    unchecked = [i.carrier.label for i in items if i.checked_at is None]
    if unchecked:
        raise RuleViolation(
            "CR-12",
            f"以下载体尚未逐件清点：{'、'.join(unchecked)}（CR-12：销毁前须逐件清点登记）。",
            {"unchecked": unchecked},
        )
    carriers = [i.carrier for i in items]
    _check_witnesses(dlist, request, carriers, witnesses)
    _check_method(carriers, method)
    if not (place or "").strip():
        raise Invalid("请填写销毁地点。", {"place": ["请填写销毁地点"]})
    now = clock.now()
    names = [w.name for w in witnesses]
    for carrier in carriers:
        carrier = custody.lock(carrier)
        custody.require_status(carrier, (Status.PENDING_DESTRUCTION,), "销毁")
        consume(request, RequestKind.DESTRUCTION, carrier)
        custody.move(
            actor,
            carrier,
            EventKind.DESTROY,
            status=Status.DESTROYED,
            request=request,
            note=f"{dlist}；{Method(method).label}；地点：{place.strip()}；监销人：{'、'.join(names)}",
            audit_extra={"list": dlist.number, "method": method, "witnesses": names},
        )
    dlist.status, dlist.method, dlist.place = ListStatus.DESTROYED, method, place.strip()[:200]
    dlist.destroyed_at, dlist.destroyed_by = now, actor
    dlist.save()
    dlist.witnesses.set(witnesses)
    record(
        "destruction.destroy",
        actor,
        dlist,
        after={
            "carriers": [c.label for c in carriers],
            "method": method,
            "witnesses": [w.pk for w in witnesses],
        },
        request_id=request.pk,
    )
    return dlist


def _check_witnesses(dlist, request, carriers: list[Carrier], witnesses: list[Person]) -> None:
    """两人监销 (CR-12, APR-1): two different people, cleared for the highest level on the list,
    on post, of the unit, and neither the person who asked for the destruction."""
    if len(witnesses) < 2:
        raise RuleViolation("CR-12", "销毁须有至少两名监销人在场（CR-12：两人监销）。")
    if len({w.pk for w in witnesses}) != len(witnesses):
        raise RuleViolation(
            "CR-12", "监销人须为不同的人，同一人不能重复计为两名监销人（CR-12，APR-1）。"
        )
    askers = {dlist.created_by_id, request.requester_id}
    top = max((c.level for c in carriers), key=lambda lv: LEVEL_RANK[Level(lv)])
    for witness in witnesses:
        if witness.pk in askers:
            raise RuleViolation(
                "CR-12",
                f"{witness.name}是提出销毁的人，不能担任监销人（CR-12：监销人不得为申请人）。",
            )
        cleared = (
            witness.active
            and not witness.has_system_role
            and not witness.is_automation
            and witness.unit_id == dlist.unit_id
            and witness.covers(top)
        )
        if not cleared:
            raise RuleViolation(
                "CR-12",
                f"{witness.name}的涉密等级不足以监销{Level(top).label}载体（CR-12：监销人须为"
                "具备相应涉密等级的在岗人员）。",
            )


def _check_method(carriers: list[Carrier], method: str) -> None:
    if method not in Method.values:
        raise Invalid("销毁方式无效。", {"method": ["销毁方式无效"]})
    for carrier in carriers:
        allowed = allowed_methods(carrier)
        if method not in allowed:
            raise RuleViolation(
                "CR-12",
                f"{carrier.get_level_display()}{carrier.get_kind_display()} {carrier.label} "
                f"须以“{'、'.join(Method(m).label for m in allowed)}”方式销毁，"
                f"不能“{Method(method).label}”（CR-12）。",
            )
