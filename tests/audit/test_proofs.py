"""SEC-4: an inclusion proof shows one event is in the log, against a signed checkpoint; a
forged one fails. Checkpoints are C2SP signed notes; the verifier key is a C2SP vkey."""

from __future__ import annotations

import base64
import hashlib
from io import StringIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command

from baomi.audit import signing
from baomi.audit.checkpoints import latest_checkpoint, publish
from baomi.audit.merkle import Tree
from baomi.audit.models import AuditCheckpoint, AuditEvent, CheckpointReason
from baomi.audit.proofs import check_inclusion, inclusion
from tests.factories import receive


def test_r_sec_4_an_inclusion_proof_verifies_and_forgeries_fail(world):
    receive(world, copies=3)
    event = AuditEvent.objects.order_by("seq")[7]
    proof = inclusion(event)
    assert proof["leaf_index"] < proof["tree_size"] == AuditEvent.objects.count()
    assert check_inclusion(proof)
    # A changed entry, with its leaf hash recomputed so only the path can catch it.
    entry = proof["entry"].replace(f'"seq":{event.seq}', f'"seq":{event.seq + 1}')
    assert entry != proof["entry"]
    forgeries = [
        {**proof, "entry": entry, "leaf_hash": Tree("sm3").leaf(entry.encode()).hex()},
        {**proof, "entry": entry},
        {**proof, "leaf_index": proof["leaf_index"] + 1},
        {**proof, "audit_path": [bytes(32).hex(), *proof["audit_path"][1:]]},
        {**proof, "audit_path": proof["audit_path"][:-1]},
        {**proof, "checkpoint": proof["checkpoint"].replace(str(proof["tree_size"]), "99", 1)},
        {**proof, "tree_size": proof["tree_size"] + 1},
    ]
    for forged in forgeries:
        assert not check_inclusion(forged), forged
    # The proof rests on the newest checkpoint that covers the event: a later one is reused.
    again = inclusion(event)
    assert again["checkpoint_id"] == proof["checkpoint_id"]


def test_r_sec_4_checkpoint_is_a_c2sp_signed_note(world):
    made = publish(CheckpointReason.MANUAL)
    origin, size, root, blank, signature, end = made.note.split("\n")
    assert (origin, int(size), blank, end) == ("baomi.local/audit", made.size, "", "")
    assert base64.b64decode(root).hex() == made.root
    dash, name, blob = signature.split(" ")
    assert (dash, name) == ("\u2014", origin)
    raw = base64.b64decode(blob)
    key = signing.public_key()
    expected_id = hashlib.sha256(name.encode() + b"\n\x01" + signing.raw_public(key)).digest()[:4]
    assert raw[:4] == expected_id
    key.verify(raw[4:], f"{origin}\n{size}\n{root}\n".encode())  # raises if it does not hold
    assert latest_checkpoint() == made.note


def test_keys_export_public_prints_the_c2sp_verifier_key(world):
    out = StringIO()
    call_command("keys", "export-public", stdout=out)
    vkey = out.getvalue().strip()
    name, key_id, encoded = vkey.split("+", 2)
    raw = base64.b64decode(encoded)
    assert name == "baomi.local/audit" and raw[0] == 1 and len(raw) == 33
    public = Ed25519PublicKey.from_public_bytes(raw[1:])
    assert signing.key_id(name, public).hex() == key_id
    assert signing.parse_verifier(vkey).key.public_bytes_raw() == public.public_bytes_raw()


def test_the_signing_key_file_is_private(world, settings, tmp_path):
    settings.BAOMI_SIGNING_KEY_FILE = str(tmp_path / "keys" / "signing-ed25519.pem")
    first = signing.export_public_key_text()
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "keys" / "signing-ed25519.pem").stat().st_mode & 0o777 == 0o600
    assert b"BEGIN PRIVATE KEY" in (tmp_path / "keys" / "signing-ed25519.pem").read_bytes()
    assert signing.export_public_key_text() == first  # loaded, not generated again


def test_the_sequencer_publishes_hourly_only_when_the_tree_grew(world, time_machine):
    from django.utils import timezone

    from baomi.audit.checkpoints import publish_if_due

    time_machine.move_to(timezone.now(), tick=False)
    first = publish_if_due()
    assert first is not None and first.reason == CheckpointReason.HOURLY
    assert publish_if_due() is None  # within the hour
    time_machine.shift(3601)
    assert publish_if_due() is None  # nothing new was written
    receive(world)
    assert publish_if_due().size > first.size
    assert AuditCheckpoint.objects.count() == 2


def test_r_sec_4_a_destruction_certificate_prints_the_checkpoint_it_rests_on(world, tmp_path):
    import subprocess

    from baomi.destruction import actions as destruction
    from baomi.destruction.certificate import certificate_pdf
    from baomi.destruction.models import Method
    from tests.lifecycle import approved_list

    w = world
    dlist = approved_list(w, receive(w, copies=2))
    dlist = destruction.destroy(
        w.clerk, dlist, method=Method.PULP, place="销毁中心", witnesses=[w.zhang, w.classifier]
    )
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(certificate_pdf(dlist))
    made = AuditCheckpoint.objects.get(reason=CheckpointReason.DESTRUCTION)
    assert made.subject == dlist.number
    # It covers the destruction's own audit rows.
    destroyed = AuditEvent.objects.filter(event_type__startswith="destruction").latest("seq")
    assert destroyed.leaf.index < made.size
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")
    root = base64.b64encode(bytes.fromhex(made.root)).decode()
    assert f"树大小 {made.size}" in text and root in text
    certificate_pdf(dlist)  # a reprint rests on the same checkpoint
    assert AuditCheckpoint.objects.filter(reason=CheckpointReason.DESTRUCTION).count() == 1
