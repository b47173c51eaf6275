"""Reading single cells of a ledger: dates, counts, copy numbers, lists of names.

Each parser raises ValueError with a Chinese message that the row report shows as is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from baomi.imports.readers import Cell

_DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_RANGE_RE = re.compile(r"^(\d{1,4})\s*[-~～—至到]\s*(\d{1,4})$")
LIST_SEPARATORS = re.compile(r"[、，,;；/\s]+")
EXCEL_EPOCH_ORDINAL = date(1899, 12, 30).toordinal()


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(value: Cell) -> date | None:
    """2019-03-05, 2019/3/5, 2019.3.5, 2019年3月5日, 20190305, or an Excel date; None if empty."""
    if isinstance(value, date):
        return value
    text = fold(value)
    if not text:
        return None
    m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValueError(f"“{text}”不是有效的日期") from None
    if text.isdigit() and 20000 < int(text) < 80000:
        # An Excel serial date that lost its format on the way to CSV.
        return date.fromordinal(EXCEL_EPOCH_ORDINAL + int(text))
    raise ValueError(f"“{text}”不是可识别的日期（应如 2019-03-05 或 2019年3月5日）")


def parse_count(value: Cell, what: str, *, default: int | None = None) -> int | None:
    """A positive whole number such as 份数 or 页数 ("3", "3份", "3页")."""
    text = fold(str(value)) if not isinstance(value, date) else str(value)
    if not text:
        return default
    text = re.sub(r"(份|页|张|件|个|册|盘|本)$", "", text)
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{what}应为正整数，而不是“{value}”")
    return int(text)


def parse_copy_numbers(value: Cell) -> list[int] | None:
    """份号: one copy ("3", "03") or a range ("1-3", "1至3"); None if empty."""
    text = fold(str(value))
    if not text:
        return None
    text = text.removeprefix("第").removesuffix("份").removesuffix("号")
    if text.isdigit() and int(text) >= 1:
        return [int(text)]
    m = _RANGE_RE.match(text)
    if m and 1 <= int(m[1]) <= int(m[2]):
        return list(range(int(m[1]), int(m[2]) + 1))
    raise ValueError(f"份号应为正整数或范围（如 3 或 1-3），而不是“{value}”")


def split_names(value: Cell) -> list[str]:
    text = fold(str(value))
    return [part for part in LIST_SEPARATORS.split(text) if part]


@dataclass
class Directory:
    """The unit's people resolved once for a whole file (no lookup per row)."""

    by_name: dict[str, list]
    by_number: dict[str, object]

    @classmethod
    def of(cls, people) -> Directory:
        by_name: dict[str, list] = {}
        by_number = {}
        for person in people:
            by_name.setdefault(person.name, []).append(person)
            if person.number:
                by_number[person.number] = person
        return cls(by_name, by_number)

    def find(self, text: str):
        """The one person named (by name or 人员编号). ValueError when none or several."""
        text = fold(text)
        if text in self.by_number:
            return self.by_number[text]
        found = self.by_name.get(text, [])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueError(f"“{text}”不是本单位在岗人员")
        raise ValueError(f"本单位有 {len(found)} 人名为“{text}”，请改填人员编号")
