"""One pass over UTF-8 bytes finds the unit's terms and the lines where a marking may stand.

The terms (exact, as bytes) and a few trigger patterns — 密 followed by a ★ variant, by a digit or
长期, by 级, or by a line end, a TAB or a closing bracket; 部 and 私 (内部, 个人隐私) before those —
are searched in one pass: by Hyperscan where it is installed (x86-64), otherwise terms by
ahocorasick-rs and triggers by one byte regex. Only the lines holding a trigger, the first lines
of each part (the GB/T 9704 place) and the rows under a 密级 header are decoded and read by
`judge.judge_line`, which decides what is a marking, what merely mentions a level, and what is
neither (CL-4; issue 9 item 12). Terms are counted leftmost-longest, without overlaps; line
numbers and context are computed only for the hits that are kept (Limits.max_hits per file).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from baomi.classification.periods import STAR_CHARS
from baomi.scanner import judge
from baomi.scanner.extractors.traditional import fold as fold_traditional
from baomi.scanner.findings import FileResult, Finding

try:  # Hyperscan: several times faster than an Aho-Corasick DFA on Chinese text (bench/)
    import hyperscan
except ImportError:  # pragma: no cover - exercised where no wheel exists (not x86-64)
    hyperscan = None

_REACH = 240  # bytes either side of a trigger read when its line is longer than that
_CONTEXT = 24  # characters of context either side of a hit
_CONTEXT_BYTES = 4 * _CONTEXT  # enough bytes for them in any UTF-8
_TOP_BYTES = 8 << 10  # the first lines of a part are looked for in its first 8 KiB
_TOP_LINE_BYTES = 96  # judge.LONGEST_CELL characters of CJK and some spaces
_MAX_ROWS = 100_000  # rows read under one 密级 header
# Parts whose first lines are not the top of a page: later pages and slides, lists of strings,
# metadata, comments, footers, the file name and an e-mail's header block.
_NOT_TOP = re.compile(
    r"第(?:[2-9]|\d{2,})页|slides/slide(?:[2-9]|\d{2,})\.xml|sharedStrings|docProps/|comments"
    r"|footer|footnotes|endnotes|^文件名$|^邮件头$"
)


def _alt(chars: Iterable[str]) -> bytes:
    """An alternation of characters as UTF-8 bytes (a class would split multi-byte ones)."""
    return b"(?:" + b"|".join(re.escape(c.encode()) for c in sorted(set(chars))) + b")"


_WS = _alt(" \t\u3000\xa0")
_ENDS = _alt("\r\n\t)]】〕」』〉》）］")
_DIGITS = _alt("0123456789０１２３４５６７８９")
_UNITS = b"(?:" + b"|".join([_alt("年月"), "个月".encode()]) + b")"
_NUMERALS = _alt("一二三四五六七八九十百两〇零") + b"{1,6}" + _UNITS  # 十年, not 十分
_PERIOD_START = b"(?:" + b"|".join([_DIGITS, _NUMERALS, "长期".encode()]) + b")"
_MI, _BU, _SI = "密".encode(), "部".encode(), "私".encode()
TRIGGERS = [
    _MI + _WS + b"{0,8}" + _alt(STAR_CHARS),  # 机密★…
    _MI + _WS + b"{0,8}" + _PERIOD_START,  # 机密 5年, 秘密<TAB>十年
    _MI + _WS + b"{0,4}" + "级".encode(),  # 密级：…, a column headed 密级
    b"(?:" + b"|".join([_MI, _BU, _SI]) + b")" + _WS + b"{0,8}" + _ENDS,  # a bare word
]
# The same triggers for the fallback: a lead character found by Aho-Corasick, the rest matched
# there (one regex over all the text ran at 70 MB/s).
_LEADS = [_MI, _BU, _SI]
_TAILS = [
    re.compile(b"|".join(t[len(_MI) :] for t in TRIGGERS[:3]) + b"|" + _WS + b"{0,8}" + _ENDS),
    re.compile(_WS + b"{0,8}" + _ENDS),
    re.compile(_WS + b"{0,8}" + _ENDS),
]
_LINE = re.compile(rb"[^\n\r]*")


class Matcher:
    """The unit's sensitive terms (exact, on UTF-8 bytes) plus the marking triggers."""

    def __init__(self, terms: Iterable[str] = ()):
        self.terms = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
        patterns = [t.encode() for t in self.terms]
        self._find = _Hyperscan(patterns) if hyperscan else _AhoCorasick(patterns)

    @property
    def engine(self) -> str:
        return type(self._find).__name__.strip("_").lower()

    def scan(
        self, chunks: Iterable[bytes], path: str, part: str, result: FileResult, max_hits: int
    ) -> None:
        """Scan one stretch of text (chunks ending at line breaks) and record into `result`."""
        seg = _Segment(path, part, result, max_hits)
        for chunk in chunks:
            if not chunk:
                continue
            terms, triggers = self._find(chunk)
            if terms:
                self._count(terms, seg)
            lines = seg.top_lines(chunk) if seg.top_left else []
            if triggers or lines or not chunk.endswith((b"\n", b"\r")):
                seg.markings(chunk, triggers, lines)
            seg.flush(chunk)
            seg.advance(chunk)

    def _count(self, hits: list[tuple[int, int, int]], seg: _Segment) -> None:
        names = self.terms
        counts = seg.result.term_counts
        for pid, n in Counter(h[2] for h in hits).items():
            counts[names[pid]] += n
        room = seg.room()
        if room:
            seg.pending.extend((s, e, names[p], None) for s, e, p in hits[:room])


