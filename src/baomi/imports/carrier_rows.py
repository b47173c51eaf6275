"""One row of a carriers ledger → what registration would make of it, or the row's problems.

Every row goes through the register form's own checks (`registration.check_registration`,
`rules.require_storable`, `rules.require_may_hold`): this module only reads cells into a
`Registration` and resolves names, once per file (people, places, departments, numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from baomi.carriers.choices import SAFE_ONLY_KINDS, CarrierKind, PlaceKind, Source
from baomi.carriers.models import Carrier, Place
from baomi.carriers.registration import Registration, build_carrier, check_registration
from baomi.carriers.rules import require_may_hold
from baomi.classification.choices import Level
from baomi.classification.periods import end_date
from baomi.imports.columns import Layout, label_of
from baomi.imports.report import Problem
from baomi.imports.values import (
    Directory,
    fold,
    parse_copy_numbers,
    parse_count,
    parse_date,
    split_names,
)
from baomi.lib.errors import Invalid, RuleViolation
from baomi.lib.markings import MarkingError, parse_marking
from baomi.org.models import Department, Person, Unit

NUMBER_RE = re.compile(r"^(\d{4})-(\d{1,9})$")
MAX_NUMBER_LENGTH = 32

KIND_WORDS = {
    **{label: value for value, label in CarrierKind.choices},
    "文件": CarrierKind.DOCUMENT,
    "纸质": CarrierKind.DOCUMENT,
    "纸件": CarrierKind.DOCUMENT,
    "公文": CarrierKind.DOCUMENT,
    "纸介质": CarrierKind.DOCUMENT,
    "电报": CarrierKind.TELEGRAM,
    "会议材料": CarrierKind.MEETING_PAPER,
    "笔记本": CarrierKind.NOTEBOOK,
    "优盘": CarrierKind.USB_DRIVE,
    "u盘": CarrierKind.USB_DRIVE,
    "硬盘": CarrierKind.HARD_DISK,
    "sd卡": CarrierKind.MEMORY_CARD,
    "存储卡": CarrierKind.MEMORY_CARD,
    **{value: value for value in CarrierKind.values},
}
PRODUCED_WORDS = ("发文", "制发", "本单位制发", "自产", "本单位")
RECEIVED_WORDS = ("收文", "来文", "外来")

# Which column a problem of a registration field belongs to (first one the file has).
FIELD_COLUMNS = {
    "title": ("title",),
    "kind": ("kind",),
    "level": ("level", "marking"),
    "category": ("level", "marking"),
    "period": ("period", "marking", "level"),
    "source": ("source", "issuer"),
    "copies": ("copies", "copy_no"),
    "pages": ("pages",),
    "scope": ("scope", "holder"),
    "issuer": ("issuer",),
    "classifier": ("classifier", "issuer"),
    "basis": ("basis",),
    "marking_reviewer": ("marking", "level"),
    "place": ("place",),
    "holder": ("holder",),
}


@dataclass
class CarrierRow:
    """A valid row: the carriers it makes (unsaved) and how they arrive."""

    row: int
    registration: Registration
    carriers: list[Carrier]
    number: str  # '' when one is to be assigned
    holder: Person | None
    at: datetime  # when it happened: the ledger's date
    period_ended: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class CarrierContext:
    """Everything a row is checked against, read from the database once per file."""

    actor: Person
    unit: Unit
    people: Directory
    departments: dict[str, Department]
    places: dict[str, Place]
    default_place: Place | None
    default_safe: Place | None
    taken_numbers: set[str]
    today: date
    seen: dict[tuple[str, int], int] = field(default_factory=dict)
    # CL-7: the unit's current 保密事项目录 entries by code, read once per file when needed.
    catalogue: dict | None = None

    @classmethod
    def load(cls, actor: Person, unit: Unit, numbers: set[str]) -> CarrierContext:
        people = Person.objects.filter(
            unit=unit, active=True, system_role="", is_automation=False
        ).select_related("department")
        places = list(Place.objects.filter(unit=unit).order_by("pk"))
        # A retired place (Place.active, where the model has it) is never a default.
        usable = [p for p in places if getattr(p, "active", True)]
        first = {kind: next((p for p in usable if p.kind == kind), None) for kind in PlaceKind}
        return cls(
            actor=actor,
            unit=unit,
            people=Directory.of(people),
            departments={d.name: d for d in Department.objects.filter(unit=unit)},
            places={p.name: p for p in places},
            # The registry's default place: its 机要室, else its first cabinet, else a safe.
            default_place=first[PlaceKind.ROOM]
            or first[PlaceKind.CABINET]
            or first[PlaceKind.SAFE],
            default_safe=first[PlaceKind.SAFE],
            taken_numbers=_taken(unit, numbers),
            today=timezone.localdate(),
        )


def _taken(unit: Unit, numbers: set[str]) -> set[str]:
    """Which of the file's 统一编号 the unit already uses (chunked: SQLite's variable limit)."""
    wanted, taken = sorted(numbers), set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        taken.update(
            Carrier.objects.filter(unit=unit, number__in=chunk).values_list("number", flat=True)
        )
    return taken


class RowProblems(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


class _Row:
    """Reads one row's cells by field name and collects its problems."""

    def __init__(self, layout: Layout, number: int, cells: list):
        self.layout, self.number, self.cells = layout, number, cells
        self.problems: list[Problem] = []

    def get(self, name: str):
        index = self.layout.mapping.get(name)
        if index is None or index >= len(self.cells):
            return ""
        value = self.cells[index]
        return value if isinstance(value, date) else str(value).strip()

    def column(self, *names: str) -> str:
        for name in names:
            if name in self.layout.mapping:
                return self.layout.header_of(name) or label_of("carriers", name)
        return label_of("carriers", names[0])

    def problem(self, names, message: str, rule_id: str = "") -> None:
        names = (names,) if isinstance(names, str) else names
        self.problems.append(Problem(self.number, self.column(*names), message, rule_id))


