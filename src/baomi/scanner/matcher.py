"""One pass over UTF-8 bytes finds the unit's terms and the places where a marking may stand.

Terms and the characters every marking contains (★ and its look-alikes, 密, 隐, and 部 at the end of
a line or before a bracket, for 内部) go into one Aho-Corasick automaton (ahocorasick-rs, DFA,
leftmost-longest), so the text is read once. Around each such character a small window is cut,
filtered with a cheap byte regex, and only then read by `find_markings` (lib/markings.py), which
decides what is a marking and at which level (CL-4). A term containing one of those characters
also opens a window, so a term never hides a marking. Single-character triggers cannot hide a
term either: leftmost-longest prefers the longer match at the same start. Line numbers and
context are computed only for the hits that are kept (Limits.max_hits per file).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter

from ahocorasick_rs import BytesAhoCorasick, Implementation, MatchKind

from baomi.classification.periods import STAR_CHARS
from baomi.lib.markings import find_markings
from baomi.scanner.extractors.traditional import fold as fold_traditional
from baomi.scanner.findings import FileResult, Finding

_STARS = sorted(STAR_CHARS)
_CLOSERS = "\n\r】]）)」〕』〉》 \t\u3000"
TRIGGERS = [*_STARS, "密", "隐", *(f"部{c}" for c in _CLOSERS)]
_MI = "密".encode()
_STAR_BYTES = frozenset(s.encode() for s in _STARS)
_WIDE = [t.encode() for t in ["隐", *(s for s in _STARS if len(s.encode()) > 1)]]
_NEXT_BYTES = frozenset(bytes([b]) for b in b" \t\n\r*)]:")
_NEXT_CHARS = frozenset(
    c.encode() for c in [*_STARS, *"】）」〕』〉》］\u3000级："] if len(c.encode()) == 3
)
_NBSP = "\xa0".encode()
_TERM, _NEXT, _STAR_AFTER, _WINDOW = 1, 2, 4, 8
_TRIGGER = _NEXT | _STAR_AFTER | _WINDOW
_first = itemgetter(0)
_BU = "部".encode()
_REACH = 120  # bytes either side of a trigger that a marking may span (a condition is ≤ 30 chars)
_CONTEXT = 24  # characters of context either side of a hit

_W = "(?:[ \t\x0b\x0c]|\u3000|\xa0)*"  # whitespace inside a marking: 秘 密


def _spaced(word: str) -> str:
    return _W.join(re.escape(c) for c in word)


_LEVELS = "|".join(_spaced(w) for w in ["绝密", "机密", "秘密"])
_BARE = "|".join(
    _spaced(w)
    for w in [
        "工作秘密",
        "商业秘密",
        "核心商密",
        "普通商密",
        "个人隐私",
        *["绝密", "机密", "秘密", "内部"],
    ]
)
_OPEN = "(?:" + "|".join(map(re.escape, "([【〔「『〈《（［")) + ")"
_CLOSE = "(?:" + "|".join(map(re.escape, ")]】〕」』〉》）］")) + ")"
_STAR = "|".join(re.escape(s) for s in _STARS)
# A superset of what find_markings accepts, on bytes: most windows fail it in a microsecond.
_MAYBE = re.compile(
    (
        rf"(?:{_LEVELS}){_W}(?:{_STAR})"
        rf"|(?:^|\r|{_OPEN}|密{_W}级{_W}(?::|：)){_W}(?:{_BARE}){_W}(?:$|\r|{_CLOSE})"
        rf"|密{_W}级{_W}(?::|：){_W}(?:{_BARE})"
    ).encode(),
    re.MULTILINE,
)


def _is_continuation(byte: int) -> bool:
    return 0x80 <= byte < 0xC0


class Matcher:
    """The unit's sensitive terms (exact, on UTF-8 bytes) plus the marking pre-filter."""

    def __init__(self, terms: Iterable[str] = ()):
        self.terms = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
        patterns = [t.encode() for t in self.terms]
        flags = bytearray(_TERM | _term_kind(p) for p in patterns)
        index = {p: i for i, p in enumerate(patterns)}
        for trigger in (t.encode() for t in TRIGGERS):
            if trigger not in index:
                index[trigger] = len(patterns)
                patterns.append(trigger)
                flags.append(0)
            flags[index[trigger]] |= _trigger_kind(trigger)
        self.flags = bytes(flags)
        self._ac = BytesAhoCorasick(
            patterns, matchkind=MatchKind.LeftmostLongest, implementation=Implementation.DFA
        )

    def scan(
        self, chunks: Iterable[bytes], path: str, part: str, result: FileResult, max_hits: int
    ) -> None:
        """Scan one stretch of text (chunks ending at line breaks) and record into `result`."""
        seg = _Segment(path, part, result, max_hits)
        for chunk in chunks:
            if chunk:
                hits = self._ac.find_matches_as_indexes(chunk)
                spans = _unterminated_tail(chunk)
                if hits or spans:
                    self._take(chunk, hits, seg, spans)
                seg.advance(chunk)

    def _take(self, chunk: bytes, hits: list, seg: _Segment, tail: list) -> None:
        # Tight: this runs for every hit of every chunk. Counting is done in C by Counter.
        flags, terms = self.flags, self.terms
        counts = seg.result.term_counts
        for pid, n in Counter(map(_first, hits)).items():
            if flags[pid] & _TERM:
                counts[terms[pid]] += n
        room = seg.room()
        if room:
            kept = [h for h in hits if flags[h[0]] & _TERM][:room]
            seg.keep_terms((s, e, terms[p]) for p, s, e in kept)
        spans = [
            (s, e) for p, s, e in hits if flags[p] & _TRIGGER and _candidate(chunk, s, e, flags[p])
        ]
        spans += tail
        if spans:
            seg.markings(chunk, spans)
        seg.flush(chunk)


