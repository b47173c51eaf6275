"""Finding the header row of a ledger and which column holds what, by the names ledgers use.

Real 台帐 put a title (and a unit, a date) above the header: the header is the row among the
first few that names the most known columns. A header cell is matched after folding width,
spaces, line breaks, a leading `*`, and a unit in brackets ("份数（份）" is 份数).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from baomi.imports.choices import ImportKind
from baomi.imports.readers import BadFile, Sheet

HEADER_SEARCH_ROWS = 12

# field → (label shown to the user, header names found in ledgers). First name = the label.
CARRIER_COLUMNS: dict[str, tuple[str, ...]] = {
    "serial": ("序号", "顺序号", "编号序号"),
    "number": ("统一编号", "编号", "登记编号", "登记号", "收文编号", "流水号"),
    "title": ("文件资料名称", "标题", "文件名称", "文件标题", "资料名称", "名称", "题名"),
    "issuer": ("制发机关", "来文机关", "制文单位", "制文机关", "发文机关", "来文单位", "发文单位"),
    "doc_number": ("文号", "字号", "发文字号", "文件字号", "文件编号"),
    "kind": ("载体类别", "类型", "载体类型", "类别", "介质类型"),
    "level": ("密级",),
    "period": ("保密期限", "期限"),
    "marking": ("密级标志", "密级和保密期限", "密级及保密期限", "国家秘密标志", "标志"),
    "copies": ("份数", "总份数"),
    "copy_no": ("份号",),
    "pages": ("页数", "数量", "页数/数量", "张数"),
    "scope": ("知悉范围", "使用范围", "阅知范围"),
    "holder": ("保管人", "持有人", "现持有人", "保管责任人"),
    "handler": ("承办人", "经办人"),
    "place": ("存放位置", "存放地点", "保管位置", "存放处"),
    "doc_date": ("成文日期", "发文日期", "印发日期", "文件日期"),
    "received_date": ("收文日期", "登记日期", "收到日期", "收件日期"),
    "basis": ("定密依据",),
    "classifier": ("定密责任人",),
    "source": ("来源", "收发类别"),
    "remarks": ("备注", "说明"),
}

PEOPLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "department": ("部门", "处室", "科室", "所在部门"),
    "post": ("职务", "岗位", "职务/岗位", "职务岗位", "涉密岗位"),
    "clearance": ("涉密等级", "涉密岗位等级", "涉密人员等级", "等级"),
    "number": ("人员编号", "工号", "编号"),
    "username": ("用户名", "登录名", "账号"),
    "decision_number": ("认定文号", "审批文号", "确定文号"),
    "vetted_on": ("审查日期", "保密审查日期"),
    "committed_on": ("承诺书签订日期", "保密承诺书签订日期", "承诺书日期"),
}

REQUIRED = {ImportKind.CARRIERS: ("title",), ImportKind.PEOPLE: ("name",)}


def columns_of(kind: str) -> dict[str, tuple[str, ...]]:
    return CARRIER_COLUMNS if kind == ImportKind.CARRIERS else PEOPLE_COLUMNS


def label_of(kind: str, name: str) -> str:
    return columns_of(kind)[name][0]


def fold(text) -> str:
    """A header cell folded for matching: width, spaces, stars, a bracketed unit."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\s+", "", text).strip("*★:：")
    text = re.sub(r"[(\[（【][^)\]）】]*[)\]）】]$", "", text)
    return text


def _lookup(kind: str) -> dict[str, str]:
    table = {}
    for name, names in columns_of(kind).items():
        for header in names:
            table.setdefault(fold(header), name)
    return table


@dataclass
class Layout:
    """Where the header is and which column (0-based) holds each field."""

    header_row: int  # spreadsheet row number (1-based)
    headers: list[str]  # the header row's cells as the file spells them
    mapping: dict[str, int] = field(default_factory=dict)

    def header_of(self, name: str) -> str:
        index = self.mapping.get(name)
        if index is None or index >= len(self.headers):
            return ""
        return self.headers[index]

    def named_mapping(self) -> dict[str, str]:
        """{field: header text} — what the batch records and the page shows."""
        return {name: self.header_of(name) for name in self.mapping}


def detect(sheet: Sheet, kind: str) -> Layout:
    """The header row among the first rows: the one naming most known columns (at least two,
    including the required ones). BadFile when there is none."""
    table = _lookup(kind)
    best: Layout | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = table.get(fold(cell))
            if name and name not in mapping:
                mapping[name] = col
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best.mapping)):
            best = Layout(index + 1, [str(c) for c in row], mapping)
    if best is None:
        wanted = "、".join(label_of(kind, n) for n in ("title", "level", "number"))
        if kind == ImportKind.PEOPLE:
            wanted = "姓名、部门、涉密等级"
        raise BadFile(f"在文件前 {HEADER_SEARCH_ROWS} 行中没有找到表头（应有 {wanted} 等列）。")
    missing = [label_of(kind, n) for n in REQUIRED[kind] if n not in best.mapping]
    if missing:
        raise BadFile(f"表头中没有“{'、'.join(missing)}”列，无法导入。")
    return best


def apply_corrections(
    layout: Layout, kind: str, corrections: dict[str, str | int | None]
) -> Layout:
    """The user's corrections to the detected mapping: {field: header text, column number
    (1-based) or '' to ignore the field}. Unknown fields or columns are Invalid input."""
    from baomi.lib.errors import Invalid

    known = columns_of(kind)
    errors: dict[str, list[str]] = {}
    mapping = dict(layout.mapping)
    for name, target in (corrections or {}).items():
        if name not in known:
            errors[name] = ["未知的字段"]
            continue
        if target in (None, ""):
            mapping.pop(name, None)
            continue
        column = _column(layout, target)
        if column is None:
            errors[name] = [f"表头中没有“{target}”列"]
        else:
            mapping[name] = column
    for name in REQUIRED[kind]:
        if name not in mapping:
            errors.setdefault(name, []).append(f"必须指定“{label_of(kind, name)}”列")
    if errors:
        raise Invalid("列对应关系有误。", errors)
    return Layout(layout.header_row, layout.headers, mapping)


def _column(layout: Layout, target) -> int | None:
    if isinstance(target, int) or (isinstance(target, str) and target.isdigit()):
        index = int(target) - 1
        return index if 0 <= index < len(layout.headers) else None
    wanted = fold(target)
    return next((i for i, h in enumerate(layout.headers) if fold(h) == wanted), None)