def is_blank(layout: Layout, cells: list) -> bool:
    """An empty row, or one holding only its 序号 (ledgers pre-number empty lines)."""
    return all(
        (cells[i] if i < len(cells) else "") in ("", None)
        for name, i in layout.mapping.items()
        if name != "serial"
    )


def read_row(ctx: CarrierContext, layout: Layout, number: int, cells: list) -> CarrierRow:
    """The row as carriers to register; RowProblems with every problem found otherwise."""
    row = _Row(layout, number, cells)
    notes: list[str] = []
    entry = _catalogue_entry(ctx, row)
    if entry is not None and not (row.get("marking") or row.get("level")):
        # CL-7: the catalogue entry named as 定密依据 gives the level and the period.
        level, category, period = entry.level, None, entry.period
    else:
        level, category, period = _classification(row)
    kind = _kind(row)
    doc_date, at = _dates(ctx, row, notes)
    copy_nos = _copies(row)
    holder = _person(ctx, row, "holder")
    scope_people, scope_departments = _scope(ctx, row, holder)
    place = _place(ctx, row, level, kind)
    kept = _number(ctx, row, copy_nos)
    source = _source(ctx, row)
    classifier = _person(ctx, row, "classifier")
    if row.problems:
        raise RowProblems(row.problems)
    remarks = [row.get("remarks")]
    if row.get("handler"):
        # 承办人 is recorded, never taken as the holder.
        remarks.append(f"承办人：{row.get('handler')}")
    if not row.get("doc_date"):
        remarks.append("台账无成文日期，保密期限自收文日期起算")
    reg = Registration(
        kind=kind,
        title=row.get("title"),
        doc_date=doc_date,
        level=level,
        source=source,
        place=place,
        copies=len(copy_nos),
        category=category,
        period=period,
        issuer=row.get("issuer"),
        doc_number=row.get("doc_number"),
        pages=_pages(row),
        basis=entry.basis_text if entry is not None else row.get("basis"),
        catalogue_entry=entry,
        classifier=classifier,
        # CL-10: the clerk importing the ledger checks its markings, as at the register form.
        marking_reviewer=ctx.actor if source == Source.PRODUCED else None,
        scope_people=scope_people,
        scope_departments=scope_departments,
        remarks="；".join(r for r in remarks if r)[:500],
    )
    if row.problems:
        raise RowProblems(row.problems)
    carriers = _check(ctx, row, reg, kept, copy_nos, holder, at)
    ended = end_date(carriers[0].period, doc_date)
    period_ended = ended is not None and ended < ctx.today
    if period_ended:
        notes.append(f"保密期限已于 {ended} 届满，导入后列入解密审核（CL-9），不自动解密")
    return CarrierRow(number, reg, carriers, kept, holder, at, period_ended, notes)


