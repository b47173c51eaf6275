"""保密期限: the value object, its limits and its Chinese text (CL-2, CL-3, CL-4, CL-14).

Pure Python — no database. `Period` is what a classified item carries (CL-2): a number of years,
a number of months (periods under one year are counted in months, CL-14), a date, 长期, or a
condition such as 启用前.

Rendering (`render_period`) — the text after the ★ of a marking (CL-4, GB/T 9704 practice):

    years       10年
    months      6个月
    date        至2030年5月1日      ("至" so that the date is not read as the date of issue)
    indefinite  长期
    condition   the condition itself, e.g. 启用前

`parse_period` reads that text back, and also the variants seen in practice: 月 for 个月,
Chinese numerals (十年, 二十年, 两年), dates with or without 至 and with a trailing 前/止, ISO-like
dates (2030-05-01, 2030.5.1, 2030/5/1). It expects text already folded by
`baomi.lib.markings.normalize` (ASCII digits, no whitespace). A condition is always written
"……前" (see `condition_problem`); days and weeks are refused with a message rather than taken
for conditions. "2030年5月1日前" and "至2030年5月1日" are both stored as until=2030-05-01: no
reader makes that one-day distinction.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from baomi.classification.choices import MAX_PERIOD_YEARS, Level, PeriodKind, is_state_secret

# Sanity bounds, not legal limits: CL-3 maxima are checked by `exceeds_maximum`, because a longer
# period may be decided explicitly. The bounds keep date arithmetic far from date.max.
MAX_YEARS = 100
MAX_MONTHS = MAX_YEARS * 12
MAX_CONDITION_CHARS = 50

# Characters that separate level and period in a marking; a condition must not contain them or the
# marking it renders into could not be read back (CL-4).
STAR_CHARS = frozenset("★☆*＊✱✲✳✴✵✶✷✸✹✺✩✪✫✬✭✮✯⭐⋆")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)

NUM = rf"(?:[0-9]+|[{CN_NUMERAL_CHARS}]+)"
_YEARS_RE = re.compile(rf"(?P<n>{NUM})年")
_MONTHS_RE = re.compile(rf"(?P<n>{NUM})个?月")
_CN_DATE_RE = re.compile(rf"至?(?P<y>{NUM})年(?P<m>{NUM})月(?P<d>{NUM})[日号](?:前|止)?")
_ISO_DATE_RE = re.compile(
    r"至?(?P<y>[0-9]{4})[-./](?P<m>[0-9]{1,2})[-./](?P<d>[0-9]{1,2})(?:前|止)?"
)
# Days and weeks are not units of 保密期限 (CL-2); say so instead of taking "3天" as a condition.
_UNSUPPORTED_UNIT_RE = re.compile(rf"{NUM}(?:天|日|周|星期|个星期|季度|小时)")
_INDEFINITE = "长期"


@dataclass(frozen=True)
class Period:
    """A 保密期限 (CL-2). Only the field matching `kind` is set; the others are None."""

    kind: PeriodKind
    years: int | None = None
    months: int | None = None
    until: date | None = None
    condition: str | None = None

    def __post_init__(self) -> None:
        try:
            kind = PeriodKind(self.kind)
        except ValueError:
            raise ValueError(f"未知的保密期限类型：{self.kind!r}") from None
        object.__setattr__(self, "kind", kind)
        if isinstance(self.condition, str):
            object.__setattr__(self, "condition", self.condition.strip())
        _check_only_field(self, _FIELD_OF_KIND[kind])
        _CHECKS[kind](self)

    @classmethod
    def of_years(cls, years: int) -> Period:
        return cls(PeriodKind.YEARS, years=years)

    @classmethod
    def of_months(cls, months: int) -> Period:
        return cls(PeriodKind.MONTHS, months=months)

    @classmethod
    def until_date(cls, until: date) -> Period:
        return cls(PeriodKind.DATE, until=until)

    @classmethod
    def indefinite(cls) -> Period:
        return cls(PeriodKind.INDEFINITE)

    @classmethod
    def on_condition(cls, condition: str) -> Period:
        return cls(PeriodKind.CONDITION, condition=condition)

    def to_dict(self) -> dict[str, Any]:
        """The API shape: every key present, unused ones None, `until` as YYYY-MM-DD."""
        return {
            "kind": self.kind.value,
            "years": self.years,
            "months": self.months,
            "until": self.until.isoformat() if self.until else None,
            "condition": self.condition,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Period:
        """Inverse of `to_dict`; missing keys mean None. ValueError (Chinese) on bad input."""
        if not isinstance(d, Mapping):
            raise ValueError("保密期限必须是一个对象")
        unknown = set(d) - _DICT_KEYS
        if unknown:
            raise ValueError(f"保密期限含有未知字段：{'、'.join(sorted(map(str, unknown)))}")
        if d.get("kind") is None:
            raise ValueError("保密期限缺少类型（kind）")
        return cls(
            kind=d["kind"],
            years=d.get("years"),
            months=d.get("months"),
            until=_date_from_api(d.get("until")),
            condition=d.get("condition"),
        )

    def __str__(self) -> str:
        return render_period(self)


_DICT_KEYS = frozenset({"kind", "years", "months", "until", "condition"})
_FIELD_OF_KIND = {
    PeriodKind.YEARS: "years",
    PeriodKind.MONTHS: "months",
    PeriodKind.DATE: "until",
    PeriodKind.INDEFINITE: None,
    PeriodKind.CONDITION: "condition",
}


def _check_only_field(p: Period, field: str | None) -> None:
    """A period is one thing; a stray second field would make its meaning ambiguous (CL-2)."""
    for other in ("years", "months", "until", "condition"):
        if other != field and getattr(p, other) is not None:
            raise ValueError(f"保密期限类型为“{p.kind.label}”时不应填写 {other}")


def _check_count(value: object, low: int, high: int, unit: str) -> None:
    # bool is an int subclass; True years is a bug, not a period.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"保密期限的{unit}数必须是整数")
    if not low <= value <= high:
        raise ValueError(f"保密期限的{unit}数必须在 {low} 到 {high} 之间")


def _check_years(p: Period) -> None:
    _check_count(p.years, 1, MAX_YEARS, "年")


def _check_months(p: Period) -> None:
    _check_count(p.months, 1, MAX_MONTHS, "月")


def _check_date(p: Period) -> None:
    # datetime is a date subclass; a time of day would be silently compared wrongly later.
    if not isinstance(p.until, date) or hasattr(p.until, "hour"):
        raise ValueError("保密期限的截止日期必须是日期")


def _check_indefinite(p: Period) -> None:
    return None


def _check_condition(p: Period) -> None:
    problem = condition_problem(p.condition)
    if problem:
        raise ValueError(problem)


_CHECKS = {
    PeriodKind.YEARS: _check_years,
    PeriodKind.MONTHS: _check_months,
    PeriodKind.DATE: _check_date,
    PeriodKind.INDEFINITE: _check_indefinite,
    PeriodKind.CONDITION: _check_condition,
}


def condition_problem(text: object) -> str | None:
    """Why `text` cannot be a 解密条件 (CL-2), or None.

    A condition is written "……前" (启用前, 公布前, 会议结束前): the marking says "secret until X".
    Requiring 前 keeps the grammar unambiguous, so that "机密文件" is not read as 机密★文件 and
    every valid condition survives render → parse (CL-4).
    """
    if not isinstance(text, str) or not text:
        return "解密条件必须是非空的文字"
    if len(text) > MAX_CONDITION_CHARS:
        return f"解密条件不能超过 {MAX_CONDITION_CHARS} 个字"
    if any(ch.isspace() for ch in text) or STAR_CHARS.intersection(text):
        return "解密条件不能包含空白或“★”"
    if _looks_like_other_kind(text):
        return f"“{text}”是年限、月数、日期或长期，不是解密条件"
    if _UNSUPPORTED_UNIT_RE.fullmatch(text):
        return "保密期限不以天、周计；不满一年的按月计（CL-14）"
    if len(text) < 2 or not text.endswith("前"):
        return f"无法识别的保密期限“{text}”；解密条件写作“……前”，如“启用前”"
    return None


def _looks_like_other_kind(text: str) -> bool:
    try:
        return _parse_fixed(text) is not None
    except ValueError:
        return True  # e.g. "2030年2月30日": a broken date, still not a condition


def _date_from_api(value: object) -> date | None:
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if not isinstance(value, str):
        raise ValueError("截止日期必须是 YYYY-MM-DD 格式的字符串")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"截止日期不是有效的 YYYY-MM-DD 日期：{value!r}") from None


# --- Chinese numerals --------------------------------------------------------------------------


def parse_number(text: str) -> int:
    """'10', '十', '二十五', '一百零五', '两', '二〇三〇' (positional) → int; else ValueError."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        raise ValueError(f"不是数字：“{text}”")
    if all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))  # 二〇三〇 is read positionally
    return _parse_cn_with_units(text)


