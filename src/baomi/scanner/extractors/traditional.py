"""Traditional Chinese read as simplified, so 機密★5年, 絕密 and 祕密 are markings and terms match
(SCAN-1). Big5 text is converted whole with OpenCC's t2s tables (opencc-python-reimplemented,
imported only when such a file is met); in any other text the matcher folds the few traditional
forms a marking is written with, inside the small window it reads around each 密 or ★ — the same
number of bytes, so offsets stay right, and nothing is spent on text without a marking."""

from __future__ import annotations

import re
from functools import cache

# Traditional (and variant) forms in markings → simplified; each pair is 3 bytes in UTF-8.
_FOLD = [
    (t.encode(), s.encode())
    for t, s in zip("機絕祕級啟長個內隱業並", "机绝秘级启长个内隐业并", strict=True)
]
_ANY = re.compile(b"|".join(t for t, _ in _FOLD))


def fold(window: bytes) -> bytes:
    """The window with the marking characters' traditional forms made simplified."""
    if not _ANY.search(window):
        return window
    for old, new in _FOLD:
        if old in window:
            window = window.replace(old, new)
    return window


@cache
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(block: bytes) -> bytes:
    text = block.decode("utf-8", "surrogatepass")
    return _converter().convert(text).encode("utf-8", "surrogatepass")