def _check(ctx, row: _Row, reg: Registration, kept, copy_nos, holder, at) -> list[Carrier]:
    """The register form's rules, then storage (CR-15) and the holder (PER-1, CR-4)."""
    try:
        category, period = check_registration(ctx.actor, reg)
        carriers = [
            # A new number is only taken when the file is imported; messages say 新编号 till then.
            build_carrier(ctx.actor, reg, kept or "新编号", n, category, period, registered_at=at)
            for n in copy_nos
        ]
    except RuleViolation as error:
        field_name = error.detail.get("field") or {"CR-15": "place"}.get(error.rule_id, "")
        row.problem(FIELD_COLUMNS.get(field_name, ("title",)), error.message, error.rule_id)
        raise RowProblems(row.problems) from None
    except Invalid as error:
        for name, messages in (error.detail or {"title": [error.message]}).items():
            for message in messages:
                row.problem(FIELD_COLUMNS.get(name, ("title",)), message)
        raise RowProblems(row.problems) from None
    if holder is not None:
        scoped = holder in reg.scope_people or any(
            d.pk == holder.department_id for d in reg.scope_departments
        )
        try:
            require_may_hold(holder, carriers[0], scoped=scoped)
        except RuleViolation as error:
            row.problem(("holder",), error.message, error.rule_id)
            raise RowProblems(row.problems) from None
    return carriers


def _catalogue_entry(ctx: CarrierContext, row: _Row):
    """The 保密事项目录 entry the row's 定密依据 names by its code (CL-7), or None."""
    from baomi.catalogue.selectors import basis_code, current_entries

    text = row.get("basis")
    if not text:
        return None
    if ctx.catalogue is None:
        ctx.catalogue = {e.code: e for e in current_entries(ctx.actor.unit_id)}
    return ctx.catalogue.get(basis_code(text))


def _classification(row: _Row):
    """密级 + 保密期限, or a combined 密级标志, read like the register form does (CL-4, CL-12)."""
    marking, level_text, period_text = row.get("marking"), row.get("level"), row.get("period")
    columns = ("marking",) if marking else ("level", "marking")
    if marking:
        text = marking
    elif level_text:
        text = level_text
        if period_text and "★" not in fold(level_text) and "*" not in fold(level_text):
            period = fold(period_text)
            text = f"{level_text}★{period}年" if period.isdigit() else f"{level_text}★{period}"
    else:
        row.problem(columns, "须填写密级（CL-2）", "CL-2")
        return "", None, None
    try:
        parsed = parse_marking(text)
    except MarkingError as error:
        rule = error.rule_id or "CL-4"
        if not (marking or error.rule_id) and fold(level_text) == "公开":
            row.problem(columns, "公开载体无需登记，请从台账中删去此行")
        elif not (marking or error.rule_id) and parse_marking_word(level_text) is None:
            row.problem(
                columns, f"“{level_text}”不是有效的密级（绝密、机密、秘密、内部）（CL-1）", "CL-1"
            )
        elif not marking and not error.rule_id and period_text:
            row.problem(
                ("period",),
                f"保密期限“{period_text}”无法识别（应如 10年、6个月、长期、至2030年1月1日、启用前）",
                "CL-4",
            )
        else:
            row.problem(columns, error.message, rule)
        return "", None, None
    if marking and level_text:
        other = parse_marking_word(level_text)
        if other is not None and other != parsed.level:
            row.problem(("level",), f"密级“{level_text}”与密级标志“{parsed.text}”不一致", "CL-4")
    if parsed.level == Level.PUBLIC:
        row.problem(columns, "公开载体无需登记")
    return str(parsed.level), str(parsed.category), parsed.period


def parse_marking_word(text: str):
    try:
        return parse_marking(text).level
    except MarkingError:
        return None


def _kind(row: _Row) -> str:
    text = row.get("kind")
    if not text:
        return CarrierKind.DOCUMENT
    kind = KIND_WORDS.get(fold(text)) or KIND_WORDS.get(fold(text).lower())
    if kind is None:
        row.problem(("kind",), f"“{text}”不是可识别的载体类别（如 纸质文件、U盘、光盘）")
        return CarrierKind.DOCUMENT
    return kind


def _dates(ctx: CarrierContext, row: _Row, notes: list[str]):
    """成文日期 counts the period (CL-3); where only 收文日期 exists it stands in (and says so).
    The event happened on 收文/登记日期 when the ledger has one."""
    doc_date = received = None
    for name in ("doc_date", "received_date"):
        try:
            value = parse_date(row.get(name))
        except ValueError as error:
            row.problem((name,), str(error))
            continue
        if value and value > ctx.today:
            row.problem((name,), f"日期 {value} 晚于今天")
            continue
        doc_date, received = (value, received) if name == "doc_date" else (doc_date, value)
    if doc_date is None and received is None:
        if not any(
            p.column in (row.column("doc_date"), row.column("received_date")) for p in row.problems
        ):
            row.problem(
                ("doc_date", "received_date"), "须填写成文日期（或收文日期）（CL-3）", "CL-3"
            )
        return ctx.today, _midnight(ctx.today)
    if doc_date is None:
        notes.append("台账无成文日期，保密期限自收文日期起算（CL-3）")
    happened = received or doc_date
    return doc_date or received, _midnight(happened)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _copies(row: _Row) -> list[int]:
    try:
        listed = parse_copy_numbers(row.get("copy_no"))
    except ValueError as error:
        row.problem(("copy_no",), str(error))
        return [1]
    if listed is not None:
        return listed
    try:
        count = parse_count(row.get("copies"), "份数", default=1)
    except ValueError as error:
        row.problem(("copies",), str(error))
        return [1]
    return list(range(1, count + 1))