def _parse_cn_with_units(text: str) -> int:
    """十 = 10, 二十五 = 25, 一百零五 = 105: digits multiply the next unit; units must decrease."""
    total, digit, last_unit = 0, None, 1000
    for ch in text:
        if ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"不是数字：“{text}”")  # 十百, 十十
            total, digit, last_unit = total + (digit or 1) * unit, None, unit
        elif digit is not None:
            raise ValueError(f"不是数字：“{text}”")  # 二三十: two digits in a row
        else:
            digit = _CN_DIGITS[ch] or None  # 零 is only a placeholder (一百零五)
    return total + (digit or 0)


# --- parsing -----------------------------------------------------------------------------------


def parse_period(text: str) -> Period:
    """Read the period part of a marking (CL-4); `text` is normalised. ValueError if not."""
    fixed = _parse_fixed(text)
    if fixed is not None:
        return fixed
    problem = condition_problem(text)
    if problem:
        raise ValueError(problem)
    return Period.on_condition(text)


def _parse_fixed(text: str) -> Period | None:
    """长期, a date, years or months; None when `text` is none of them (maybe a condition)."""
    if text == _INDEFINITE:
        return Period.indefinite()
    m = _CN_DATE_RE.fullmatch(text) or _ISO_DATE_RE.fullmatch(text)
    if m:
        return Period.until_date(_make_date(m["y"], m["m"], m["d"]))
    m = _YEARS_RE.fullmatch(text)
    if m:
        return Period.of_years(parse_number(m["n"]))
    m = _MONTHS_RE.fullmatch(text)
    if m:
        return Period.of_months(parse_number(m["n"]))
    return None


