"""Which level words in one line of text are markings, and which merely name a level (SCAN-1, CL-4).

The line drawn (issue 9, item 12):

* A level with a period or condition is a marking wherever it stands: 机密★5年, 秘密★启用前, and
  without the ★ when the period is a number or 长期 and nothing but a separator follows it (机密 5年,
  机密<TAB>5年 in adjacent table cells), or when a condition fills the next cell (秘密<TAB>启用前).
* A bare level word (机密, 内部, 商业秘密 …) is a marking only where a marking is put: at the GB/T 9704
  place (alone, or first of a few words, on one of the first lines of a document, of its page
  header or of its first page: the caller says so with `top`), after a label (密级：机密, or a cell
  密级 followed by the cell 机密), or in a column headed 密级 (the caller passes the columns).
* Elsewhere a bare word alone on its line or in brackets is a *mention*: reported at a lower
  confidence, never counted as a marking (a chapter called 秘密, a list of the three levels).
  In title marks or quotes (《机密》, “绝密”) it is nothing: that is a book, a film or a quotation.

Table rows arrive with cells separated by TAB (extractors' contract), so `内部` in a contacts list's
内部/外部 column is neither alone on its line nor in brackets, and is not reported at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from baomi.classification.choices import is_state_secret
from baomi.classification.periods import STAR_CHARS
from baomi.lib.markings import MarkingError, ParsedMarking, find_markings, normalize, parse_marking

TOP_LINES = 5  # non-empty lines at the start of a part that are the GB/T 9704 place
MARKING, MENTION = "marking", "mention"

_WORDS = [
    "工作秘密",
    "商业秘密",
    "核心商密",
    "普通商密",
    "个人隐私",
    "绝密",
    "机密",
    "秘密",
    "内部",
]
_STATE_WORDS = {"绝密", "机密", "秘密"}
_BRACKETS = {"(": ")", "[": "]", "【": "】", "〔": "〕", "「": "」", "『": "』", "［": "］"}
_TITLES = {"《": "》", "〈": "〉", "“": "”", "‘": "’", '"': '"', "'": "'"}  # titles and quotes
_LABEL_CELL = re.compile(
    r"(?:文件|资料|载体|项目|标志)?密级(?:和保密期限|及保密期限|\(保密期限\))?:?"
)
_LABEL = re.compile("密级:(" + "|".join(_WORDS) + ")")
_STARS = frozenset(STAR_CHARS)
_STAR_MAP = str.maketrans({c: "★" for c in STAR_CHARS})
_SPACE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
LONGEST_CELL = 24  # characters: a longer cell is prose (but may hold a 密级： label)
_CONDITION = re.compile(r"[\u4e00-\u9fff]{1,30}前")
_W = r"[ \t\u3000\xa0]*"
_S = r"[ \u3000\xa0]*"
_N = r"(?:[0-9０-９]{1,4}|[一二三四五六七八九十百两〇零]{1,6})"
# A state level and a numeric period or 长期 without the ★: then nothing but a separator may follow
# ("定为机密5年以上" is prose). The ★ forms are find_markings' (lib/markings.py).
_PLAIN_PERIOD = re.compile(
    rf"(?<!商业)(?<!工作)(?:绝|机|秘){_S}密{_W}"
    rf"(?:长{_S}期|{_N}{_S}年(?:{_S}{_N}{_S}月(?:{_S}{_N}{_S}[日号])?)?|{_N}{_S}个?{_S}月)"
    r"(?![\u4e00-\u9fff0-9０-９])"
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A level word at [start, end) of the line: a marking, or a mention (lower confidence)."""

    start: int
    end: int
    parsed: ParsedMarking
    kind: str