def _leftmost_longest(hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping hits, leftmost first and at one start the longest (what ripgrep counts
    when no term is a prefix of another)."""
    hits.sort(key=lambda h: (h[0], -h[1]))
    kept, last = [], -1
    for hit in hits:
        if hit[0] >= last:
            kept.append(hit)
            last = hit[1]
    return kept


class _Hyperscan:
    """Terms in a literal Hyperscan database, triggers in a second one (compiled once per
    process: mixing the regexes into the terms' database made it several times slower to build)."""

    _triggers = None

    def __init__(self, patterns: list[bytes]):
        self.db = None
        if patterns:
            self.db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self.db.compile(
                expressions=patterns,
                ids=list(range(len(patterns))),
                elements=len(patterns),
                flags=0,
                literal=True,
            )
        if _Hyperscan._triggers is None:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(
                expressions=TRIGGERS,
                ids=list(range(len(TRIGGERS))),
                elements=len(TRIGGERS),
                flags=hyperscan.HS_FLAG_DOTALL,
            )
            _Hyperscan._triggers = db
        lengths = [len(p) for p in patterns]

        def on_term(pid: int, start: int, end: int, flags: int, found: list) -> None:
            found.append((end - lengths[pid], end, pid))

        self._on_term = on_term

    def __call__(self, chunk: bytes) -> tuple[list, list[int]]:
        terms: list[tuple[int, int, int]] = []
        triggers: list[int] = []
        if self.db is not None:
            self.db.scan(chunk, match_event_handler=self._on_term, context=terms)
        self._triggers.scan(chunk, match_event_handler=_on_trigger, context=triggers)
        return (_leftmost_longest(terms) if terms else terms), triggers

    def __getstate__(self):  # a compiled database is not pickled; workers are forked
        raise TypeError("Matcher is shared with workers by fork, not by pickling")


def _on_trigger(pid: int, start: int, end: int, flags: int, found: list) -> None:
    found.append(end - 1)


class _AhoCorasick:
    """Terms by ahocorasick-rs (leftmost-longest DFA), triggers by one byte regex."""

    def __init__(self, patterns: list[bytes]):
        from ahocorasick_rs import BytesAhoCorasick, Implementation, MatchKind

        self.ac = None
        if patterns:
            self.ac = BytesAhoCorasick(
                patterns, matchkind=MatchKind.LeftmostLongest, implementation=Implementation.DFA
            )
        self.leads = BytesAhoCorasick(_LEADS)

    def __call__(self, chunk: bytes) -> tuple[list, list[int]]:
        terms = []
        if self.ac is not None:
            terms = [(s, e, p) for p, s, e in self.ac.find_matches_as_indexes(chunk)]
        triggers = []
        for lead, _, end in self.leads.find_matches_as_indexes(chunk):
            m = _TAILS[lead].match(chunk, end)
            if m:
                triggers.append(m.end() - 1)
        return terms, triggers


class _Segment:
    """Per-part bookkeeping: line and offset bases, kept hits, the top lines still to look at."""

    def __init__(self, path: str, part: str, result: FileResult, max_hits: int):
        self.path, self.part, self.result, self.max_hits = path, part, result, max_hits
        # Lines are counted lazily: `line` is the line number at byte `pos` of `chunk`; the rest
        # of a chunk is counted only when a later chunk has a hit to place (never, once the
        # file's Limits.max_hits are kept: then no later hit needs a line number).
        self.line = 1
        self.chunk: bytes | None = None
        self.pos = 0
        self.offset = 0  # of the current chunk in the part's text
        self.pending: list[tuple[int, int, str, object]] = []
        self.top_left = 0 if _NOT_TOP.search(part) else judge.TOP_LINES

    def advance(self, chunk: bytes) -> None:
        self.offset += len(chunk)
        if not self.room():
            self.chunk = None
        elif self.chunk is not chunk:
            self._settle(chunk)

    def _settle(self, chunk: bytes) -> None:
        """Count the uncounted rest of the previous chunk; `chunk` is counted from its start."""
        if self.chunk is not None:
            self.line += self.chunk.count(b"\n", self.pos)
        self.chunk, self.pos = chunk, 0

    def room(self) -> int:
        return max(0, self.max_hits - len(self.result.findings) - len(self.pending))

    def top_lines(self, chunk: bytes) -> list[tuple[int, int]]:
        """(start, end) of the part's first non-empty lines that lie in this chunk."""
        found = []
        if self.offset >= _TOP_BYTES:
            self.top_left = 0
            return found
        for start, end in _line_spans(chunk, 0, min(len(chunk), _TOP_BYTES - self.offset)):
            if start == end or chunk[start:end].isspace():
                continue
            self.top_left -= 1
            # Only a short line can be a bare level (a longer one is prose, or holds a ★ or a
            # period, which the triggers find wherever it stands).
            if end - start <= _TOP_LINE_BYTES:
                found.append((start, end))
            if not self.top_left:
                break
        return found

    def markings(self, chunk: bytes, triggers: list[int], top: list[tuple[int, int]]) -> None:
        seen: set[int] = set()
        done = {start for start, _ in top}
        for start, end in top:
            columns = self._judge(chunk, start, end, seen, top=True)
            if columns:
                self._table(chunk, end, columns, seen, done)
        if not chunk.endswith((b"\n", b"\r")) and _may_end_bare(chunk):
            triggers = [*triggers, len(chunk) - 1]  # a last line has no line end to trigger
        for at in triggers:
            start, end = _line_around(chunk, at)
            if start in done:
                continue
            done.add(start)
            columns = self._judge(chunk, start, end, seen)
            if columns:
                self._table(chunk, end, columns, seen, done)

    def _table(self, chunk: bytes, pos: int, columns: frozenset[int], seen, done) -> None:
        """The rows under a 密级 header: the cells of that column are read as markings."""
        for start, end in _line_spans(chunk, pos + 1, len(chunk), _MAX_ROWS):
            if b"\t" not in chunk[start:end]:
                return
            done.add(start)
            self._judge(chunk, start, end, seen, columns=columns)

    def _judge(self, chunk, start, end, seen, top=False, columns=frozenset()) -> frozenset[int]:
        """Judge one line; returns the 密级 columns when the line is a table's header row."""
        raw = fold_traditional(chunk[start:end])  # 機密 → 机密, same bytes long
        line = raw.decode("utf-8", "surrogateescape")
        cut_start = start > 0 and chunk[start - 1] not in b"\n\r"
        cut_end = end < len(chunk) and chunk[end] not in b"\n\r"
        if cut_start or cut_end:  # a piece of a long line is never a line of its own
            line = ("\x00" if cut_start else "") + line + ("\x00" if cut_end else "")
        shift = 1 if cut_start else 0
        for verdict in judge.judge_line(line, top=top, columns=columns):
            a = start + len(line[shift : verdict.start].encode("utf-8", "surrogateescape"))
            if a in seen:
                continue
            seen.add(a)
            b = a + len(line[verdict.start : verdict.end].encode("utf-8", "surrogateescape"))
            parsed = verdict.parsed
            if verdict.kind == judge.MARKING:
                self.result.level_counts[parsed.level.value] += 1
            else:
                self.result.mentions += 1
            if self.room():
                self.pending.append((a, b, verdict.kind, parsed))
        return judge.header_columns(line) if b"\t" in raw else frozenset()

    def flush(self, chunk: bytes) -> None:
        """Turn the kept hits of this chunk into findings: line numbers and context now."""
        if not self.pending:
            return
        if self.chunk is not chunk:
            self._settle(chunk)
        self.pending.sort(key=lambda p: p[0])
        line, pos, base = self.line, self.pos, self.offset
        path, part, add = self.path, self.part, self.result.findings.append
        for start, end, what, parsed in self.pending:
            if start > pos:
                line += chunk.count(b"\n", pos, start)
                pos = start
            before, text, after = _context(chunk, start, end)
            if parsed is None:
                add(Finding("term", path, part, line, base + start, text, before, after))
            else:
                level = parsed.level
                marks = (level.value, level.label, parsed.text)
                add(Finding(what, path, part, line, base + start, text, before, after, *marks))
        self.line, self.pos = line, pos
        self.pending.clear()


def _context(chunk: bytes, start: int, end: int) -> tuple[str, str, str]:
    """(before, hit, after): up to _CONTEXT characters either side, within the hit's line."""
    lo = start - _CONTEXT_BYTES if start > _CONTEXT_BYTES else 0
    newline = chunk.rfind(b"\n", lo, start)
    before = chunk[newline + 1 if newline >= 0 else lo : start].decode("utf-8", "replace")
    after = chunk[end : end + _CONTEXT_BYTES]
    newline = after.find(b"\n")
    if newline >= 0:
        after = after[:newline]
    after = after.decode("utf-8", "replace")
    if len(before) > _CONTEXT:
        before = before[-_CONTEXT:]
    if len(after) > _CONTEXT:
        after = after[:_CONTEXT]
    if "\r" in before or "\r" in after:
        before, after = before.replace("\r", " "), after.replace("\r", " ")
    return before, chunk[start:end].decode("utf-8", "replace"), after


def _may_end_bare(chunk: bytes) -> bool:
    """Whether the text's last line (without a line end) may end in a bare level word."""
    return chunk[-32:].decode("utf-8", "ignore").rstrip().endswith(("密", "部", "私"))


def _is_continuation(byte: int) -> bool:
    return 0x80 <= byte < 0xC0


def _line_around(chunk: bytes, at: int) -> tuple[int, int]:
    """The line holding byte `at`, cut to _REACH bytes either side (on character boundaries)."""
    if chunk[at : at + 1] in (b"\n", b"\r") and at:
        at -= 1  # a trigger that ends with the line end: its word is on the line before it
    lo, hi = max(0, at - _REACH), min(len(chunk), at + _REACH)
    newline = max(chunk.rfind(b"\n", lo, at + 1), chunk.rfind(b"\r", lo, at + 1))
    start = newline + 1 if newline >= 0 else lo
    while start < at and _is_continuation(chunk[start]):
        start += 1
    end = _LINE.match(chunk, at, hi).end()
    while at < end < len(chunk) and _is_continuation(chunk[end]):
        end -= 1
    return start, end


def _line_spans(chunk: bytes, pos: int, limit: int, most: int = 1 << 30):
    """(start, end) of the lines from `pos` (\\n or \\r ends a line), while start < limit."""
    while pos < limit and most > 0:
        end = _LINE.match(chunk, pos).end()
        yield pos, end
        pos = end + 1
        most -= 1
