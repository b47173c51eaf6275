"""The deployment's Ed25519 signing key, and C2SP signed notes made and checked with it.

The key file is PKCS#8 PEM at BAOMI_SIGNING_KEY_FILE (default $BAOMI_VAR_DIR/keys/
signing-ed25519.pem), mode 0600 in a 0700 directory, generated on first use. `baomi keys init`
writes the same file in the same format. The key name in notes and in the verifier key is the
log's origin (BAOMI_AUDIT_ORIGIN), as C2SP recommends (a schema-less URL).
Formats: https://c2sp.org/signed-note (signature line "— <name> base64(key ID || signature)",
key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4]) and vkey "<name>+<hex key ID>+
base64(0x01 || public key)".
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ED25519 = b"\x01"
DASH = "\u2014"


def key_file() -> Path:
    return Path(settings.BAOMI_SIGNING_KEY_FILE)


def key_name() -> str:
    return settings.BAOMI_AUDIT_ORIGIN


def _generate(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: two processes starting at once never overwrite each other's fresh key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as f:
        f.write(pem)


def signing_key() -> Ed25519PrivateKey:
    path = key_file()
    if not path.exists():
        _generate(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} 不是 Ed25519 私钥")
    return key


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(name: str, key: Ed25519PublicKey) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + raw_public(key)).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    name: str
    key: Ed25519PublicKey

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.key)

    def text(self) -> str:
        encoded = base64.b64encode(ED25519 + raw_public(self.key)).decode()
        return f"{self.name}+{self.id.hex()}+{encoded}"


def verifier() -> Verifier:
    return Verifier(key_name(), public_key())


def export_public_key_text() -> str:
    """The verifier key a superior unit keeps: `<name>+<hex key ID>+<base64(0x01 || key)>`."""
    return verifier().text()


def parse_verifier(text: str) -> Verifier:
    """A C2SP vkey; ValueError saying what is wrong with it."""
    parts = text.strip().split("+", 2)  # base64 may itself hold "+"
    if len(parts) != 3 or not parts[0]:
        raise ValueError("验证公钥格式应为 <名称>+<密钥编号>+<公钥>")
    name, id_hex, encoded = parts
    try:
        data = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise ValueError("验证公钥的公钥部分不是 base64") from exc
    if len(data) != 33 or data[:1] != ED25519:
        raise ValueError("只支持 Ed25519 验证公钥（类型 0x01，32 字节）")
    found = Verifier(name, Ed25519PublicKey.from_public_bytes(data[1:]))
    if found.id.hex() != id_hex.lower():
        raise ValueError("验证公钥的密钥编号与公钥不符")
    return found


def sign_note(text: str) -> str:
    """`text` (ending in a newline) as a signed note with the deployment's key."""
    key, name = signing_key(), key_name()
    signature = key.sign(text.encode())
    encoded = base64.b64encode(key_id(name, key.public_key()) + signature).decode()
    return f"{text}\n{DASH} {name} {encoded}\n"


class NoteError(ValueError):
    """A note that does not parse, or carries no valid signature from the expected key."""


def open_note(note: str, trusted: Verifier) -> str:
    """The text of `note` once `trusted` has signed it; NoteError otherwise."""
    text, sep, signatures = note.partition("\n\n")
    if not sep or not text:
        raise NoteError("不是签名检查点：缺少正文与签名之间的空行")
    # The text may hold empty lines itself: the signatures follow the last blank line.
    text, _, signatures = note.rpartition("\n\n")
    text += "\n"
    matched = False
    for line in signatures.splitlines():
        if not line:
            continue
        if not line.startswith(f"{DASH} "):
            raise NoteError("签名行格式不对")
        try:
            name, encoded = line[2:].split(" ")
            blob = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise NoteError("签名行格式不对") from exc
        if name != trusted.name or blob[:4] != trusted.id:
            continue  # a signature by some other key: ignored, as C2SP says
        matched = True
        try:
            trusted.key.verify(blob[4:], text.encode())
        except InvalidSignature as exc:
            raise NoteError("签名无效：检查点被改动，或不是由该密钥签署") from exc
    if not matched:
        raise NoteError(f"检查点上没有密钥 {trusted.name}（编号 {trusted.id.hex()}）的签名")
    return text
