"""收文/制发登记 and the registration of copies (CR-1, CL-2, CL-3, CL-10, CL-11, CL-5, CR-7).

`register_carriers` is exposed as `carriers.actions.register` (wrapped there in the action frame).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from baomi.carriers import custody
from baomi.carriers.choices import CarrierKind, EventKind, Source, Status
from baomi.carriers.models import Carrier, NumberSequence, Place
from baomi.carriers.rules import require_storable
from baomi.classification.choices import LEVEL_RANK, Category, Level, PeriodKind, is_state_secret
from baomi.classification.periods import Period, default_period, names_decision, needs_decision
from baomi.lib import clock
from baomi.lib.errors import Invalid, RuleViolation
from baomi.org.models import Department, Person

MAX_COPIES_PER_REGISTRATION = 500


@dataclass
class Registration:
    """What the clerk fills in on the 收文/发文 register."""

    kind: str
    title: str
    doc_date: date
    level: str
    source: str
    place: Place
    copies: int = 1
    category: str | None = None
    period: Period | None = None
    issuer: str = ""
    doc_number: str = ""
    pages: int = 1
    basis: str = ""
    classifier: Person | None = None
    classifier_name: str = ""
    marking_reviewer: Person | None = None
    scope_people: list[Person] = field(default_factory=list)
    scope_departments: list[Department] = field(default_factory=list)
    no_copy: bool = False
    remarks: str = ""
    # CL-7: the 保密事项目录 entry the classification rests on (catalogue.CatalogueEntry).
    catalogue_entry: object | None = None


def next_number(unit, year: int) -> str:
    """The next 统一编号 of the unit for the year, e.g. 2026-0001234 (sequence row locked)."""
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(unit=unit, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{year}-{sequence.last:07d}"


def require_registrar(actor: Person) -> None:
    """CR-1: only a designated registry clerk receives and registers."""
    if not (actor.is_registry_clerk and not actor.has_system_role and actor.active):
        raise RuleViolation(
            "CR-1", "只有指定的保密员可以签收登记涉密载体，他人不得代收代登（CR-1）。"
        )


def check_registration(actor: Person, reg: Registration) -> tuple[str, Period | None]:
    """Every rule of the register form (CL-1, CL-2, CL-3, CL-10, CL-11, PER-1), without writing
    anything: returns (category, period). Shared by the form and the ledger import, so the two
    can never drift. RuleViolation's detail names the field it is about (`field`)."""
    _apply_catalogue(actor, reg)
    _check_form(reg)
    category = _category(reg)
    period = _period(reg)
    _check_classification(actor, reg, period)
    return category, period


def register_carriers(actor: Person, registration: Registration) -> list[Carrier]:
    """Register one carrier per copy, sharing one 统一编号, numbered by 份号 1..n."""
    reg = registration
    require_registrar(actor)
    category, period = check_registration(actor, reg)
    number = next_number(actor.unit, clock.today().year)
    carriers = [
        _create(actor, reg, number, copy_no, category, period)
        for copy_no in range(1, reg.copies + 1)
    ]
    return carriers


# An enum's `.values` is rebuilt on every access: a ledger import checks 100,000 rows.
_KINDS = frozenset(CarrierKind.values)
_LEVELS = frozenset(Level.values)


def _check_form(reg: Registration) -> None:
    errors: dict[str, list[str]] = {}
    if not (reg.title or "").strip():
        errors["title"] = ["请填写标题"]
    if reg.kind not in _KINDS:
        errors["kind"] = ["载体类型无效"]
    if reg.level not in _LEVELS or reg.level == Level.PUBLIC:
        errors["level"] = ["请选择密级（公开载体无需登记）"]
    if reg.source not in (Source.RECEIVED, Source.PRODUCED):
        errors["source"] = ["来源须为收文或本单位制发；复制件通过“复制”登记"]
    if not 1 <= reg.copies <= MAX_COPIES_PER_REGISTRATION:
        errors["copies"] = [f"份数须在 1 到 {MAX_COPIES_PER_REGISTRATION} 之间"]
    if reg.pages < 1:
        errors["pages"] = ["页数/数量至少为 1"]
    if errors:
        raise Invalid("登记信息有误。", errors)


