"""`baomi import devices FILE --as USERNAME`: a device ledger in the official columns, through the
imports machinery (readers, header synonyms, the dry-run contract `第N行 〈列〉：原因（规则）`).

All-or-nothing like the carrier import: every row is checked by the ledger form's own rules
(`actions.check_form`: DEV-1, DEV-2, PER-1); only a file without a bad row is written, each
device through the same path as the form (a classified one also enters the carrier ledger).
"""

from __future__ import annotations

import hashlib

from baomi.audit.trail import record
from baomi.carriers.choices import PlaceKind
from baomi.carriers.models import Place
from baomi.carriers.rules import require_clerk
from baomi.classification.choices import Level
from baomi.devices import actions
from baomi.devices.choices import DeviceKind, DeviceStatus, Network
from baomi.imports.columns import HEADER_SEARCH_ROWS, Layout, fold
from baomi.imports.readers import BadFile, read_sheet
from baomi.imports.report import ImportReport, Problem, RowsRejected
from baomi.imports.values import Directory, parse_date
from baomi.lib.actions import action
from baomi.lib.errors import BaomiError, Invalid, RuleViolation
from baomi.org.models import Department, Person, Unit

KIND = "devices"
# field → (label, header names found in ledgers); the first name is the official column.
DEVICE_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称"),
    "department": ("部门", "使用部门", "所在部门", "处室", "科室"),
    "kind": ("设备类型", "类型", "设备种类", "设备名称", "类别"),
    "brand": ("品牌", "厂商", "生产厂家"),
    "model": ("型号", "规格型号"),
    "serial": ("序列号", "设备序列号", "出厂编号", "SN"),
    "disk_serial": ("硬盘序列号", "硬盘编号", "硬盘号"),
    "mac": ("MAC地址", "MAC", "网卡地址", "物理地址"),
    "level": ("密级",),
    "number": ("保密编号", "编号", "设备编号", "统一编号"),
    "responsible": ("责任人", "使用人", "保管人"),
    "location": ("放置地点", "存放地点", "安放地点", "位置"),
    "network": ("联网情况", "网络类型", "接入网络", "联网类型"),
    "status": ("使用情况", "状态", "使用状态"),
    "commissioned_on": ("启用日期", "启用时间", "投入使用日期"),
    "place": ("存放位置", "保管位置"),
}
REQUIRED = ("kind",)
KIND_WORDS = {
    **{label: value for value, label in DeviceKind.choices},
    **{value: value for value in DeviceKind.values},
    "计算机": DeviceKind.DESKTOP,
    "台式机": DeviceKind.DESKTOP,
    "笔记本": DeviceKind.LAPTOP,
    "笔记本电脑": DeviceKind.LAPTOP,
    "便携机": DeviceKind.LAPTOP,
    "优盘": DeviceKind.USB_DRIVE,
    "u盘": DeviceKind.USB_DRIVE,
    "移动存储介质": DeviceKind.USB_DRIVE,
    "硬盘": DeviceKind.HARD_DISK,
    "sd卡": DeviceKind.MEMORY_CARD,
    "多功能一体机": DeviceKind.COPIER,
}
LEVEL_WORDS = {
    **{label: value for value, label in Level.choices},
    "非涉密": "",
    "无": "",
    "": "",
}
NETWORK_WORDS = {
    **{label: value for value, label in Network.choices},
    "单机运行": Network.STANDALONE,
    "内网": Network.INTRANET,
    "外网": Network.INTERNET,
    "国际互联网": Network.INTERNET,
    "": "",
}
STATUS_WORDS = {**{label: value for value, label in DeviceStatus.choices}, "正常": "in_use"}
# Which column a form field's problem belongs to.
FIELD_COLUMNS = {"responsible": "responsible", "network": "network", "level": "level"}


def _detect(rows) -> Layout:
    table = {}
    for name, names in DEVICE_COLUMNS.items():
        for header in names:
            table.setdefault(fold(header).lower(), name)
    best = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = table.get(fold(cell).lower())
            if name and name not in mapping:
                mapping[name] = col
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best.mapping)):
            best = Layout(index + 1, [str(c) for c in row], mapping)
    if best is None:
        raise BadFile(
            f"在文件前 {HEADER_SEARCH_ROWS} 行中没有找到表头（应有 设备类型、密级、责任人 等列）。"
        )
    if "kind" not in best.mapping:
        raise BadFile("表头中没有“设备类型”列，无法导入。")
    return best


class _RowError(Exception):
    def __init__(self, field: str, message: str, rule_id: str = ""):
        super().__init__(message)
        self.field, self.message, self.rule_id = field, message, rule_id


def _cell(layout: Layout, cells, name: str) -> str:
    index = layout.mapping.get(name)
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return "" if value is None else str(value).strip()


def _choice(words: dict, text: str, field: str, what: str) -> str:
    key = fold(text)
    for candidate in (key, key.lower()):
        if candidate in words:
            return words[candidate]
    raise _RowError(field, f"无法识别的{what}“{text}”")


