"""The only writers of the carrier ledger (design.md). Each action takes the acting person first,
runs in one transaction with its custody and audit events, and refuses with RuleViolation."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from baomi.approvals.choices import RequestKind
from baomi.approvals.rules import consume, needs_issuer_consent
from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import (
    AT_PLACE,
    DEVICE_KINDS,
    LIVE,
    TERMINAL,
    WITH_HOLDER,
    EventKind,
    PlaceKind,
    Status,
)
from baomi.carriers.models import Carrier, Place
from baomi.carriers.registration import create_copies, register_carriers
from baomi.carriers.rules import (
    check_due,
    require_clerk,
    require_may_hold,
    require_registered,
    require_storable,
)
from baomi.classification.choices import LEVEL_RANK, Level, is_state_secret
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.models import Person

register = action("carrier.register")(register_carriers)


@action("carrier.circulate")
def circulate(
    actor: Person,
    carrier: Carrier,
    reader: Person,
    *,
    due_date: date | None = None,
    note: str = "",
    reading_place: Place | None = None,
) -> Carrier:
    """传阅 to one reader in scope (CR-4, PER-1); 绝密 comes back the same day (CR-5, CR-17) and
    is read in a designated room (机要室/阅览室), which is recorded with the read (CR-5)."""
    require_clerk(actor, carrier.unit_id, "传阅载体")
    carrier = custody.lock(carrier, conflict_if_moved=True, scope_of=reader)
    require_registered(carrier, "传阅")
    if carrier.status in WITH_HOLDER:
        raise RuleViolation(
            "CR-4",
            f"载体 {carrier.label} 在{carrier.holder.name}手中，须先退回机要室再传给下一位"
            "（CR-4：阅后退回，不得横传）。",
            {"status": carrier.status, "holder": carrier.holder.name},
        )
    custody.require_status(carrier, (Status.IN_REGISTRY,), "传阅")
    require_may_hold(reader, carrier)
    due = check_due(carrier, due_date)
    place = _reading_place(carrier, reading_place)
    custody.move(
        actor,
        carrier,
        EventKind.CIRCULATE,
        status=Status.CIRCULATING,
        holder=reader,
        due_date=due,
        note="；".join(p for p in (f"阅读地点：{place.name}" if place else "", note.strip()) if p),
        audit_extra={"reading_place": place.name} if place else None,
    )
    return carrier


READING_PLACE_KINDS = (PlaceKind.READING_ROOM, PlaceKind.ROOM)


def _reading_place(carrier: Carrier, place: Place | None) -> Place | None:
    """CR-5: a 绝密 carrier is read only in a designated room of its unit (机要室/阅览室), and the
    room is recorded with the read. Without a choice, the unit's one designated room is it;
    with several, the clerk must name one."""
    if carrier.protection_level != Level.TOP_SECRET:
        return place
    if place is None:
        designated = list(
            Place.objects.filter(unit_id=carrier.unit_id, kind__in=READING_PLACE_KINDS)[:2]
        )
        place = designated[0] if len(designated) == 1 else None
    if place is None or place.unit_id != carrier.unit_id or place.kind not in READING_PLACE_KINDS:
        raise RuleViolation(
            "CR-5",
            f"绝密载体 {carrier.label} 只能在指定场所（机要室、阅览室）阅读：请指定本单位的"
            "阅读地点（CR-5：绝密载体随阅随退，在指定场所阅读）。",
            {"reading_place": ["请选择机要室或阅览室"]},
        )
    return place
    if place is None or place.unit_id != carrier.unit_id or place.kind not in READING_PLACE_KINDS:
        raise RuleViolation(
            "CR-5",
            f"绝密载体 {carrier.label} 只能在指定场所（机要室、阅览室）阅读：请指定本单位的"
            "阅读地点（CR-5：绝密载体随阅随退，在指定场所阅读）。",
            {"reading_place": ["请选择机要室或阅览室"]},
        )
    return place


MAX_BATCH = 500


@action("carrier.return_batch")
def return_many(
    actor: Person, carriers: list[Carrier], *, place: Place | None = None, note: str = ""
) -> list[Carrier]:
    """批量归还 (CR-4, CR-17): all or nothing. A refusal of one carrier rolls back the whole
    batch and names that carrier, so the ledger never holds half of a stack the clerk believes
    returned; each carrier that does come back gets its own custody and audit event."""
    require_clerk(actor, actor.unit_id, "办理归还")
    unique = sorted({c.pk: c for c in carriers}.values(), key=lambda c: c.pk)  # lock order
    if not unique:
        raise Invalid("请选择要归还的载体。", {"carriers": ["请至少选择一件载体"]})
    if len(unique) > MAX_BATCH:
        raise Invalid(f"一次最多归还 {MAX_BATCH} 件。", {"carriers": [f"一次最多 {MAX_BATCH} 件"]})
    # `__wrapped__`: inside this one transaction; a refusal is audited once, as the batch's.
    return [return_to_registry.__wrapped__(actor, c, place=place, note=note) for c in unique]


@action("carrier.acknowledge")
def acknowledge(actor: Person, carrier: Carrier) -> Carrier:
    """签收: the holder confirms receipt; until then the hand-over shows as unacknowledged."""
    carrier = custody.lock(carrier)
    if carrier.holder_id != actor.pk:
        raise Forbidden(f"只有载体 {carrier.label} 的当前持有人可以签收。")
    if carrier.acknowledged_at is not None:
        raise InvalidState(
            f"载体 {carrier.label} 已于 {carrier.acknowledged_at:%Y-%m-%d %H:%M} 签收。",
            {"status": carrier.status},
        )
    carrier.acknowledged_at = clock.now()
    carrier.save(update_fields=["acknowledged_at"])
    custody.note_event(actor, carrier, EventKind.ACKNOWLEDGE)
    return carrier


@action("carrier.return")
def return_to_registry(
    actor: Person, carrier: Carrier, *, place: Place | None = None, note: str = ""
) -> Carrier:
    """归还: the registry takes the carrier back from its holder (CR-4, CR-17)."""
    require_clerk(actor, carrier.unit_id, "办理归还")
    carrier = custody.lock(carrier)
    # A declared paper enters the registry by being registered (来源、存放位置、知悉范围), not by 归还.
    require_registered(carrier, "作归还处理，请通过“登记带回文件”办理")
    custody.require_status(carrier, WITH_HOLDER, "归还")
    target = place or carrier.home_place
    require_storable(carrier, target)
    custody.move(
        actor, carrier, EventKind.RETURN, status=Status.IN_REGISTRY, place=target, note=note
    )
    return carrier


@action("carrier.lend")
def lend(
    actor: Person, carrier: Carrier, request, *, due_date: date | None = None, note: str = ""
) -> Carrier:
    """借阅 against an approved loan request (CR-6), never for 绝密 (CR-5), due back (CR-17)."""
    require_clerk(actor, carrier.unit_id, "办理借阅")
    carrier = custody.lock(carrier, scope_of=getattr(request, "beneficiary", None))
    require_registered(carrier, "借出")
    custody.require_status(carrier, (Status.IN_REGISTRY,), "借出")
    if carrier.level == Level.TOP_SECRET:
        raise RuleViolation(
            "CR-5",
            f"绝密载体 {carrier.label} 不得借出机要室，只能在指定场所阅读、随阅随退（CR-5）。",
        )
    request = consume(request, RequestKind.LOAN, carrier)
    require_may_hold(request.beneficiary, carrier)
    due = due_within_approval(carrier, due_date, request)
    custody.move(
        actor,
        carrier,
        EventKind.LEND,
        status=Status.ON_LOAN,
        holder=request.beneficiary,
        due_date=due,
        request=request,
        note=note,
    )
    return carrier


@action("carrier.take_out")
def take_out(
    actor: Person, carrier: Carrier, request, *, due_date: date | None = None, note: str = ""
) -> Carrier:
    """携带外出 against an approved take-out request, due back (CR-8)."""
    require_clerk(actor, carrier.unit_id, "办理携带外出")
    carrier = custody.lock(carrier)
    require_registered(carrier, "携带外出")
    custody.require_status(carrier, (Status.IN_REGISTRY,), "携带外出")
    if carrier.unit.forbid_state_secret_take_out and is_state_secret(carrier.level):
        raise RuleViolation(
            "CR-8", f"本单位规定国家秘密载体不准外带，{carrier.label} 不能携带外出（CR-8）。"
        )
    request = consume(request, RequestKind.TAKE_OUT, carrier)
    require_may_hold(request.beneficiary, carrier)
    due = due_within_approval(carrier, due_date, request)
    custody.move(
        actor,
        carrier,
        EventKind.TAKE_OUT,
        status=Status.TAKEN_OUT,
        holder=request.beneficiary,
        due_date=due,
        request=request,
        note=note or request.destination,
    )
    return carrier


@action("carrier.assign")
def assign(actor: Person, carrier: Carrier, person: Person, *, note: str = "") -> Carrier:
    """配发在用 (DEV-1, DEV-2): a classified computer or medium goes to its 责任人 for daily use.
    Not a loan: no due date and no same-day return; it comes back with 归还 like any carrier."""
    require_clerk(actor, carrier.unit_id, "配发涉密设备")
    carrier = custody.lock(carrier)
    if carrier.kind not in DEVICE_KINDS:
        raise RuleViolation(
            "DEV-1",
            f"载体 {carrier.label} 是{carrier.get_kind_display()}，只有涉密计算机和存储介质可以"
            "配发在用；纸质载体请办理借阅（DEV-1）。",
        )
    if carrier.status in WITH_HOLDER:
        raise RuleViolation(
            "CR-4",
            f"载体 {carrier.label} 在{carrier.holder.name}手中，须先退回机要室再配发"
            "（CR-4：不得横传）。",
            {"status": carrier.status, "holder": carrier.holder.name},
        )
    custody.require_status(carrier, (Status.IN_REGISTRY,), "配发在用")
    require_may_hold(person, carrier)
    custody.move(actor, carrier, EventKind.ASSIGN, status=Status.ASSIGNED, holder=person, note=note)
    return carrier


def due_within_approval(carrier: Carrier, due: date | None, request) -> date:
    """APR-3: never later than the approved date; CR-17: never beyond the unit's limit."""
    due = due or request.due_date
    if request.due_date and due > request.due_date:
        raise RuleViolation(
            "APR-3", f"归还日期 {due} 晚于批准的期限 {request.due_date}（APR-3：批准不能被扩大）。"
        )
    return check_due(carrier, due)


