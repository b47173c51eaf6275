"""国家秘密标志 and non-state markings: render, parse, find them in text (CL-4, CL-12, SCAN-1).

Canonical forms (what `render_marking` writes and `ParsedMarking.text` holds):

    state secret with a period      秘密★10年, 机密★6个月, 绝密★长期, 绝密★启用前,
                                    机密★至2030年5月1日
    state secret without a period   机密            (the CL-3 default maximum applies)
    工作秘密 / 内部                  内部            never ★ (CL-12)
    商业秘密 (incl. 核心商密/普通商密)  商业秘密        never ★ (CL-12)
    个人隐私                         个人隐私        never ★ (CL-12)
    公开                             ""              nothing is marked

`parse_marking` is lenient about what real documents contain (CL-4): any whitespace, full-width
characters, ☆ * ＊ and other star glyphs for ★, 月 for 个月, Chinese numerals, a lost ★ ("机密 5年",
as PDF extraction often drops the glyph), a "密级：" prefix and surrounding brackets. It is strict
about meaning: a ★ on a non-state marking is refused (CL-12), and so is anything it cannot read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from baomi.classification.choices import Category, Level, is_state_secret
from baomi.classification.periods import (
    CN_NUMERAL_CHARS,
    STAR_CHARS,
    Period,
    parse_period,
    render_period,
)

STAR = "★"

_STATE_WORDS = {"绝密": Level.TOP_SECRET, "机密": Level.SECRET, "秘密": Level.CONFIDENTIAL}
# Non-state words → category; their level is 内部 for access ranking (CL-1: 工作秘密/内部 > 公开).
_NON_STATE_WORDS = {
    "工作秘密": Category.WORK,
    "内部": Category.WORK,
    "商业秘密": Category.COMMERCIAL,
    "核心商密": Category.COMMERCIAL,
    "普通商密": Category.COMMERCIAL,
    "个人隐私": Category.PRIVACY,
}
_NON_STATE_TEXT = {
    Category.WORK: "内部",
    Category.COMMERCIAL: "商业秘密",
    Category.PRIVACY: "个人隐私",
}
# Longest first, so that 工作秘密 is not read as 秘密 with "工作" in front.
_WORDS = sorted([*_STATE_WORDS, *_NON_STATE_WORDS], key=len, reverse=True)

_BRACKETS = {
    "(": ")",
    "[": "]",
    "【": "】",
    "〔": "〕",
    "「": "」",
    "『": "』",
    "〈": "〉",
    "《": "》",
}
_PREFIX = "密级:"  # "密级：机密" on forms; NFKC folds the full-width colon
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


class MarkingError(ValueError):
    """Text that is not a valid marking. `rule_id` names the rule it breaks, when there is one."""

    def __init__(self, message: str, rule_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.rule_id = rule_id


@dataclass(frozen=True)
class ParsedMarking:
    """What a marking says (CL-4): level, category, period, and its canonical `text`."""

    level: Level
    category: Category
    period: Period | None
    text: str


# --- normalisation -----------------------------------------------------------------------------


def _fold_char(ch: str, keep_newlines: bool = False) -> str:
    """One character folded: NFKC (full-width → ASCII), star glyphs → ★, whitespace dropped.

    Per character, not per string, so that `find_markings` can map matches back to the original.
    """
    if ch in _LINE_BREAKS:
        return "\n" if keep_newlines else ""
    if ch.isspace() or unicodedata.category(ch) == "Cf":  # Cf: zero-width space, BOM, joiners
        return ""
    folded = unicodedata.normalize("NFKC", ch)
    return "".join(STAR if c in STAR_CHARS else c for c in folded if not c.isspace())


def normalize(text: str) -> str:
    """Fold `text` for matching markings (CL-4): full/half width, star variants, no whitespace."""
    return "".join(_fold_char(ch) for ch in text)


# --- rendering ---------------------------------------------------------------------------------


def render_marking(level: str, category: str, period: Period | None) -> str:
    """The marking text (CL-4). ★ only for state secrets; non-state markings never (CL-12).

    A non-state category ignores `period`. An inconsistent pair (a non-state category with a
    state-secret level, or the state category with 内部) raises ValueError: showing either half
    alone would mislabel the item.
    """
    level, category = Level(level), Category(category)
    if level == Level.PUBLIC:
        return ""
    if is_state_secret(level) != (category == Category.STATE):
        raise ValueError(f"密级“{level.label}”与类别“{category.label}”不一致")
    if category != Category.STATE:
        return _NON_STATE_TEXT[category]
    if period is None:
        return level.label
    return f"{level.label}{STAR}{render_period(period)}"


# --- parsing -----------------------------------------------------------------------------------


def parse_marking(text: str) -> ParsedMarking:
    """Read a marking (CL-4, CL-12); MarkingError (Chinese) when `text` is not one."""
    core = _strip_wrapping(normalize(text))
    word = next((w for w in _WORDS if core.startswith(w)), None)
    if word is None:
        raise MarkingError(f"不是密级标志：“{text.strip()}”")
    rest = core[len(word) :]
    if word in _NON_STATE_WORDS:
        return _parse_non_state(word, rest)
    return _parse_state(_STATE_WORDS[word], rest)


def _strip_wrapping(core: str) -> str:
    """Drop a "密级:" prefix and brackets around the whole marking: 【机密★5年】, (秘密★10年)."""
    core = core.removeprefix(_PREFIX)
    while len(core) >= 2 and _BRACKETS.get(core[0]) == core[-1]:
        core = core[1:-1]
    return core


def _parse_non_state(word: str, rest: str) -> ParsedMarking:
    category = _NON_STATE_WORDS[word]
    if rest.startswith(STAR):
        raise MarkingError(f"非国家秘密不得标注“★”（CL-12）：{word}{rest}", rule_id="CL-12")
    if rest:
        raise MarkingError(f"“{word}”不标注保密期限：{word}{rest}")
    return ParsedMarking(Level.INTERNAL, category, None, _NON_STATE_TEXT[category])


def _parse_state(level: Level, rest: str) -> ParsedMarking:
    if rest.count(STAR) > 1:
        raise MarkingError(f"密级标志只能有一个“★”：{level.label}{rest}")
    # A missing ★ is tolerated ("机密 5年"): the period grammar is strict enough that prose such
    # as "机密文件" still fails, because a condition must read "……前".
    period_text = rest.removeprefix(STAR)
    period = _read_period(level, period_text) if period_text else None
    return ParsedMarking(
        level, Category.STATE, period, render_marking(level, Category.STATE, period)
    )


def _read_period(level: Level, text: str) -> Period:
    try:
        return parse_period(text)
    except ValueError as e:
        raise MarkingError(f"{level.label}★{text}：{e}") from None


# --- finding markings in text ------------------------------------------------------------------

_N = rf"(?:[0-9]{{1,4}}|[{CN_NUMERAL_CHARS}]{{1,6}})"
_PERIOD = "|".join(
    [
        "长期",
        rf"至?{_N}年{_N}月{_N}[日号](?:前|止)?",
        r"至?[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}(?:前|止)?",
        rf"{_N}年",
        rf"{_N}个?月",
        r"[\u4e00-\u9fff]{1,30}?前",  # a condition: the shortest run of Chinese up to 前
    ]
)
_BARE = "|".join(_WORDS)
_OPEN = re.escape("".join(_BRACKETS))
_CLOSE = re.escape("".join(_BRACKETS.values()))
_FIND_RE = re.compile(
    # 1. a state level, ★ and a period, anywhere — but not the 秘密 inside 商业秘密★… / 工作秘密★…
    rf"(?<!商业)(?<!工作)(?:绝密|机密|秘密){STAR}(?:{_PERIOD})"
    # 2. a bare word alone on its line, 3. in brackets, 4. after "密级:"
    rf"|(?<![^\n])(?:{_BARE})(?![^\n])"
    rf"|(?<=[{_OPEN}])(?:{_BARE})(?=[{_CLOSE}])"
    rf"|(?<={_PREFIX})(?:{_BARE})"
)


def find_markings(text: str) -> list[tuple[int, int, ParsedMarking]]:
    """All markings in a longer text (SCAN-1, CL-4): (start, end, parsed), spans in `text` itself.

    Heuristic, so that prose mentioning 秘密 or 内部 is not reported: a state level is reported when
    it is followed by ★ (any variant) and a period; any level word alone (机密, 内部, 商业秘密 …) is
    reported only when it stands alone on its line, is enclosed in brackets, or follows "密级：".
    Whitespace and width variants are tolerated as in `parse_marking`; a candidate that does not
    parse (e.g. 秘密★200年) is skipped. After ★ the period forms are tried before a condition,
    since prose after a marking is commoner than odd conditions: "绝密★长期前" yields 绝密★长期,
    and a condition is the shortest run of Chinese up to the first 前. A marking broken across
    lines is not found (line breaks are kept to judge "alone on its line"). A ★ on a non-state
    word (内部★1年) is not a marking and is not reported here — it is a CL-12 fault for the
    caller to look for if it wants to.
    """
    folded, origin = _fold_with_origin(text)
    found = []
    for m in _FIND_RE.finditer(folded):
        try:
            parsed = parse_marking(m.group())
        except MarkingError:
            continue
        found.append((origin[m.start()], origin[m.end() - 1] + 1, parsed))
    return found


def _fold_with_origin(text: str) -> tuple[str, list[int]]:
    """Folded text (newlines kept) and, for each folded character, its index in `text`."""
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch, keep_newlines=True)
        parts.append(folded)
        origin.extend([i] * len(folded))
    return "".join(parts), origin