class _Context:
    def __init__(self, actor: Person, unit: Unit):
        self.people = Directory.of(
            Person.objects.filter(unit=unit, active=True, is_automation=False)
        )
        self.departments = {d.name: d for d in Department.objects.filter(unit=unit)}
        places = list(Place.objects.filter(unit=unit, active=True).order_by("id"))
        self.places = {p.name: p for p in places}
        self.safe = next((p for p in places if p.kind == PlaceKind.SAFE), None)
        self.default_place = self.safe or (places[0] if places else None)


def _form(ctx: _Context, layout: Layout, cells) -> tuple[actions.DeviceForm, list[str]]:
    notes = []
    kind = _choice(KIND_WORDS, _cell(layout, cells, "kind"), "kind", "设备类型")
    level = _choice(LEVEL_WORDS, _cell(layout, cells, "level"), "level", "密级")
    network = _choice(NETWORK_WORDS, _cell(layout, cells, "network"), "network", "联网情况")
    status_text = _cell(layout, cells, "status")
    status = _choice(STATUS_WORDS, status_text, "status", "使用情况") if status_text else "in_use"
    department = None
    if name := _cell(layout, cells, "department"):
        department = ctx.departments.get(name)
        if department is None:
            raise _RowError("department", f"本单位没有部门“{name}”")
    responsible = None
    if name := _cell(layout, cells, "responsible"):
        try:
            responsible = ctx.people.find(name)
        except ValueError as error:
            raise _RowError("responsible", str(error)) from None
    commissioned = None
    if text := _cell(layout, cells, "commissioned_on"):
        commissioned = parse_date(text)
        if commissioned is None:
            raise _RowError("commissioned_on", f"无法识别的日期“{text}”")
    place = ctx.default_place if level in ("confidential", "secret", "top_secret") else None
    if name := _cell(layout, cells, "place"):
        place = ctx.places.get(name)
        if place is None:
            raise _RowError("place", f"本单位没有存放位置“{name}”")
    if level == Level.TOP_SECRET and place is not None and place.kind != PlaceKind.SAFE:
        place = ctx.safe
    number = _cell(layout, cells, "number")
    classified = level in ("confidential", "secret", "top_secret")
    if classified and number:
        notes.append(f"涉密设备按载体统一编号重新编号，原保密编号“{number}”记入备注")
    form = actions.DeviceForm(
        kind=kind,
        level=level,
        department=department,
        brand=_cell(layout, cells, "brand"),
        model=_cell(layout, cells, "model"),
        serial=_cell(layout, cells, "serial"),
        disk_serial=_cell(layout, cells, "disk_serial"),
        mac=_cell(layout, cells, "mac"),
        responsible=responsible,
        location=_cell(layout, cells, "location"),
        network=network,
        status=status,
        commissioned_on=commissioned,
        asset_number="" if classified else number,
        remarks=f"原保密编号 {number}" if classified and number else "",
        place=place,
    )
    return form, notes


def _column(layout: Layout, name: str) -> str:
    return layout.header_of(name) or DEVICE_COLUMNS[name][0]


@action("import.devices")
def import_devices(
    actor: Person, unit: Unit, *, file_name: str, data: bytes, dry_run: bool
) -> ImportReport:
    """Import a device ledger (DEV-1, DEV-2): every row checked as the ledger form would; all
    or nothing; a dry run writes nothing."""
    require_clerk(actor, unit.pk, "导入设备台帐")
    try:
        sheet = read_sheet(file_name, data)
        layout = _detect(sheet.rows)
    except BadFile as error:
        raise Invalid(error.message, {"file": [error.message]}) from None
    report = ImportReport(
        KIND, file_name, dry_run, header_row=layout.header_row, mapping=layout.named_mapping()
    )
    ctx = _Context(actor, unit)
    valid: list[actions.DeviceForm] = []
    for offset, cells in enumerate(sheet.rows[layout.header_row :]):
        if not any(str(c or "").strip() for c in cells):
            continue
        report.row_count += 1
        row = layout.header_row + offset + 1
        try:
            form, notes = _form(ctx, layout, cells)
            actions.check_form(actor, form)
            if form.level and not actor.covers(form.level):
                raise RuleViolation("PER-1", "导入人的涉密等级不能覆盖该设备的密级（PER-1）。")
        except _RowError as error:
            report.problems.append(
                Problem(row, _column(layout, error.field), error.message, error.rule_id)
            )
            continue
        except BaomiError as error:
            field = (getattr(error, "detail", None) or {}).get("field") or next(
                iter(getattr(error, "detail", None) or {}), "kind"
            )
            name = FIELD_COLUMNS.get(field, field if field in DEVICE_COLUMNS else "kind")
            rule = getattr(error, "rule_id", "")
            report.problems.append(Problem(row, _column(layout, name), error.message, rule))
            continue
        valid.append(form)
        report.notes.extend(f"第{row}行：{note}" for note in notes)
        report.count += 1
    if report.row_count == 0:
        raise Invalid("文件中表头以下没有数据行。", {"file": ["文件中表头以下没有数据行"]})
    if report.problems and not dry_run:
        raise RowsRejected(report)
    if dry_run:
        return report
    for form in valid:
        actions.create_checked(actor, form)
    record(
        "import.devices",
        actor,
        unit,
        after={
            "rows": report.row_count,
            "devices": report.count,
            "file_name": file_name[:255],
            "file_sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    return report
