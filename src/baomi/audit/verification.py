"""Recomputing the audit log (SEC-4): every row's leaf hash, every tree head's root, and — given
checkpoints a superior kept — a consistency proof that today's log extends each of them.

Rows are read through a raw cursor in leaf order (no ORM objects: at a million rows the ORM was
half the time), re-encoded with `canonical`, hashed once each and folded into a frontier, so the
whole log is checked in one pass and O(log n) memory (plus 32 bytes a leaf when proving
consistency with checkpoints).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import DatabaseError, connection

from baomi.audit import signing
from baomi.audit.checkpoints import Checkpoint, parse
from baomi.audit.merkle import Frontier, Tree
from baomi.audit.models import AuditCheckpoint, AuditTreeHead
from baomi.audit.sequencer import SealRefused, seal, tree_algorithm
from baomi.audit.trail import HASHED_FIELDS
from baomi.audit.wire import encode, loads, time_text


def _columns() -> str:
    """The hashed columns; `at` as text, past the drivers' slow datetime parsing (30 µs a row
    on PostgreSQL): PostgreSQL writes it in canonical form, SQLite hands back its stored UTC
    text, which wire.time_text completes."""
    if connection.vendor == "postgresql":
        at = """to_char(e."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
    else:
        at = 'CAST(e."at" AS TEXT)'
    return ", ".join(at if name == "at" else f'e."{name}"' for name in HASHED_FIELDS)


CHUNK = 5000
MISSING = b"\0" * 32  # stands in for a deleted row's leaf: it can never match a real hash


@dataclass
class CheckpointResult:
    source: str
    ok: bool
    size: int | None = None
    reason: str = ""


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""
    size: int = 0
    root: str = ""
    pending: int = 0
    problems: list[str] = field(default_factory=list)
    checkpoints: list[CheckpointResult] = field(default_factory=list)

    def fail(self, reason: str, *, seq: int | None = None, event_id: int | None = None) -> None:
        if self.ok:
            self.ok, self.reason, self.broken_seq, self.broken_id = False, reason, seq, event_id
        self.problems.append(reason)


SEQ_AT = HASHED_FIELDS.index("seq")


def _leaf_of_row(tree: Tree):
    """A raw row's hashed columns -> its leaf hash: the canonical bytes of its content under the
    leaf prefix. Django hands JSON columns back as text on both databases (its psycopg loader
    does not parse jsonb), so they are parsed here. One function, no intermediate tuples: this
    is the inner loop of `verify`."""
    at, after, before = (HASHED_FIELDS.index(n) for n in ("at", "after", "before"))
    names, prefixed = HASHED_FIELDS, tree.prefixed_leaf

    def leaf_of(cols) -> bytes:
        values = dict(zip(names, cols, strict=True))
        values["at"] = time_text(cols[at])
        if cols[after] is not None:
            values["after"] = loads(cols[after])
        if cols[before] is not None:
            values["before"] = loads(cols[before])
        h = prefixed.copy()
        h.update(encode(values))
        return h.finalize()

    return leaf_of


def verify(
    checkpoints: Sequence[tuple[str, str]] = (),
    trusted: signing.Verifier | None = None,
    *,
    seal_first: bool = True,
) -> VerifyResult:
    """Check the whole log; `checkpoints` are (where it came from, signed note text) pairs."""
    result = VerifyResult(ok=True, checked=0)
    if seal_first:
        try:
            seal()
        except (SealRefused, DatabaseError) as error:  # a tampered tree: check it as it stands
            result.fail(f"无法封存新记录：{error}")
    tree = Tree(tree_algorithm())
    parsed = _parse_checkpoints(checkpoints, trusted, result)
    keep_leaves = any(cp is not None for _, cp in parsed)
    leaves: list[bytes] = []
    heads = list(AuditTreeHead.objects.order_by("size").values_list("size", "root"))
    published = dict(AuditCheckpoint.objects.values_list("size", "root"))
    frontier = _walk_leaves(tree, result, heads, published, leaves if keep_leaves else None)
    n = frontier.size
    if heads and heads[-1][0] > n:
        result.fail(
            f"树头记录了 {heads[-1][0]} 个叶子，实际只有 {n} 个：尾部的记录被删除", seq=None
        )
    elif n > (heads[-1][0] if heads else 0):
        last = heads[-1][0] if heads else 0
        result.fail(f"第 {last + 1} 个叶子起的 {n - last} 个叶子没有树头（树头被删除？）")
    for size, _ in published.items():
        if size > n:
            result.fail(f"已发布的检查点记录了 {size} 个叶子，日志只有 {n} 个：尾部的记录被删除")
    _check_unsealed(tree, result)
    result.size, result.root = n, frontier.root().hex()
    for source, cp in parsed:
        if cp is not None:
            result.checkpoints.append(_consistency(tree, source, cp, leaves, frontier, result))
    return result


def _walk_leaves(tree, result, heads, published, leaves) -> Frontier:
    workers = _workers()
    if workers > 1:
        return _walk_in_parallel(tree, result, heads, published, leaves, workers)
    frontier = Frontier(tree)
    leaf_of = _leaf_of_row(tree)
    head_at = iter(heads)
    next_head = next(head_at, None)
    # Keyset batches through a plain cursor: cheaper than a server-side cursor's round trips.
    sql = (
        f'SELECT l."index", l.event_id, e.id, {_columns()}, e.hash FROM audit_auditleaf l'
        " LEFT JOIN audit_auditevent e ON e.id = l.event_id"
        ' WHERE l."index" > %s ORDER BY l."index" LIMIT %s'
    )
    last, expected, checked = -1, 0, 0
    append = frontier.append
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [last, CHUNK])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            for row in rows:
                index, event_id, present = row[0], row[1], row[2]
                if index != expected:
                    result.fail(
                        f"叶子序号不连续：应为 {expected}，实为 {index}（叶子被删除或插入）",
                        event_id=event_id,
                    )
                expected = index + 1
                if present is None:
                    result.fail(
                        f"第 {index} 个叶子的审计记录（记录编号 {event_id}）缺失：记录被删除",
                        event_id=event_id,
                    )
                    leaf = MISSING
                else:
                    leaf = leaf_of(row[3:-1])
                    checked += 1
                    if leaf.hex() != row[-1]:
                        result.fail(
                            "内容与哈希不符（记录被篡改）", seq=row[3 + SEQ_AT], event_id=event_id
                        )
                append(leaf)
                if leaves is not None:
                    leaves.append(leaf)
                size = frontier.size
                if next_head is not None and next_head[0] <= size:
                    if next_head[0] == size and next_head[1] != frontier.root().hex():
                        result.fail(
                            f"树头（大小 {size}）的根哈希与重算不符："
                            f"前 {size} 个叶子中有记录被改写、删除或重排"
                        )
                    next_head = next(head_at, None)
                if size in published and published[size] != frontier.root().hex():
                    result.fail(f"已发布的检查点（大小 {size}）与重算的树不符：日志被改写")
    result.checked += checked
    return frontier


