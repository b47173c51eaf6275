"""A faster writer of the exact bytes `trail.canonical` produces (tests/audit/test_wire.py proves
them byte-identical over generated rows); `verify` spends most of its time encoding rows.

orjson writes sorted, compact, UTF-8 JSON in one C call where `json.dumps` walks the dict in
Python. For anything orjson will not write (an integer beyond 64 bits, a non-string key) it
falls back to `canonical`. And `verify` only ever compares hashes: should the two encoders
ever differ, an intact row would merely be re-checked with `canonical`, never passed wrongly
(equal hashes mean equal bytes, and equal JSON bytes mean equal content).
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from baomi.audit.trail import canonical, utc_text

SORTED = orjson.OPT_SORT_KEYS
loads = orjson.loads


def time_text(value) -> str:
    """`at` in canonical form, from a datetime or from SQLite's stored UTC text
    ("2026-12-07 07:43:21.979039", without the fraction when it is zero)."""
    if type(value) is str:
        if len(value) == 32 and value[10] == "T" and value.endswith("+00:00"):
            return value  # already canonical (PostgreSQL's to_char in verification)
        if len(value) == 19:
            value += ".000000"
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}+00:00"
        value = datetime.fromisoformat(value)
    if value.tzinfo is UTC:
        return value.isoformat(timespec="microseconds")
    return utc_text(value)


def fast_canonical(v: dict) -> bytes:
    values = dict(v)
    values["at"] = time_text(v["at"])
    return encode(values)


def encode(values: dict) -> bytes:
    """`values` with `at` already in canonical text form."""
    try:
        return orjson.dumps(values, option=SORTED)
    except orjson.JSONEncodeError:
        return canonical({**values, "at": datetime.fromisoformat(values["at"])})
