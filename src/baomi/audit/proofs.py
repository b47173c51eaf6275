"""Inclusion proofs (RFC 9162 §2.1.3): evidence that one audit event is in the log, checkable by
anyone holding the verifier key — the event's canonical content, its leaf index, the audit path
and a signed checkpoint whose root the path leads to."""

from __future__ import annotations

from baomi.audit import signing
from baomi.audit.checkpoints import parse, publish
from baomi.audit.merkle import Tree
from baomi.audit.models import AuditCheckpoint, AuditEvent, AuditLeaf, CheckpointReason
from baomi.audit.sequencer import seal, tree_algorithm
from baomi.audit.trail import HASHED_FIELDS, canonical
from baomi.audit.verification import leaf_hashes


class NotSealed(Exception):
    """The event exists but the sequencer has not given it a leaf yet."""


def inclusion(event: AuditEvent) -> dict:
    """The proof for `event` against the newest checkpoint that covers it (one is published when
    none does yet, as the sequencer would within the hour)."""
    leaf = AuditLeaf.objects.filter(event=event).first()
    if leaf is None:
        seal()
        leaf = AuditLeaf.objects.filter(event=event).first()
        if leaf is None:
            raise NotSealed
    checkpoint = AuditCheckpoint.objects.filter(size__gt=leaf.index).order_by(
        "-size", "-id"
    ).first() or publish(CheckpointReason.MANUAL, subject=f"包含证明：审计记录 {event.pk}")
    tree = Tree(tree_algorithm())
    leaves = leaf_hashes(checkpoint.size)
    path = tree.inclusion_proof(leaf.index, leaves)
    entry = canonical({name: getattr(event, name) for name in HASHED_FIELDS})
    return {
        "event_id": event.pk,
        "seq": event.seq,
        "algorithm": tree.algorithm,
        "leaf_index": leaf.index,
        "tree_size": checkpoint.size,
        "root": checkpoint.root,
        "entry": entry.decode(),
        "leaf_hash": tree.leaf(entry).hex(),
        "audit_path": [p.hex() for p in path],
        "checkpoint": checkpoint.note,
        "checkpoint_id": checkpoint.pk,
    }


def check_inclusion(proof: dict, trusted: signing.Verifier | None = None) -> bool:
    """What an auditor does with a proof, offline: the checkpoint's signature, the leaf from the
    entry's own bytes, the path up to the checkpoint's root. False when any of it fails."""
    try:
        checkpoint = parse(proof["checkpoint"], trusted or signing.verifier())
        tree = Tree(proof["algorithm"])
        leaf = tree.leaf(proof["entry"].encode())
        path = [bytes.fromhex(p) for p in proof["audit_path"]]
        index = int(proof["leaf_index"])
    except (signing.NoteError, KeyError, ValueError, TypeError):
        return False
    return (
        leaf.hex() == proof.get("leaf_hash")
        and checkpoint.size == proof.get("tree_size")
        and tree.verify_inclusion(index, checkpoint.size, leaf, path, checkpoint.root)
    )