@action("carrier.copy")
def copy(
    actor: Person,
    carrier: Carrier,
    request,
    *,
    copies: int,
    place: Place | None = None,
    level: str | None = None,
    note: str = "",
) -> list[Carrier]:
    """复制 against an approved copy request (CR-7); copies keep the original's level (CL-5)."""
    require_clerk(actor, carrier.unit_id, "办理复制")
    original = custody.lock(carrier)
    require_registered(original, "复制")
    custody.require_status(original, (Status.IN_REGISTRY,), "复制")
    if level is not None and LEVEL_RANK[Level(level)] < LEVEL_RANK[Level(original.level)]:
        raise RuleViolation(
            "CL-5",
            f"复制件不得低于原件密级：原件为{original.get_level_display()}，"
            f"不能标为{Level(level).label}（CL-5）。",
        )
    if not 1 <= copies <= 100:
        raise Invalid("复制份数须在 1 到 100 之间。", {"copies": ["复制份数须在 1 到 100 之间"]})
    request = consume(request, RequestKind.COPY, original)
    if request.copies is not None and copies > request.copies:
        raise RuleViolation(
            "APR-3",
            f"批准复制 {request.copies} 份，不能复制 {copies} 份（APR-3：批准不能被扩大）。",
        )
    if needs_issuer_consent(original) and not (
        request.issuer_consent_doc and request.issuer_consent_date
    ):
        raise RuleViolation("CR-7", f"复制 {original.label} 须有制文机关的书面同意（CR-7）。")
    made = create_copies(
        actor, original, request, copies, place or original.home_place, level or original.level
    )
    custody.note_event(
        actor,
        original,
        EventKind.COPY,
        request=request,
        note=note or f"复制 {copies} 份：{made[0].number}",
    )
    return made