def _apply_catalogue(actor: Person, reg: Registration) -> None:
    """CL-7: a 保密事项目录 entry is the 定密依据, and proposes the level and the period where
    the form left them open."""
    entry = reg.catalogue_entry
    if entry is None:
        return
    if entry.unit_id != actor.unit_id or not entry.current:
        raise Invalid("保密事项目录条目无效。", {"catalogue_entry": ["请选择本单位现行的目录条目"]})
    reg.level = reg.level or entry.level
    if reg.period is None and reg.level == entry.level:
        reg.period = entry.period
    if not (reg.basis or "").strip():
        reg.basis = entry.basis_text


def _decided_by_catalogue(reg: Registration, period: Period | None) -> bool:
    """CL-3's "other decision": the catalogue entry sets this level and this period."""
    entry = reg.catalogue_entry
    return entry is not None and entry.level == reg.level and entry.period == period


def _category(reg: Registration) -> str:
    """CL-1: state levels are state secrets; 内部 is a work, commercial or privacy secret."""
    default = Category.STATE if is_state_secret(reg.level) else Category.WORK
    category = reg.category or default
    if (category == Category.STATE) != is_state_secret(reg.level):
        raise RuleViolation(
            "CL-1",
            f"类别“{Category(category).label}”与密级“{Level(reg.level).label}”不符"
            "（CL-1：国家秘密分绝密、机密、秘密三级；工作秘密等标“内部”）。",
            {"field": "category"},
        )
    return category


def _period(reg: Registration) -> Period | None:
    """A received item with a level but no period gets the level's maximum (CL-3); an item that
    is not a state secret has no 保密期限 at all (CL-12: 内部 is marked without ★ or period)."""
    if not is_state_secret(reg.level):
        if reg.period is not None:
            raise RuleViolation(
                "CL-12",
                f"{Level(reg.level).label}事项不是国家秘密，不标保密期限（CL-12：非国家秘密不得标"
                "“★”，工作秘密标“内部”）。",
            )
        return None
    if reg.period is not None:
        return reg.period
    if reg.source == Source.RECEIVED:
        return default_period(reg.level)
    raise RuleViolation(
        "CL-2", "本单位制发的国家秘密载体须确定保密期限（CL-2）。", {"field": "period"}
    )


def _check_classification(actor: Person, reg: Registration, period: Period | None) -> None:
    # CL-3: 长期 and a period above the maximum rest on "another decision" — a 保密事项目录 entry
    # or the 定密责任人's recorded decision with its document number — named as the 定密依据.
    # With a 保密事项目录 entry chosen, the entry is the decision: only its own period is decided.
    if reg.catalogue_entry is not None:
        decided = _decided_by_catalogue(reg, period)
    else:
        decided = names_decision(reg.basis)
    if period is not None and needs_decision(reg.level, period, reg.doc_date) and not decided:
        what = "长期" if period.kind == PeriodKind.INDEFINITE else f"“{period}”"
        raise RuleViolation(
            "CL-3",
            f"{Level(reg.level).label}的保密期限定为{what}须另有决定：请在“定密依据”中注明"
            "保密事项目录条目或定密责任人的决定及文号（CL-3：绝密≤30年、机密≤20年、"
            "秘密≤10年；长期及超过最长期限的须另行决定）。",
            {"field": "period", "basis": ["长期或超过最长期限须注明依据的决定"]},
        )
    if not (reg.scope_people or reg.scope_departments):
        raise RuleViolation(
            "CL-2", "须确定知悉范围（具体人员或部门）（CL-2、CL-13）。", {"field": "scope"}
        )
    if not actor.covers(reg.level):
        raise RuleViolation(
            "PER-1",
            f"登记人的涉密等级不能覆盖{Level(reg.level).label}（PER-1）。",
            {"field": "level"},
        )
    if reg.source == Source.RECEIVED:
        if not reg.issuer.strip():
            raise RuleViolation(
                "CL-2",
                "收文须注明制文机关（CL-2：定密责任人和依据随来文）。",
                {"field": "issuer"},
            )
        return
    _check_origination(actor, reg)


