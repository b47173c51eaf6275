"""The encrypted file store (SEC-5): attachments are AES-256-GCM encrypted at rest.

A file is stored as `MAGIC | 12-byte nonce | ciphertext+tag` under `BAOMI_FILE_DIR` (default
`var/files/`), named by a random id that is also the associated data, so a blob copied under
another name does not decrypt. The key is `BAOMI_FILE_KEY` (base64 or hex of 32 bytes); without
it a development key is derived from SECRET_KEY with HKDF. Blobs are only ever read back through
`read()` by a view or action that checked who may see them — the directory is never served.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

MAGIC = b"BMF1"
_NONCE = 12


class FileStoreError(Exception):
    """A blob is missing or does not decrypt (tampered, wrong key)."""


def _key() -> bytes:
    configured = getattr(settings, "BAOMI_FILE_KEY", "") or os.environ.get("BAOMI_FILE_KEY", "")
    if configured:
        for decode in (base64.b64decode, bytes.fromhex):
            try:
                key = decode(configured)
            except (ValueError, binascii.Error):
                continue
            if len(key) == 32:
                return key
        raise FileStoreError("BAOMI_FILE_KEY 须为 32 字节密钥的 base64 或十六进制形式")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"baomi-filestore-v1")
    return hkdf.derive(settings.SECRET_KEY.encode())


def root() -> Path:
    configured = getattr(settings, "BAOMI_FILE_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "files"


def _path(blob: str) -> Path:
    if not blob.isalnum():
        raise FileStoreError("存储标识无效")
    return root() / blob[:2] / blob


def save(data: bytes) -> str:
    """Encrypt and store `data`; returns the blob id."""
    blob = secrets.token_hex(16)
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(_key()).encrypt(nonce, data, blob.encode())
    path = _path(blob)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(MAGIC + nonce + sealed)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return blob


def read(blob: str) -> bytes:
    """The plaintext of a stored blob, or FileStoreError."""
    try:
        raw = _path(blob).read_bytes()
    except OSError as error:
        raise FileStoreError(f"文件不存在：{blob}") from error
    if not raw.startswith(MAGIC):
        raise FileStoreError("文件格式不正确")
    nonce, sealed = raw[len(MAGIC) : len(MAGIC) + _NONCE], raw[len(MAGIC) + _NONCE :]
    try:
        return AESGCM(_key()).decrypt(nonce, sealed, blob.encode())
    except Exception as error:  # InvalidTag: tampered, or another key
        raise FileStoreError("文件无法解密（被篡改或密钥不符）") from error


def raw_path(blob: str) -> Path:
    """Where the ciphertext lies (for backups and tests; never to be served)."""
    return _path(blob)