# --- the same walk over ranges of leaves, in several processes ------------------------------------
#
# RFC 9162's tree over n leaves is built from perfect subtrees aligned on powers of two, so the
# leaves [i·R, (i+1)·R) for R a power of two form one subtree whose root needs nothing outside the
# range. Each worker hashes its rows, checks them against their stored hashes and folds them into
# a frontier of its own; for every tree head or published checkpoint whose size ends inside its
# range it keeps that local frontier, which — appended to the global frontier at the range's
# start — is the frontier at that size. The parent then only merges one root per range and
# computes O(log n) nodes per head. The split relies on leaf i being the i-th leaf, so it is
# only taken when the leaves are numbered 0…n-1 without a gap (anything else is tampering: the
# sequential walk names it exactly as always).

RANGE_BITS = 13  # 8,192 leaves a task
PARALLEL_FROM = 1 << 15  # below this, starting the workers costs more than it saves


def _workers() -> int:
    """How many processes the walk may use: several only for a large log on PostgreSQL, outside
    any transaction (the workers read through connections of their own and must see the same
    committed rows; a caller's open transaction could hold rows they cannot see)."""
    import os

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cpus or 1) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    with connection.cursor() as cursor:
        cursor.execute('SELECT COUNT(*), COALESCE(MAX("index"), -1) FROM audit_auditleaf')
        count, last = cursor.fetchone()
    if count < PARALLEL_FROM or last != count - 1:
        return 1
    return min(cpus, 8)