def _check_origination(actor: Person, reg: Registration) -> None:
    """CL-11 (定密权限, 定密责任人), CL-2 (依据) and CL-10 (标定审核) for what the unit produces."""
    unit = actor.unit
    if LEVEL_RANK[Level(reg.level)] > LEVEL_RANK[unit.authority_level]:
        raise RuleViolation(
            "CL-11",
            f"本单位定密权限为{unit.get_classification_authority_display()}，不能产生{Level(reg.level).label}事项"
            "（CL-11：超出定密权限的须报有权机关确定）。",
            {"field": "level"},
        )
    classifier = reg.classifier
    if classifier is None or not classifier.is_classifier or classifier.unit_id != actor.unit_id:
        raise RuleViolation(
            "CL-11",
            "须由本单位的定密责任人确定密级（CL-11：承办人拟定，定密责任人审核确定）。",
            {"field": "classifier"},
        )
    if not classifier.covers(reg.level):
        raise RuleViolation(
            "CL-11",
            f"定密责任人{classifier.name}的涉密等级不能覆盖{Level(reg.level).label}（CL-11）。",
            {"field": "classifier"},
        )
    if not reg.basis.strip():
        raise RuleViolation(
            "CL-2", "须写明定密依据（保密事项目录条目或上级指示）（CL-2）。", {"field": "basis"}
        )
    reviewer = reg.marking_reviewer
    if is_state_secret(reg.level) and (
        reviewer is None
        or reviewer.pk == classifier.pk
        or reviewer.unit_id != actor.unit_id
        or not (reviewer.is_registry_clerk or reviewer.is_classifier)
    ):
        raise RuleViolation(
            "CL-10",
            "国家秘密标志须经保密工作部门审核准确后方可定稿：请指定定密责任人以外的审核人（CL-10）。",
            {"field": "marking_reviewer"},
        )


def _create(actor, reg: Registration, number: str, copy_no: int, category, period) -> Carrier:
    carrier = build_carrier(actor, reg, number, copy_no, category, period)
    carrier.save()
    carrier.scope_people.set(reg.scope_people)
    carrier.scope_departments.set(reg.scope_departments)
    custody.enter_ledger(actor, carrier, EventKind.REGISTER, request=None)
    return carrier


def build_carrier(
    actor,
    reg: Registration,
    number: str,
    copy_no: int,
    category,
    period,
    *,
    registered_at=None,
) -> Carrier:
    """The unsaved carrier of one copy, checked for storage (CR-15). The ledger import saves
    these in bulk; `registered_at` is then the ledger's own date."""
    carrier = Carrier(
        unit=actor.unit,
        number=number,
        copy_no=copy_no,
        kind=reg.kind,
        title=reg.title.strip(),
        issuer=reg.issuer.strip(),
        doc_number=reg.doc_number.strip(),
        doc_date=reg.doc_date,
        pages=reg.pages,
        remarks=reg.remarks,
        level=reg.level,
        category=category,
        # [:200]: the composed basis must fit the column (issuer 100 + number 100 + prefix).
        basis=reg.basis.strip() or f"依据来文标定：{reg.issuer} {reg.doc_number}".strip()[:200],
        classifier=reg.classifier,
        classifier_name=(
            reg.classifier.name if reg.classifier else reg.classifier_name or reg.issuer
        ),
        marking_reviewer=reg.marking_reviewer,
        no_copy=reg.no_copy,
        source=reg.source,
        registered_by=actor,
        registered_at=registered_at or clock.now(),
        status=Status.IN_REGISTRY,
        place=reg.place,
        home_place=reg.place,
    )
    carrier.set_period(period)
    require_storable(carrier, reg.place)
    return carrier


def create_copies(actor, original: Carrier, request, copies: int, place: Place, level: str):
    """CR-7/CL-5: copies are registered and numbered like originals, with the original's
    classification (never lower) and the copying unit's stamp."""
    number = next_number(actor.unit, clock.today().year)
    made = []
    for copy_no in range(1, copies + 1):
        carrier = Carrier(
            unit=original.unit,
            number=number,
            copy_no=copy_no,
            kind=original.kind,
            title=original.title,
            issuer=original.issuer,
            doc_number=original.doc_number,
            doc_date=original.doc_date,
            pages=original.pages,
            level=level,
            category=original.category,
            basis=original.basis,
            classifier=original.classifier,
            classifier_name=original.classifier_name,
            marking_reviewer=original.marking_reviewer,
            no_copy=original.no_copy,
            source=Source.COPY,
            original=original,
            copy_stamp=f"{original.unit.name}复制",
            registered_by=actor,
            registered_at=clock.now(),
            status=Status.IN_REGISTRY,
            place=place,
            home_place=place,
        )
        carrier.set_period(original.period)
        require_storable(carrier, place)
        carrier.save()
        carrier.scope_people.set(original.scope_people.all())
        carrier.scope_departments.set(original.scope_departments.all())
        custody.enter_ledger(actor, carrier, EventKind.COPY, request=request)
        made.append(carrier)
    return made
