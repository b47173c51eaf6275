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


def _decoder():
    """Turns a raw row into the canonical bytes of its content. Django hands JSON columns back
    as text on both databases (its psycopg loader does not parse jsonb), so parse them here."""
    at, after, before = (HASHED_FIELDS.index(n) for n in ("at", "after", "before"))

    def decode(row) -> tuple[dict, bytes]:
        values = dict(zip(HASHED_FIELDS, row, strict=True))
        values["at"] = time_text(row[at])
        if row[after] is not None:
            values["after"] = loads(row[after])
        if row[before] is not None:
            values["before"] = loads(row[before])
        return values, encode(values)

    return decode


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
    frontier = Frontier(tree)
    decode = _decoder()
    leaf_of = tree.leaf
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
                    values, data = decode(row[3:-1])
                    leaf = leaf_of(data)
                    checked += 1
                    if leaf.hex() != row[-1]:
                        result.fail(
                            "内容与哈希不符（记录被篡改）", seq=values["seq"], event_id=event_id
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


def _check_unsealed(tree, result) -> None:
    """Rows not yet sealed: their content must still match the hash written with them."""
    decode = _decoder()
    sql = (
        f"SELECT e.id, {_columns()}, e.hash FROM audit_auditevent e WHERE NOT EXISTS"
        " (SELECT 1 FROM audit_auditleaf l WHERE l.event_id = e.id) ORDER BY e.seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for row in cursor.fetchall():
            values, data = decode(row[1:-1])
            result.checked += 1
            result.pending += 1
            if tree.leaf(data).hex() != row[-1]:
                result.fail("内容与哈希不符（记录被篡改）", seq=values["seq"], event_id=row[0])


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