def _make_date(y: str, m: str, d: str) -> date:
    try:
        return date(parse_number(y), parse_number(m), parse_number(d))
    except ValueError:
        raise ValueError(f"不是有效的日期：{y}年{m}月{d}日") from None


# --- rendering and limits ----------------------------------------------------------------------


def render_period(period: Period) -> str:
    """Chinese text of a period for a marking (CL-4); see the module docstring for the forms."""
    if period.kind == PeriodKind.YEARS:
        return f"{period.years}年"
    if period.kind == PeriodKind.MONTHS:
        return f"{period.months}个月"
    if period.kind == PeriodKind.DATE:
        u = period.until
        return f"至{u.year}年{u.month}月{u.day}日"
    if period.kind == PeriodKind.INDEFINITE:
        return _INDEFINITE
    return str(period.condition)


def default_period(level: str) -> Period | None:
    """The CL-3 maximum for a state-secret level (绝密 30年, 机密 20年, 秘密 10年); else None."""
    years = MAX_PERIOD_YEARS.get(Level(level))
    return Period.of_years(years) if years else None


def exceeds_maximum(level: str, period: Period | None, issued: date) -> bool:
    """CL-3: is `period`, counted from the date of issue, longer than the default maximum?

    长期 and conditions are explicit decisions the law allows, so they do not count as exceeding;
    non-state levels have no maximum. True means "needs an explicit decision", not "illegal".
    """
    if period is None or not is_state_secret(level):
        return False
    max_years = MAX_PERIOD_YEARS[Level(level)]
    if period.kind == PeriodKind.YEARS:
        return period.years > max_years
    if period.kind == PeriodKind.MONTHS:
        return period.months > max_years * 12
    if period.kind == PeriodKind.DATE:
        return period.until > add_years(issued, max_years)
    return False


def needs_decision(level: str, period: Period | None, issued: date) -> bool:
    """CL-3: 长期, and any period above the level's maximum, need "that other decision" (a
    保密事项目录 entry or a recorded decision of the 定密责任人 with its document number)."""
    if period is None or not is_state_secret(level):
        return False
    return period.kind == PeriodKind.INDEFINITE or exceeds_maximum(level, period, issued)


# A 保密事项目录 entry, or a decision's document number such as 〔2026〕12号 / [2026]12号.
DECISION_REFERENCE = re.compile(r"目录|[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*第?\s*\d+\s*号")


def names_decision(basis: str) -> bool:
    """CL-3: does the 定密依据 name "that other decision" — a 保密事项目录 entry or a decision
    with its document number? A bare reason ("工作需要") does not."""
    return bool(DECISION_REFERENCE.search(basis or ""))


def end_date(period: Period | None, issued: date) -> date | None:
    """The day the period ends (CL-9 review, 自行解密); None for 长期, conditions or no period."""
    if period is None:
        return None
    if period.kind == PeriodKind.YEARS:
        return add_years(issued, period.years)
    if period.kind == PeriodKind.MONTHS:
        return add_months(issued, period.months)
    if period.kind == PeriodKind.DATE:
        return period.until
    return None


def add_months(start: date, months: int) -> date:
    """`start` plus whole months, the day clamped to the month's end (1月31日 + 1个月 = 2月29日)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_years(start: date, years: int) -> date:
    """`start` plus whole years; 2月29日 falls to 2月28日 in a common year."""
    return add_months(start, years * 12)