def _range_sql() -> str:
    return (
        f'SELECT l."index", l.event_id, e.id, {_columns()}, e.hash FROM audit_auditleaf l'
        " LEFT JOIN audit_auditevent e ON e.id = l.event_id"
        ' WHERE l."index" >= %s AND l."index" < %s ORDER BY l."index"'
    )


def _walk_range(task):
    """One range in a worker: (start, local frontier size and hashes, {size: local hashes at
    that size}, [(position, reason, seq, event id)], rows checked, leaf hashes or None)."""

    start, stop, algorithm, sizes, want_leaves = task
    tree = Tree(algorithm)
    local = Frontier(tree)
    leaf_of, append = _leaf_of_row(tree), local.append
    snapshots, problems, leaves, checked = {}, [], [] if want_leaves else None, 0
    # The worker's own connection (the parent closed its own before forking), kept for the
    # worker's next range: connecting again for every range cost more than small ranges gain.
    # It ends with the worker process.
    with connection.cursor() as cursor:
        if not getattr(connection, "baomi_range_plan", False):
            # A range is a few thousand leaves of a log that may hold millions of rows: the
            # planner's favourite, hashing the whole event table for every range, made the walk
            # grow with the square of the log. Each row's event by its primary key instead.
            cursor.execute("SET enable_hashjoin = off; SET enable_mergejoin = off")
            connection.baomi_range_plan = True
        cursor.execute(_range_sql(), [start, stop])
        rows = cursor.fetchall()
    for row in rows:
        index, event_id = row[0], row[1]
        if row[2] is None:
            problems.append(
                (
                    index,
                    f"第 {index} 个叶子的审计记录（记录编号 {event_id}）缺失：记录被删除",
                    None,
                    event_id,
                )
            )
            leaf = MISSING
        else:
            leaf = leaf_of(row[3:-1])
            checked += 1
            if leaf.hex() != row[-1]:
                problems.append((index, "内容与哈希不符（记录被篡改）", row[3 + SEQ_AT], event_id))
        append(leaf)
        if leaves is not None:
            leaves.append(leaf)
        if start + local.size in sizes:
            snapshots[start + local.size] = list(local.hashes)
    return start, local.size, local.hashes, snapshots, problems, checked, leaves


def _walk_in_parallel(tree, result, heads, published, leaves, workers) -> Frontier:
    import multiprocessing

    from django.db import connections

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_auditleaf")
        (count,) = cursor.fetchone()
    width = 1 << RANGE_BITS
    head_roots: dict[int, list[str]] = {}
    for size, root in heads:
        head_roots.setdefault(size, []).append(root)
    sizes = frozenset(size for size in (*head_roots, *published) if 0 < size <= count)
    tasks = [
        (start, min(start + width, count), tree.algorithm, sizes, leaves is not None)
        for start in range(0, count, width)
    ]
    frontier = Frontier(tree)
    # The workers are forked: the parent's connection must not be shared with them.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for start, size, hashes_, snapshots, problems, checked, got in pool.imap(
            _walk_range, tasks
        ):
            # In leaf order, as the sequential walk reports: a row's problem, then the heads
            # that end at it.
            events = [((p[0], 0), p) for p in problems] + [((at - 1, 1), at) for at in snapshots]
            for _, event in sorted(events, key=lambda e: e[0]):
                if isinstance(event, tuple):
                    _, reason, seq, event_id = event
                    result.fail(reason, seq=seq, event_id=event_id)
                    continue
                root = _joined(frontier, event - start, snapshots[event]).root().hex()
                for stored in head_roots.get(event, ()):
                    if stored != root:
                        result.fail(
                            f"树头（大小 {event}）的根哈希与重算不符："
                            f"前 {event} 个叶子中有记录被改写、删除或重排"
                        )
                if event in published and published[event] != root:
                    result.fail(f"已发布的检查点（大小 {event}）与重算的树不符：日志被改写")
            frontier = _joined(frontier, size, hashes_)
            result.checked += checked
            if leaves is not None:
                leaves.extend(got)
    return frontier


