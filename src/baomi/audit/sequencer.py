"""The sequencer: gives committed audit rows their leaf index and extends the Merkle tree.

Writers never take a shared lock; the order of the log is decided here, once, by one sequencer at
a time (a PostgreSQL advisory lock; on SQLite the database's write lock). Each batch writes new
rows only — one `AuditLeaf` per row and one `AuditTreeHead` — and never updates anything.

Which rows may be sealed, on PostgreSQL, without a global lock on the writers:
  a row's `xid` is its inserting transaction's id. `pg_snapshot_xmin(pg_current_snapshot())` is
  the oldest transaction still running; every transaction with a smaller id has finished, so its
  rows are either all visible (committed) or gone for good (rolled back). The sequencer seals the
  unsealed rows with horizon ≤ xid < xmin, ordered by (xid, seq), and records xmin as the new
  horizon. No later commit can bring a row below that horizon, so no row is ever skipped, and the
  unique leaf→event constraint plus the advisory lock mean none is sealed twice. A row whose
  transaction is still running simply waits for a later batch. We chose this over "a sequence
  plus a settle delay" because a delay is a guess: a transaction slower than the delay would
  commit a row below an already-sealed number and be skipped. The price: one long transaction
  anywhere in the cluster holds sealing back until it ends (rows stay visibly 待封存, nothing is
  lost). The order is that of the writing transactions' ids, which for our short actions is
  nearly their commit order; what matters is that it is fixed once sealed.
  Rows written by the sealing transaction itself (a report that seals inside its action) are
  sealed with it: they commit or roll back together with their leaves.
On SQLite writers are serialised by the database's write lock, so `seq` order is commit order and
the horizon is simply the last sealed seq.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from baomi.audit.merkle import Frontier, Tree
from baomi.audit.models import AuditLeaf, AuditTreeHead

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key: "baomi audit sequencer" (any constant no other code uses).
LOCK_KEY = 0x6A0_5E0
BATCH = 5000


class SealRefused(Exception):
    """The stored tree does not hold together; sealing on would hide that."""


def tree_algorithm() -> str:
    """The tree's hash: the one the first head used, else the configured one."""
    head = AuditTreeHead.objects.order_by("size").only("algorithm").first()
    return head.algorithm if head else settings.BAOMI_AUDIT_HASH


def seal(batch_size: int = BATCH) -> int:
    """Seal every row that can be sealed now, in batches; returns how many were sealed."""
    total = 0
    while True:
        sealed = seal_batch(batch_size)
        total += sealed
        if sealed < batch_size:
            return total


def seal_batch(batch_size: int = BATCH) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        head = AuditTreeHead.objects.order_by("-size").first()
        size, horizon = (head.size, head.horizon) if head else (0, 0)
        if AuditLeaf.objects.filter(index__gte=size).exists():
            # Leaves past the last head: heads were deleted. Extending would fork the tree.
            raise SealRefused(
                f"审计日志的树头（大小 {size}）与叶子不符，已停止封存：请运行 baomi audit verify"
            )
        rows, new_horizon = _sealable(cursor, horizon, batch_size)
        if not rows:
            return 0
        tree = Tree(head.algorithm if head else settings.BAOMI_AUDIT_HASH)
        frontier = Frontier(tree, size, [bytes.fromhex(h) for h in head.frontier] if head else ())
        for _, leaf_hash in rows:
            frontier.append(bytes.fromhex(leaf_hash))
        AuditLeaf.objects.bulk_create(
            AuditLeaf(index=size + i, event_id=event_id) for i, (event_id, _) in enumerate(rows)
        )
        AuditTreeHead.objects.create(
            size=frontier.size,
            root=frontier.root().hex(),
            algorithm=tree.algorithm,
            frontier=[h.hex() for h in frontier.hashes],
            horizon=new_horizon,
            at=timezone.now(),
        )
        return len(rows)


def _sealable(cursor, horizon: int, limit: int) -> tuple[list[tuple[int, str]], int]:
    """(event id, leaf hash) of the rows to seal next, in log order, and the new horizon."""
    if connection.vendor == "postgresql":
        # Its own statement: every transaction older than `xmin` had ended when it ran, so the
        # next statement (a newer snapshot) sees all their rows.
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
            " pg_current_xact_id_if_assigned()::text::bigint"
        )
        xmin, own = cursor.fetchone()
        cursor.execute(
            "SELECT e.id, e.hash FROM audit_auditevent e"
            " WHERE ((e.xid >= %s AND e.xid < %s) OR e.xid = %s)"
            " AND NOT EXISTS (SELECT 1 FROM audit_auditleaf l WHERE l.event_id = e.id)"
            " ORDER BY e.xid, e.seq LIMIT %s",
            [horizon, xmin, own, limit],
        )
        rows = cursor.fetchall()
        # A full batch may have left rows below xmin unsealed: keep the old horizon then.
        return rows, (xmin if len(rows) < limit else horizon)
    cursor.execute(
        "SELECT id, hash, seq FROM audit_auditevent WHERE seq > %s ORDER BY seq LIMIT %s",
        [horizon, limit],
    )
    rows = cursor.fetchall()
    return [(r[0], r[1]) for r in rows], (rows[-1][2] if rows else horizon)


def unsealed_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM audit_auditevent e"
            " WHERE NOT EXISTS (SELECT 1 FROM audit_auditleaf l WHERE l.event_id = e.id)"
        )
        return cursor.fetchone()[0]


def run_forever(interval: float = 1.0, *, checkpoint_every: float = 3600.0, stop=None) -> None:
    """The worker loop: seal every `interval` seconds, publish a checkpoint every hour the tree
    has grown. Errors (the database restarting) are logged and retried, never fatal."""
    from baomi.audit.checkpoints import publish_if_due

    while stop is None or not stop():
        try:
            sealed = seal()
            if sealed:
                log.info("sealed %d audit rows", sealed)
            publish_if_due(checkpoint_every)
        except Exception:  # the worker must outlive a database restart
            log.exception("audit sequencer batch failed; retrying")
            connection.close()
        time.sleep(interval)
