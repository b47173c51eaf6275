"""Signed checkpoints (C2SP tlog-checkpoint in a signed note): what a superior keeps.

    <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key ID || Ed25519 signature)>\n

Anyone holding one, and the verifier key (`baomi keys export-public`), can later prove with
`baomi audit verify --checkpoint FILE` that the log only grew since.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from baomi.audit import signing
from baomi.audit.merkle import Tree
from baomi.audit.models import AuditCheckpoint, AuditTreeHead, CheckpointReason
from baomi.audit.sequencer import seal, tree_algorithm


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes


def body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def current_head() -> tuple[int, bytes]:
    head = AuditTreeHead.objects.order_by("-size").first()
    if head is None:
        return 0, Tree(tree_algorithm()).empty_root()
    return head.size, bytes.fromhex(head.root)


def publish(reason: str = CheckpointReason.MANUAL, subject: str = "") -> AuditCheckpoint:
    """Seal what can be sealed, then sign and keep a checkpoint of the tree as it now stands."""
    with transaction.atomic():
        seal()
        size, root = current_head()
        origin = signing.key_name()
        return AuditCheckpoint.objects.create(
            size=size,
            root=root.hex(),
            origin=origin,
            note=signing.sign_note(body(origin, size, root)),
            reason=reason,
            subject=subject[:200],
            at=timezone.now(),
        )


def publish_if_due(every_seconds: float = 3600.0) -> AuditCheckpoint | None:
    """The sequencer's hourly checkpoint: only when the tree grew since the last one."""
    seal()
    last = AuditCheckpoint.objects.order_by("-at", "-id").first()
    size, _ = current_head()
    if last and (last.size == size or last.at > timezone.now() - timedelta(seconds=every_seconds)):
        return None
    if not last and size == 0:
        return None
    return publish(CheckpointReason.HOURLY)


def checkpoint_for(reason: str, subject: str) -> AuditCheckpoint:
    """The checkpoint a certificate or report rests on (销毁证明, 清查报告, 年度报告): published the
    first time the document is printed, the same one on every reprint, so the printed root can
    be checked later with `baomi audit verify --checkpoint` against what the superior holds."""
    existing = AuditCheckpoint.objects.filter(reason=reason, subject=subject[:200]).first()
    return existing or publish(reason, subject)


def printed_root(checkpoint: AuditCheckpoint) -> dict:
    """What a PDF prints of its checkpoint (template audit/pdf/_checkpoint_line.html)."""
    return {
        "size": checkpoint.size,
        "root": base64.b64encode(bytes.fromhex(checkpoint.root)).decode(),
        "origin": checkpoint.origin,
        "at": checkpoint.at,
        "id": checkpoint.pk,
    }


def latest_checkpoint() -> str | None:
    """The newest signed checkpoint's text (what `baomi backup` puts beside the database)."""
    last = AuditCheckpoint.objects.order_by("-at", "-id").only("note").first()
    return last.note if last else None


def parse(note: str, trusted: signing.Verifier) -> Checkpoint:
    """The checkpoint in `note`, once its signature by `trusted` holds; NoteError otherwise."""
    text = signing.open_note(note, trusted)
    lines = text.split("\n")[:-1]
    if len(lines) < 3:
        raise signing.NoteError("检查点正文应有日志标识、树大小和根哈希三行")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise signing.NoteError("检查点的树大小不是十进制整数")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError as exc:
        raise signing.NoteError("检查点的根哈希不是 base64") from exc
    if len(root) != 32:
        raise signing.NoteError("检查点的根哈希长度不是 32 字节")
    return Checkpoint(origin, int(size_text), root)