def judge_line(line: str, *, top: bool = False, columns: frozenset[int] = frozenset()):
    """The markings and mentions in `line` (no line breaks inside), spans in `line` itself.

    `top`: the line is one of the first lines of a document, page header or first page.
    `columns`: indexes of the TAB-separated cells that stand under a 密级 header.
    """
    found: dict[int, Verdict] = {}

    def add(start: int, end: int, parsed: ParsedMarking, kind: str) -> None:
        known = found.get(start)
        if known is None or (known.kind == MENTION and kind == MARKING):
            found[start] = Verdict(start, end, parsed, kind)

    stars = not _STARS.isdisjoint(line)
    for start, end, parsed in find_markings(line) if stars else ():
        if parsed.period is not None:  # the ★ forms; bare words are judged below, by place
            add(start, end, parsed, MARKING)
    for m in _PLAIN_PERIOD.finditer(line):
        parsed = _parse(m.group())
        if parsed is not None and parsed.period is not None:
            add(m.start(), m.end(), parsed, MARKING)
    cells = _cells(line)
    filled = [c for c in cells if c[2].strip()]
    for index, (cell_start, _, cell) in enumerate(cells):
        if len(cell) > LONGEST_CELL and "级" not in cell:
            continue  # prose: neither a bare word nor a label (nor the top's first words)
        folded, origin = _fold(cell)
        for m in _LABEL.finditer(folded):
            parsed = _parse(m.group(1))
            if parsed is not None:
                add(
                    cell_start + origin[m.start(1)],
                    cell_start + origin[m.end(1) - 1] + 1,
                    parsed,
                    MARKING,
                )
        bare = _bare(folded, origin)
        if bare is None:
            if top and len(cells) == 1 and len(cell) <= LONGEST_CELL:
                _first_words(cell, cell_start, add)
            continue
        a, b, parsed, bracketed = bare
        a, b = cell_start + a, cell_start + b
        following = _fold(cells[index + 1][2])[0] if index + 1 < len(cells) else ""
        condition = is_state_secret(parsed.level) and _CONDITION.fullmatch(following)
        with_condition = _parse(f"{parsed.text}★{following}") if condition else None
        labelled = index > 0 and _is_label(cells[index - 1][2])
        if with_condition is not None:
            add(a, cells[index + 1][1], with_condition, MARKING)
        elif index in columns or labelled or (top and len(cells) == 1):
            add(a, b, parsed, MARKING)
        elif bracketed or len(filled) == 1:
            add(a, b, parsed, MENTION)
    return [found[k] for k in sorted(found)]


def header_columns(line: str) -> frozenset[int]:
    """Indexes of the cells of a table's header row that head a 密级 column (none if not a row)."""
    if "\t" not in line:
        return frozenset()
    return frozenset(i for i, (_, _, cell) in enumerate(_cells(line)) if _is_label(cell))


def _cells(line: str) -> list[tuple[int, int, str]]:
    cells, start = [], 0
    for piece in line.split("\t"):
        cells.append((start, start + len(piece), piece))
        start += len(piece) + 1
    return cells


def _fold(text: str) -> tuple[str, list[int]]:
    """`normalize` per character (width, ★ variants, no whitespace), with each folded
    character's index in `text`."""
    if not _SPACE.search(text):  # then NFKC (widths) and ★ keep one character per character
        folded = unicodedata.normalize("NFKC", text).translate(_STAR_MAP)
        if len(folded) == len(text):
            return folded, range(len(text))
    parts, origin = [], []
    for i, ch in enumerate(text):
        folded = normalize(ch)
        parts.append(folded)
        origin.extend([i] * len(folded))
    return "".join(parts), origin


def _bare(folded: str, origin: list[int]):
    """(start, end, parsed, bracketed) when the folded cell is one bare level word, perhaps in
    brackets; None otherwise, and for a title or a quotation (《机密》)."""
    if not folded or (folded[0] in _TITLES and _TITLES[folded[0]] == folded[-1]):
        return None
    first, last, bracketed = 0, len(folded), False
    if len(folded) > 2 and _BRACKETS.get(folded[0]) == folded[-1]:
        first, last, bracketed = 1, len(folded) - 1, True
    word = folded[first:last]
    if word not in _WORDS:
        return None
    parsed = _parse(word)
    if parsed is None:
        return None
    return origin[first], origin[last - 1] + 1, parsed, bracketed


def _first_words(cell: str, cell_start: int, add) -> None:
    """At the top of a document, a bare level as the first of a few words (机密  特急)."""
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", cell)]
    if not 1 < len(words) <= 3:
        return
    start, word = words[0]
    folded, origin = _fold(word)
    bare = _bare(folded, origin)
    if bare is not None:
        a, b, parsed, _ = bare
        add(cell_start + start + a, cell_start + start + b, parsed, MARKING)


def _is_label(cell: str) -> bool:
    return bool(_LABEL_CELL.fullmatch(normalize(cell)))


def _parse(text: str) -> ParsedMarking | None:
    try:
        return parse_marking(text)
    except MarkingError:
        return None