class _Segment:
    """Per-segment bookkeeping: line and offset bases, kept hits, lazily detailed findings."""

    def __init__(self, path: str, part: str, result: FileResult, max_hits: int):
        self.path, self.part, self.result, self.max_hits = path, part, result, max_hits
        self.line = 1
        self.offset = 0
        self.pending: list[tuple[int, int, str, object]] = []

    def advance(self, chunk: bytes) -> None:
        self.line += chunk.count(b"\n")
        self.offset += len(chunk)

    def room(self) -> int:
        return max(0, self.max_hits - len(self.result.findings) - len(self.pending))

    def keep_terms(self, hits: Iterable[tuple[int, int, str]]) -> None:
        self.pending.extend((start, end, term, None) for start, end, term in hits)

    def markings(self, chunk: bytes, spans: list[tuple[int, int]]) -> None:
        for ws, we, cut_start, cut_end in _windows(chunk, spans):
            window = fold_traditional(chunk[ws:we])  # 機密 → 机密, same bytes long
            if not _MAYBE.search(window):
                continue
            text = window.decode("utf-8", "surrogateescape")
            padded = ("\x00" if cut_start else "") + text + ("\x00" if cut_end else "")
            for a, b, parsed in find_markings(padded):
                a -= cut_start
                b -= cut_start
                start = ws + len(text[:a].encode("utf-8", "surrogateescape"))
                end = start + len(text[a:b].encode("utf-8", "surrogateescape"))
                self.result.level_counts[parsed.level.value] += 1
                if self.room():
                    self.pending.append((start, end, "", parsed))

    def flush(self, chunk: bytes) -> None:
        """Turn the kept hits of this chunk into findings: line numbers and context now."""
        if not self.pending:
            return
        self.pending.sort(key=lambda p: p[0])
        line, pos = self.line, 0
        for start, end, term, parsed in self.pending:
            line += chunk.count(b"\n", pos, start)
            pos = start
            self.result.findings.append(self._finding(chunk, start, end, line, term, parsed))
        self.pending.clear()

    def _finding(self, chunk, start, end, line, term, parsed) -> Finding:
        before = chunk[max(0, start - 4 * _CONTEXT) : start].decode("utf-8", "replace")
        after = chunk[end : end + 4 * _CONTEXT].decode("utf-8", "replace")
        before = before.rsplit("\n", 1)[-1].replace("\r", " ")[-_CONTEXT:]
        after = after.split("\n", 1)[0].replace("\r", " ")[:_CONTEXT]
        text = chunk[start:end].decode("utf-8", "replace")
        common = dict(path=self.path, part=self.part, line=line, offset=self.offset + start)
        if parsed is None:
            return Finding("term", text=text, before=before, after=after, **common)
        return Finding(
            "marking",
            text=text,
            before=before,
            after=after,
            level=parsed.level.value,
            level_display=parsed.level.label,
            marking=parsed.text,
            **common,
        )


def _trigger_kind(trigger: bytes) -> int:
    if trigger in _STAR_BYTES:
        return _STAR_AFTER
    return _NEXT if trigger == _MI else _WINDOW  # 隐 and 部 before a line end or bracket


def _term_kind(term: bytes) -> int:
    """A term that contains a trigger must do the trigger's work, since it hides it."""
    if any(c in term for c in _WIDE):
        return _WINDOW
    return _NEXT if _MI in term or _BU in term else 0


def _candidate(chunk: bytes, start: int, end: int, flag: int) -> bool:
    """Whether a trigger can be part of a marking, judged from the bytes next to it: a level
    word (…密) must be followed by ★, a space, a line end, a closing bracket, 级 or a colon; a ★
    must follow a 密. Most 密 in prose (保密工作, 密码) fail this in a fraction of a microsecond."""
    if flag & _WINDOW:
        return True
    if flag & _STAR_AFTER:
        return _MI in chunk[max(0, start - 16) : start]
    after = chunk[end : end + 3]
    return not after or after[:1] in _NEXT_BYTES or after in _NEXT_CHARS or after[:2] == _NBSP


def _unterminated_tail(chunk: bytes) -> list[tuple[int, int]]:
    """A chunk that does not end a line ends the text: "…\n内部" there has no 部\n trigger."""
    if chunk.endswith((b"\n", b"\r")):
        return []
    tail = chunk.rstrip(b" \t")
    return [(len(tail) - 3, len(tail))] if tail.endswith(_BU) else []


def _windows(chunk: bytes, spans: list[tuple[int, int]]):
    """Merged windows around trigger spans: (start, end, cut_start, cut_end), on char bounds.

    A window reaches to the line's ends when they are near; otherwise it is cut, and the cut side
    is padded so that a level word there is not taken to stand alone on its line.
    """
    merged: list[list] = []
    size = len(chunk)
    for s, e in spans:
        lo, hi = max(0, s - _REACH), min(size, e + _REACH)
        nl = max(chunk.rfind(b"\n", lo, s), chunk.rfind(b"\r", lo, s))
        ws = nl + 1 if nl >= 0 else lo
        while ws < s and _is_continuation(chunk[ws]):
            ws += 1
        nl = chunk.find(b"\n", e, hi)
        we = nl if nl >= 0 else hi
        while e < we < size and _is_continuation(chunk[we]):
            we -= 1
        cut_start = ws > 0 and chunk[ws - 1] not in b"\n\r"
        cut_end = we < size and chunk[we] not in b"\n\r"
        if merged and ws <= merged[-1][1]:
            if we > merged[-1][1]:
                merged[-1][1], merged[-1][3] = we, cut_end
        else:
            merged.append([ws, we, cut_start, cut_end])
    return merged