@action("carrier.relocate")
def relocate(actor: Person, carrier: Carrier, place: Place, *, note: str = "") -> Carrier:
    """移库 within the registry; 绝密 and 密码电报 only into a safe (CR-15)."""
    require_clerk(actor, carrier.unit_id, "调整存放位置")
    carrier = custody.lock(carrier)
    custody.require_status(carrier, AT_PLACE, "移库")
    if place.pk == carrier.place_id:
        raise Invalid("载体已在该位置。", {"place": ["载体已在该位置"]})
    require_storable(carrier, place)
    carrier.home_place = place
    custody.move(
        actor, carrier, EventKind.RELOCATE, status=Status(carrier.status), place=place, note=note
    )
    return carrier


AMENDABLE = ("title", "issuer", "doc_number", "doc_date", "pages", "kind", "remarks")
# Descriptive fields whose text may itself be classified: the audit records that they changed,
# never what they say (SEC-4).
REDACTED = ("title", "remarks")
CLASSIFICATION_FIELDS = ("level", "category", "period", "scope", "basis", "classifier")


@action("carrier.amend")
def amend(actor: Person, carrier: Carrier, changes: dict, *, reason: str) -> Carrier:
    """更正 a descriptive field, with a reason; classification changes go through CL-8."""
    require_clerk(actor, carrier.unit_id, "更正登记信息")
    carrier = custody.lock(carrier)
    # Terminal states never change (design.md): a sent, returned, destroyed or voided record is
    # closed; LOST stays correctable.
    custody.require_status(carrier, [s for s in Status if s not in TERMINAL], "更正")
    touched = sorted(set(changes) & set(CLASSIFICATION_FIELDS))
    if touched:
        raise RuleViolation(
            "CL-8",
            f"密级、保密期限、知悉范围等须经变更审批，不能通过更正修改：{', '.join(touched)}（CL-8）。",
        )
    unknown = sorted(set(changes) - set(AMENDABLE))
    if unknown:
        raise Invalid("不能更正这些字段。", {name: ["不能更正此字段"] for name in unknown})
    if not (reason or "").strip():
        raise Invalid("更正须说明理由。", {"reason": ["请填写更正理由"]})
    changed = {k: v for k, v in changes.items() if getattr(carrier, k) != v}
    if not changed:
        raise Invalid("没有需要更正的内容。", {"changes": ["新值与原值相同"]})
    before = {k: _audit_value(k, getattr(carrier, k)) for k in changed}
    for name, value in changed.items():
        setattr(carrier, name, value)
    carrier.full_clean(exclude=["scope_people", "scope_departments"])
    carrier.save()
    after = {k: _audit_value(k, v) for k, v in changed.items()}
    custody.note_event(
        actor,
        carrier,
        EventKind.AMEND,
        note=f"更正：{reason.strip()}",
        before=before,
        after={**after, "reason": reason.strip()},
    )
    return carrier