def _joined(frontier: Frontier, size: int, local: list[bytes]) -> Frontier:
    """The frontier at a range's start followed by the local frontier of `size` leaves after it:
    a whole range is one subtree to merge in; part of one is subtrees lower than any before."""
    joined = Frontier(frontier.tree, frontier.size, frontier.hashes)
    if size == 1 << RANGE_BITS:
        joined.append_subtree(local[0], RANGE_BITS)
    else:
        joined.hashes.extend(local)
        joined.size += size
    return joined


def _check_unsealed(tree, result) -> None:
    """Rows not yet sealed: their content must still match the hash written with them."""
    leaf_of = _leaf_of_row(tree)
    sql = (
        f"SELECT e.id, {_columns()}, e.hash FROM audit_auditevent e WHERE NOT EXISTS"
        " (SELECT 1 FROM audit_auditleaf l WHERE l.event_id = e.id) ORDER BY e.seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for row in cursor.fetchall():
            result.checked += 1
            result.pending += 1
            if leaf_of(row[1:-1]).hex() != row[-1]:
                result.fail("内容与哈希不符（记录被篡改）", seq=row[1 + SEQ_AT], event_id=row[0])


def _parse_checkpoints(checkpoints, trusted, result) -> list[tuple[str, Checkpoint | None]]:
    if not checkpoints:
        return []
    trusted = trusted or signing.verifier()
    parsed = []
    for source, note in checkpoints:
        try:
            cp = parse(note, trusted)
        except signing.NoteError as error:
            result.checkpoints.append(CheckpointResult(source, False, None, str(error)))
            result.fail(f"检查点 {source}：{error}")
            parsed.append((source, None))
            continue
        if cp.origin != signing.key_name():
            reason = f"检查点属于另一个日志（{cp.origin}），本日志为 {signing.key_name()}"
            result.checkpoints.append(CheckpointResult(source, False, cp.size, reason))
            result.fail(f"检查点 {source}：{reason}")
            parsed.append((source, None))
            continue
        parsed.append((source, cp))
    return parsed


def _consistency(tree, source, cp: Checkpoint, leaves, frontier, result) -> CheckpointResult:
    n = frontier.size
    if cp.size > n:
        reason = (
            f"尾部缺失：检查点记录了 {cp.size} 条，当前日志只有 {n} 条"
            "（记录被删除，或恢复了较早的备份）"
        )
    elif cp.size == 0 or tree.verify_consistency(
        cp.size, n, cp.root, frontier.root(), tree.consistency_proof(cp.size, leaves)
    ):
        return CheckpointResult(source, True, cp.size)
    else:
        named = [p for p in result.problems if not p.startswith("检查点")]
        reason = (
            f"与检查点（大小 {cp.size}）不一致：{named[0]}"
            if named
            else f"分叉：当前日志的前 {cp.size} 条与检查点不一致（日志被整体改写或替换）"
        )
    result.fail(f"检查点 {source}：{reason}")
    return CheckpointResult(source, False, cp.size, reason)


# --- inclusion proofs ------------------------------------------------------------------------------


def leaf_hashes(size: int) -> list[bytes]:
    """The stored leaf hashes of the first `size` leaves, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.hash FROM audit_auditleaf l JOIN audit_auditevent e ON e.id = l.event_id"
            ' WHERE l."index" < %s ORDER BY l."index"',
            [size],
        )
        return [bytes.fromhex(h) for (h,) in cursor.fetchall()]