def _pages(row: _Row) -> int:
    try:
        return parse_count(row.get("pages"), "页数/数量", default=1)
    except ValueError as error:
        row.problem(("pages",), str(error))
        return 1


def _person(ctx: CarrierContext, row: _Row, name: str) -> Person | None:
    text = row.get(name)
    if not text:
        return None
    try:
        return ctx.people.find(text)
    except ValueError as error:
        rule = "PER-1" if name == "holder" else "CL-11"
        row.problem((name,), f"{error}（{rule}）", rule)
        return None


def _scope(ctx: CarrierContext, row: _Row, holder: Person | None):
    """知悉范围: departments and people of the unit; the holder alone when the ledger names
    none (CL-13: the smallest scope that fits what the ledger says)."""
    people, departments = [], []
    for token in split_names(row.get("scope")):
        if token in ctx.departments:
            departments.append(ctx.departments[token])
            continue
        try:
            people.append(ctx.people.find(token))
        except ValueError:
            row.problem(
                ("scope",), f"知悉范围中的“{token}”不是本单位的部门或在岗人员（CL-13）", "CL-13"
            )
    if not (people or departments) and holder is not None and not row.get("scope"):
        people.append(holder)
    return people, departments


def _place(ctx: CarrierContext, row: _Row, level: str, kind: str) -> Place | None:
    """The named place, else the registry's default; 绝密 and 密码电报 without a named place
    go to the unit's first safe (CR-15) — a named place that is no safe is the row's error."""
    text = row.get("place")
    if text:
        place = ctx.places.get(fold(text))
        if place is None:
            row.problem(("place",), f"“{text}”不是本单位登记的存放位置")
        return place
    if level == Level.TOP_SECRET or kind in SAFE_ONLY_KINDS:
        if ctx.default_safe is None:
            row.problem(
                ("place", "level"), "本单位没有登记保险柜，绝密载体无处存放（CR-15）", "CR-15"
            )
        return ctx.default_safe
    if ctx.default_place is None:
        row.problem(("place",), "本单位没有登记任何存放位置，请先由系统管理员建立")
    return ctx.default_place


def _number(ctx: CarrierContext, row: _Row, copy_nos: list[int]) -> str:
    """An old 统一编号 is kept: it must not clash with the ledger or with the file itself."""
    number = fold(row.get("number"))
    if not number:
        return ""
    if len(number) > MAX_NUMBER_LENGTH:
        row.problem(("number",), f"统一编号不能超过 {MAX_NUMBER_LENGTH} 个字符")
        return ""
    if number in ctx.taken_numbers:
        row.problem(
            ("number",), f"统一编号 {number} 已在本单位台账中使用（CR-1：统一编号唯一）", "CR-1"
        )
        return number
    for copy_no in copy_nos:
        first = ctx.seen.get((number, copy_no))
        if first is not None:
            row.problem(
                ("number", "copy_no"),
                f"统一编号 {number} 第 {copy_no} 份与第{first}行重复（CR-1：统一编号和份号唯一）",
                "CR-1",
            )
            return number
    for copy_no in copy_nos:
        ctx.seen[(number, copy_no)] = row.number
    return number


def _source(ctx: CarrierContext, row: _Row) -> str:
    """收文 unless the ledger says 发文/本单位制发, or the issuer is the unit itself."""
    text = fold(row.get("source"))
    if text:
        if any(word in text for word in PRODUCED_WORDS):
            return Source.PRODUCED
        if any(word in text for word in RECEIVED_WORDS):
            return Source.RECEIVED
        row.problem(("source",), f"来源“{text}”无法识别（应为 收文 或 本单位制发）")
        return Source.RECEIVED
    return Source.PRODUCED if fold(row.get("issuer")) == ctx.unit.name else Source.RECEIVED


def numbers_in(layout: Layout, rows) -> set[str]:
    index = layout.mapping.get("number")
    if index is None:
        return set()
    return {fold(str(r[index])) for r in rows if index < len(r) and str(r[index]).strip()}


def advance_for(number: str) -> tuple[int, int] | None:
    """(year, n) when a kept number is in the system's own form YYYY-NNNNNNN: the counter of
    that year must move past n, or registration would later hand the same number out again."""
    m = NUMBER_RE.match(number)
    return (int(m[1]), int(m[2])) if m else None