def _audit_value(name: str, value):
    if name in REDACTED:
        return "〔涉密内容，不入审计〕"
    return value.isoformat() if isinstance(value, date) else value


@action("carrier.void")
def void(actor: Person, carrier: Carrier, *, reason: str) -> Carrier:
    """作废 a wrong registration, only before the carrier ever moved or was copied."""
    require_clerk(actor, carrier.unit_id, "作废登记")
    carrier = custody.lock(carrier)
    custody.require_status(carrier, (Status.IN_REGISTRY,), "作废")
    if carrier.events.exclude(kind=EventKind.REGISTER).exists() or carrier.copies.exists():
        raise InvalidState(
            f"载体 {carrier.label} 已有流转记录，不能作废；登记有误请更正，多余载体请走销毁程序。",
            {"status": carrier.status},
        )
    if not (reason or "").strip():
        raise Invalid("作废须说明理由。", {"reason": ["请填写作废理由"]})
    custody.move(actor, carrier, EventKind.VOID, status=Status.VOIDED, note=reason.strip())
    return carrier


@action("carrier.report_lost")
def report_lost(actor: Person, carrier: Carrier, *, note: str = "") -> Carrier:
    """报失 (INC-1: at once, no hiding): the clerk or the person holding it."""
    carrier = custody.lock(carrier)
    if carrier.holder_id != actor.pk:
        require_clerk(actor, carrier.unit_id, "报失")
    custody.require_status(carrier, LIVE, "报失")
    custody.move(actor, carrier, EventKind.REPORT_LOST, status=Status.LOST, note=note)
    return carrier


