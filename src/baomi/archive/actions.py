"""Archive writers: dossiers, archiving, retrieval (CR-11, CL-6, ARC-1, ARC-2).

Every carrier movement in or out of the archive store is a custody event (ARCHIVE, RETRIEVE, or a
move out of ARCHIVED such as listing for destruction): that ledger is the ARC-2 register, read by
`archive.selectors.archive_movements`.
"""

from __future__ import annotations

from django.db import IntegrityError

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, StepOutcome
from baomi.approvals.rules import consume
from baomi.archive.models import Dossier, DossierItem
from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import WITH_HOLDER, EventKind, PlaceKind, Status
from baomi.carriers.models import Carrier, Place
from baomi.carriers.rules import require_clerk, require_storable
from baomi.classification.choices import LEVEL_RANK, Level, PeriodKind
from baomi.classification.periods import end_date
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person

ARCHIVE_PLACE_KINDS = (PlaceKind.ARCHIVE, PlaceKind.SAFE)


@action("dossier.create")
def create_dossier(
    actor: Person,
    *,
    number: str,
    title: str,
    year: int,
    place: Place,
    leadership_meeting: bool = False,
) -> Dossier:
    """立卷: a new, empty dossier in the archive store (CR-11)."""
    require_clerk(actor, actor.unit_id, "立卷")
    errors: dict[str, list[str]] = {}
    if not (number or "").strip():
        errors["number"] = ["请填写卷宗号"]
    if not (title or "").strip():
        errors["title"] = ["请填写案卷题名"]
    if not 1900 <= int(year or 0) <= 2999:
        errors["year"] = ["归档年度无效"]
    if place.unit_id != actor.unit_id or place.kind not in ARCHIVE_PLACE_KINDS:
        errors["place"] = ["卷宗须存放在本单位的档案室或保险柜"]
    if errors:
        raise Invalid("立卷信息有误。", errors)
    if Dossier.objects.filter(unit_id=actor.unit_id, number=number.strip()).exists():
        raise Invalid("卷宗号已存在。", {"number": ["卷宗号已存在"]})
    try:
        dossier = Dossier.objects.create(
            unit_id=actor.unit_id,
            number=number.strip(),
            title=title.strip(),
            year=year,
            place=place,
            leadership_meeting=leadership_meeting,
            created_by=actor,
            created_at=clock.now(),
        )
    except IntegrityError as error:  # a concurrent clerk took the number
        raise Invalid("卷宗号已存在。", {"number": ["卷宗号已存在"]}) from error
    record(
        "dossier.create",
        actor,
        dossier,
        after={"number": dossier.number, "leadership_meeting": leadership_meeting},
    )
    return dossier


