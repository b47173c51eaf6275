"""Generated corpora for the scanner benchmarks (bench/scanner_throughput.py) — kept in /tmp.

Chinese text from a fixed list of common characters (seeded, so the same arguments give the same
corpus), with the unit's terms and classification markings sprinkled in, and a mix of
docx/xlsx/pptx/pdf files made by tests/scanner/makefiles.py.
"""

from __future__ import annotations

import random
from pathlib import Path

COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
    "又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
    "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强"
    "放决西被干做必战先回则任取据处府研质保密码秘书档案载体涉审查检规范报告通知会议领导办公室科技网络"
)
CLOSERS = "，。；、："


def words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choices(COMMON, k=rng.choice((1, 2, 2, 3)))) for _ in range(count)]


def make_terms(count: int, seed: int = 7) -> list[str]:
    """`count` terms of 3–4 characters, none a prefix of another (so leftmost-first, as ripgrep
    counts, and leftmost-longest, as the scanner counts, agree)."""
    rng = random.Random(seed)
    terms: set[str] = set()
    while len(terms) < count:
        term = "".join(rng.choices(COMMON, k=rng.choice((3, 4))))
        if not any(t.startswith(term) or term.startswith(t) for t in terms):
            terms.add(term)
    return sorted(terms)


MARKINGS = ["机密★5年", "秘密★10年", "绝密★启用前", "秘 密", "机密☆十年", "【内部】"]


def make_text(rng: random.Random, size: int, terms: list[str]) -> bytes:
    """About `size` bytes of UTF-8 Chinese: lines of ~40 characters; a term every ~400
    characters, a marking every ~100 KB."""
    vocab = words(rng, 5000)
    parts: list[str] = []
    written = 0
    while written < size:
        line = "".join(rng.choices(vocab, k=20))
        if rng.random() < 0.1:
            cut = rng.randrange(len(line))
            line = line[:cut] + rng.choice(terms) + line[cut:]
        if rng.random() < 0.0012:
            line = rng.choice(MARKINGS) + "\n" + line
        line += rng.choice(CLOSERS) + "\n"
        parts.append(line)
        written += len(line) * 3
    return "".join(parts).encode()


def make_corpus(root: Path, total_mb: int, files: int, terms: list[str], seed: int = 1) -> Path:
    """`files` text files adding up to `total_mb` MB under root/text (reused when present)."""
    target = root / f"text-{total_mb}mb-{files}f-{len(terms)}t"
    stamp = target / ".complete"
    if stamp.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    per_file = total_mb * 1_000_000 // files
    blocks = [make_text(rng, 4_000_000, terms) for _ in range(8)]
    for i in range(files):
        with open(target / f"doc{i:04d}.txt", "wb") as f:
            written = 0
            while written < per_file:
                block = blocks[rng.randrange(len(blocks))]
                start = block.find(b"\n", rng.randrange(len(block) // 2)) + 1
                piece = block[start : start + min(per_file - written, len(block) // 2)]
                piece = piece[: piece.rfind(b"\n") + 1]
                if not piece:
                    break
                f.write(piece)
                written += len(piece)
    stamp.touch()
    return target


# --- the held-out corpus: uniformly random Chinese characters ---------------------------------
# Nothing in the scanner was tuned on it: every position may start a term, no word list helps.

CJK_FIRST, CJK_LAST = 0x4E00, 0x9FA5


def random_terms(count: int, seed: int = 11) -> list[str]:
    """`count` terms of 2–4 random CJK characters, none a prefix of another."""
    rng = random.Random(seed)
    terms: set[str] = set()
    while len(terms) < count:
        k = rng.choice((2, 3, 3, 4))
        term = "".join(chr(rng.randint(CJK_FIRST, CJK_LAST)) for _ in range(k))
        if not any(t.startswith(term) or term.startswith(t) for t in terms):
            terms.add(term)
    return sorted(terms)


def make_random_corpus(root: Path, total_mb: int, files: int, terms: list[str], seed: int = 5):
    """`files` files of random CJK characters (lines of 60–100, a term in one line of 20) adding
    up to `total_mb` MB under root/random-… (reused when present)."""
    target = root / f"random-{total_mb}mb-{files}f-{len(terms)}t"
    stamp = target / ".complete"
    if stamp.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    alphabet = "".join(chr(c) for c in range(CJK_FIRST, CJK_LAST + 1))
    block_lines = []
    for _ in range(40_000):  # ~10 MB of distinct lines, reshuffled for each file
        line = "".join(rng.choices(alphabet, k=rng.randint(60, 100)))
        if rng.random() < 0.05:
            cut = rng.randrange(len(line))
            line = line[:cut] + rng.choice(terms) + line[cut:]
        block_lines.append((line + "\n").encode())
    per_file = total_mb * 1_000_000 // files
    for i in range(files):
        with open(target / f"random{i:02d}.txt", "wb") as f:
            written = 0
            while written < per_file:
                rng.shuffle(block_lines)
                piece = b"".join(block_lines[:20_000])[: per_file - written]
                piece = piece[: piece.rfind(b"\n") + 1]
                if not piece:
                    break
                f.write(piece)
                written += len(piece)
    stamp.touch()
    return target


def make_small_files(root: Path, source: Path, count: int, size: int = 30_000) -> Path:
    """`count` files of about `size` bytes cut (at line ends) from the files under `source`: a
    tree of many small files, where fixed costs per run and per file show."""
    target = root / f"small-{count}f-{size // 1000}kb"
    stamp = target / ".complete"
    if stamp.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    made = 0
    for path in sorted(source.glob("*.txt")):
        data = path.read_bytes()
        pos = 0
        while made < count and pos < len(data):
            end = data.find(b"\n", pos + size) + 1 or len(data)
            (target / f"s{made:05d}.txt").write_bytes(data[pos:end])
            pos, made = end, made + 1
        if made >= count:
            break
    stamp.touch()
    return target