@action("carrier.found")
def found(
    actor: Person,
    carrier: Carrier,
    *,
    place: Place | None = None,
    note: str = "",
    incident=None,
) -> Carrier:
    """找回: a lost carrier comes back into the registry. One lost in an incident is found only
    by naming that incident, and the finding is recorded in it (INC-1)."""
    require_clerk(actor, carrier.unit_id, "登记找回")
    carrier = custody.lock(carrier)
    custody.require_status(carrier, (Status.LOST,), "登记找回")
    target = place or carrier.home_place
    require_storable(carrier, target)
    # Imported here: the incidents app builds on the carriers, not the other way round.
    from baomi.incidents.actions import record_found_in

    note = record_found_in(actor, carrier, incident, note)
    custody.move(
        actor, carrier, EventKind.FOUND, status=Status.IN_REGISTRY, place=target, note=note
    )
    return carrier


# --- places (the 系统管理员's console: 机要室, cabinets, safes) ---------------------------------


def _require_sysadmin(actor: Person, doing: str) -> None:
    if not (actor.is_automation or actor.system_role == "sysadmin"):
        raise Forbidden(f"只有系统管理员可以{doing}（SEC-3 三员分立）。")


def _place_fields(unit_id: int, name: str, kind: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid("请填写存放位置名称（最多 100 字）。", {"name": ["请填写名称，最多 100 字"]})
    if kind not in PlaceKind.values:
        raise Invalid("存放位置类型无效。", {"kind": ["存放位置类型无效"]})
    if Place.objects.filter(unit_id=unit_id, name=name).exclude(pk=exclude).exists():
        raise Invalid("本单位已有同名存放位置。", {"name": ["本单位已有同名存放位置"]})
    return name


def _holds_anything(place: Place) -> bool:
    """A place holds a carrier that is at it, or that returns to it (its home place)."""
    return (
        Carrier.objects.filter(Q(place=place) | Q(home_place=place))
        .exclude(status__in=TERMINAL)
        .exists()
    )


@action("place.create")
def create_place(actor: Person, unit, *, name: str, kind: str) -> Place:
    """A 机要室, cabinet or safe; whether it is a safe is what CR-15 checks for 绝密."""
    _require_sysadmin(actor, "建立存放位置")
    name = _place_fields(unit.pk, name, kind)
    place = Place.objects.create(unit=unit, name=name, kind=kind)
    record("place.create", actor, place, after={"name": name, "kind": kind})
    return place


@action("place.update")
def update_place(actor: Person, place: Place, *, name: str | None = None, kind=None) -> Place:
    """Rename a place; its kind changes only while it holds nothing (CR-15: a safe holding
    绝密 cannot quietly become a cabinet)."""
    _require_sysadmin(actor, "修改存放位置")
    before = {"name": place.name, "kind": place.kind}
    new_kind = kind if kind is not None else place.kind
    place.name = _place_fields(
        place.unit_id, name if name is not None else place.name, new_kind, exclude=place.pk
    )
    if new_kind != place.kind and _holds_anything(place):
        raise RuleViolation(
            "CR-15", f"“{place.name}”存放着载体，不能改变类型；请先移出载体（CR-15）。"
        )
    place.kind = new_kind
    place.save(update_fields=["name", "kind"])
    record(
        "place.update", actor, place, before=before, after={"name": place.name, "kind": new_kind}
    )
    return place


@action("place.retire")
def retire_place(actor: Person, place: Place) -> Place:
    """撤销: a place that holds nothing takes no carrier any more; its history stays."""
    _require_sysadmin(actor, "撤销存放位置")
    if not place.active:
        raise InvalidState(f"“{place.name}”已撤销。")
    if _holds_anything(place):
        raise InvalidState(f"“{place.name}”仍存放着载体（或是载体的固定存放位置），不能撤销。")
    place.active = False
    place.save(update_fields=["active"])
    record("place.retire", actor, place, before={"active": True}, after={"active": False})
    return place


@action("place.reinstate")
def reinstate_place(actor: Person, place: Place) -> Place:
    _require_sysadmin(actor, "恢复存放位置")
    if place.active:
        raise InvalidState(f"“{place.name}”在用。")
    place.active = True
    place.save(update_fields=["active"])
    record("place.reinstate", actor, place, before={"active": False}, after={"active": True})
    return place