@action("carrier.archive")
def archive(actor: Person, carrier: Carrier, dossier: Dossier, *, note: str = "") -> Carrier:
    """归档 (CR-11): a finished carrier back in the registry goes into a dossier, whose marking is
    recomputed (CL-6); the move is registered (ARC-2)."""
    require_clerk(actor, carrier.unit_id, "办理归档")
    carrier = custody.lock(carrier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.unit_id != carrier.unit_id:
        raise Invalid("卷宗不属于本单位。", {"dossier_id": ["卷宗不属于本单位"]})
    if carrier.status in WITH_HOLDER:
        raise RuleViolation(
            "CR-11",
            f"载体 {carrier.label} 仍在{carrier.holder.name}手中，须先收回机要室、办结后才能归档"
            "（CR-11）。",
            {"status": carrier.status},
        )
    custody.require_status(carrier, (Status.IN_REGISTRY,), "归档")
    filed = DossierItem.objects.filter(carrier=carrier, removed_at__isnull=True).first()
    if filed is not None and filed.dossier_id != dossier.pk:
        raise RuleViolation(
            "CR-11",
            f"载体 {carrier.label} 已归入卷宗 {filed.dossier.number}，调阅后须归还原卷（CR-11）。",
        )
    require_storable(carrier, dossier.place)
    if filed is None:
        DossierItem.objects.create(
            dossier=dossier, carrier=carrier, added_at=clock.now(), added_by=actor
        )
    custody.move(
        actor,
        carrier,
        EventKind.ARCHIVE,
        status=Status.ARCHIVED,
        place=dossier.place,
        note=note or f"归入卷宗 {dossier.number}",
        audit_extra={"dossier": dossier.number},
    )
    recompute_marking(actor, dossier)
    return carrier


def recompute_marking(actor: Person, dossier: Dossier) -> bool:
    """CL-6: the highest level and the longest period of what the dossier holds. Runs inside the
    calling action's transaction; audits a change of the marking."""
    carriers = [
        i.carrier for i in dossier.items.filter(removed_at__isnull=True).select_related("carrier")
    ]
    before = dossier.marking
    level, category, period = Level.PUBLIC, dossier.category, None
    if carriers:
        top = max(carriers, key=lambda c: LEVEL_RANK[Level(c.level)])
        level, category = top.level, top.category
        period = _longest_period(carriers)
    dossier.level, dossier.category = level, category
    dossier.period_kind = period.kind if period else ""
    dossier.period_years = period.years if period else None
    dossier.period_months = period.months if period else None
    dossier.period_until = period.until if period else None
    dossier.period_condition = (period.condition or "") if period else ""
    dossier.save()
    if dossier.marking != before:
        record(
            "dossier.marking",
            actor,
            dossier,
            before={"marking": before},
            after={"marking": dossier.marking, "items": len(carriers)},
        )
        return True
    return False


def _longest_period(carriers: list[Carrier]):
    """长期 outlasts everything; then the latest end date counted from each carrier's date; a
    condition (启用前…) has no date and counts only when nothing else has a period."""
    periods = [(c.period, c.doc_date) for c in carriers if c.period is not None]
    if not periods:
        return None
    for period, _ in periods:
        if period.kind == PeriodKind.INDEFINITE:
            return period
    dated = [(end_date(p, d), p) for p, d in periods if end_date(p, d) is not None]
    if dated:
        return max(dated, key=lambda pair: pair[0])[1]
    return periods[0][0]


def remove_from_dossier(actor: Person, carrier: Carrier) -> Dossier | None:
    """The carrier leaves its dossier for good (e.g. listed for destruction): contents change,
    so the marking is recomputed (CL-6). Runs inside the calling action's transaction."""
    item = (
        DossierItem.objects.select_for_update(of=("self",))
        .filter(carrier=carrier, removed_at__isnull=True)
        .select_related("dossier")
        .first()
    )
    if item is None:
        return None
    item.removed_at = clock.now()
    item.save(update_fields=["removed_at"])
    record(
        "dossier.remove_item",
        actor,
        item.dossier,
        after={"carrier": carrier.label, "level": carrier.level},
    )
    recompute_marking(actor, item.dossier)
    return item.dossier


def needs_leader(carrier: Carrier) -> bool:
    """ARC-1: 绝密 and leadership-meeting records need the leader's approval."""
    if carrier.level == Level.TOP_SECRET:
        return True
    return DossierItem.objects.filter(
        carrier=carrier, removed_at__isnull=True, dossier__leadership_meeting=True
    ).exists()


def _leader_refusal(carrier: Carrier) -> RuleViolation:
    return RuleViolation(
        "ARC-1",
        f"调阅{carrier.get_level_display()}载体 {carrier.label}（绝密或领导班子会议记录）"
        "须经单位负责人批准（ARC-1）。",
    )


@action("retrieval.request")
def request_retrieval(
    actor: Person,
    carriers: list[Carrier],
    *,
    reason: str,
    approver: Person,
    beneficiary: Person | None = None,
):
    """档案调阅申请 (ARC-1): only archived carriers; 绝密 and leadership-meeting records must be
    addressed to the leader (单位负责人)."""
    carriers = [Carrier.objects.select_related("unit").get(pk=c.pk) for c in carriers]
    for carrier in carriers:
        if carrier.status != Status.ARCHIVED:
            raise InvalidState(
                f"载体 {carrier.label} 当前状态为“{carrier.get_status_display()}”，不在档案库中。",
                {"status": carrier.status},
            )
        if needs_leader(carrier) and not approver.is_unit_head:
            raise _leader_refusal(carrier)
    return approvals.create_request(
        actor,
        approvals.RequestForm(
            kind=RequestKind.ARCHIVE_RETRIEVAL,
            carriers=list(carriers),
            reason=reason,
            approver=approver,
            beneficiary=beneficiary,
        ),
    )


@action("carrier.retrieve")
def retrieve(
    actor: Person, carrier: Carrier, request, *, place: Place | None = None, note: str = ""
) -> Carrier:
    """调阅出库 (ARC-1): against an approved retrieval request naming the carrier; 绝密 and
    leadership-meeting records only with the leader's approval. The carrier returns to the
    registry (IN_REGISTRY); reading then goes through circulate/lend as usual. Registered (ARC-2)."""
    require_clerk(actor, carrier.unit_id, "办理档案调阅")
    carrier = custody.lock(carrier)
    custody.require_status(carrier, (Status.ARCHIVED,), "调阅出库")
    request = consume(request, RequestKind.ARCHIVE_RETRIEVAL, carrier)
    if needs_leader(carrier):
        leaders = request.steps.filter(
            outcome=StepOutcome.APPROVED, approver__is_unit_head=True
        ).exists()
        if not leaders:
            raise _leader_refusal(carrier)
    target = place or carrier.home_place
    require_storable(carrier, target)
    custody.move(
        actor,
        carrier,
        EventKind.RETRIEVE,
        status=Status.IN_REGISTRY,
        place=target,
        request=request,
        note=note or f"调阅人：{request.beneficiary.name}",
    )
    return carrier
