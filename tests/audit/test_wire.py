"""`wire.fast_canonical` writes exactly the bytes `trail.canonical` writes (SEC-4: a faster
encoder may only be used where it is byte-identical)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from baomi.audit.trail import HASHED_FIELDS, canonical, utc_text
from baomi.audit.wire import fast_canonical

text = st.text(max_size=40)
ids = st.none() | st.integers(-(2**63), 2**63 - 1)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
) | st.datetimes(
    min_value=datetime(2000, 1, 2),
    max_value=datetime(2099, 12, 30),
    timezones=st.just(timezone(timedelta(hours=8))),
)
rows = st.fixed_dictionaries(
    {
        "seq": st.integers(1, 2**62),
        "event_type": text,
        "outcome": st.sampled_from(["done", "refused", "read"]),
        "rule_id": text,
        "message": text,
        "actor_id": ids,
        "actor_name": text,
        "unit_id": ids,
        "object_type": text,
        "object_id": ids,
        "object_text": text,
        "before": st.none() | st.dictionaries(text, json_values, max_size=5),
        "after": st.none() | st.dictionaries(text, json_values, max_size=5),
        "at": times,
        "correlation_id": text,
        "request_id": ids,
        "algorithm": st.sampled_from(["sm3", "sha256"]),
    }
)


@settings(max_examples=400, deadline=None)
@given(row=rows)
def test_r_sec_4_fast_canonical_is_byte_identical(row):
    assert set(row) == set(HASHED_FIELDS)
    assert fast_canonical(row) == canonical(row)


def test_naive_times_are_utc_in_both():
    row = {name: None for name in HASHED_FIELDS}
    row.update(seq=1, at=datetime(2026, 1, 2, 3, 4, 5, 6), algorithm="sm3", message='控制字符\x00"')
    for name in (
        "event_type",
        "outcome",
        "rule_id",
        "actor_name",
        "object_type",
        "object_text",
        "correlation_id",
    ):
        row[name] = "中文\n\t"
    assert fast_canonical(row) == canonical(row)
    assert b'"at":"2026-01-02T03:04:05.000006+00:00"' in canonical(row)


@settings(max_examples=200, deadline=None)
@given(at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_sqlite_stored_time_text_gives_the_same_canonical_time(at):
    from baomi.audit.wire import time_text

    stored = at.isoformat(" ")  # how Django's SQLite backend stores a UTC datetime
    assert time_text(stored) == time_text(at.replace(tzinfo=UTC)) == utc_text(at)
