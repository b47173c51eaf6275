"""The encrypted file store (SEC-5): attachments are SM4-GCM (or AES-256-GCM) encrypted at rest.

A blob is stored under `BAOMI_FILE_DIR` (default `var/files/`), named by a random id that is also
part of the associated data, so a blob copied under another name does not decrypt. Formats:

- v2 (written now): `BMF2 | cipher (1 = SM4-GCM, 2 = AES-256-GCM) | key id (4) | nonce (12) |
  ciphertext | tag (16)`; the associated data is the blob id and the 9 header bytes. The cipher's
  key is derived from the file key with HKDF (16 bytes for SM4, 32 for AES), one per cipher.
- v1 (read only): `BMF1 | nonce (12) | ciphertext+tag`, AES-256-GCM straight with the file key,
  or with the key derived from SECRET_KEY when no BAOMI_FILE_KEY was set. `baomi keys rotate`
  re-encrypts those as v2.

The file key lives in its own file (`baomi.lib.keyfiles`), never in the database or the file
store, so neither alone reveals an attachment. Blobs are only ever read back through `read()` by
a view or action that checked who may see them — the directory is never served.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from baomi.lib import keyfiles

MAGIC_V1 = b"BMF1"
MAGIC = b"BMF2"
_NONCE = 12
_TAG = 16
SM4_GCM = 1
AES_256_GCM = 2
CIPHERS = {"sm4": SM4_GCM, "aes256": AES_256_GCM}
_HEADER = len(MAGIC) + 1 + 4


class FileStoreError(Exception):
    """A blob is missing or does not decrypt (tampered, wrong key)."""


def current_key() -> bytes:
    """The file key new blobs are written with: BAOMI_FILE_KEY, else the key file."""
    configured = getattr(settings, "BAOMI_FILE_KEY", "") or os.environ.get("BAOMI_FILE_KEY", "")
    try:
        if configured:
            return keyfiles.decode_file_key(configured, "BAOMI_FILE_KEY")
        # While `baomi keys rotate` runs, new blobs go straight under the next key.
        nxt = next_key_path()
        if nxt.exists():
            return keyfiles.decode_file_key(keyfiles.read_text_key(nxt), str(nxt))
        path = Path(settings.BAOMI_FILE_KEY_FILE)
        keyfiles.ensure_keys({"file": path})
        return keyfiles.decode_file_key(keyfiles.read_text_key(path), str(path))
    except keyfiles.KeyFileError as error:
        raise FileStoreError(str(error)) from error


def known_keys() -> dict[bytes, bytes]:
    """Every key a blob may be under, by key id: the current one, the next one while a rotation
    runs, and the retired ones (backups taken before a rotation)."""
    keys = [current_key()]
    path = Path(settings.BAOMI_FILE_KEY_FILE)
    try:
        if path.exists():
            keys.append(keyfiles.decode_file_key(keyfiles.read_text_key(path), str(path)))
        keys.extend(keyfiles.retired_file_keys(path))
    except keyfiles.KeyFileError as error:
        raise FileStoreError(str(error)) from error
    return {keyfiles.key_id(k): k for k in keys}


def next_key_path() -> Path:
    path = Path(settings.BAOMI_FILE_KEY_FILE)
    return path.with_name(path.name + ".next")


def cipher_key(file_key: bytes, cipher: int) -> bytes:
    length = 16 if cipher == SM4_GCM else 32
    info = b"baomi-filestore-v2-sm4" if cipher == SM4_GCM else b"baomi-filestore-v2-aes256"
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(file_key)


def configured_cipher() -> int:
    name = getattr(settings, "BAOMI_FILE_CIPHER", "sm4")
    try:
        return CIPHERS[name]
    except KeyError as exc:
        raise FileStoreError(f"不支持的文件加密算法：{name}（可选 sm4、aes256）") from exc


def seal(blob: str, data: bytes, file_key: bytes, cipher: int | None = None) -> bytes:
    """The v2 bytes of `data` stored as `blob` under `file_key`."""
    cipher = cipher or configured_cipher()
    header = MAGIC + bytes([cipher]) + keyfiles.key_id(file_key)
    nonce = os.urandom(_NONCE)
    sealed = aead_encrypt(cipher, cipher_key(file_key, cipher), nonce, data, blob.encode() + header)
    return header + nonce + sealed


def aead_encrypt(cipher: int, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    """`ciphertext || tag` with SM4-GCM or AES-256-GCM (also used by backups)."""
    if cipher == SM4_GCM:
        enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        return enc.update(data) + enc.finalize() + enc.tag
    return AESGCM(key).encrypt(nonce, data, aad)


def aead_decrypt(cipher: int, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    """The plaintext of `aead_encrypt`'s output; InvalidTag when tampered or another key."""
    if cipher == SM4_GCM:
        dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-_TAG:])).decryptor()
        dec.authenticate_additional_data(aad)
        return dec.update(sealed[:-_TAG]) + dec.finalize()
    if cipher == AES_256_GCM:
        return AESGCM(key).decrypt(nonce, sealed, aad)
    raise FileStoreError("文件格式不正确")


def open_sealed(blob: str, raw: bytes, keys: dict[bytes, bytes] | None = None) -> bytes:
    """The plaintext of stored bytes `raw` of `blob` (either format), or FileStoreError."""
    keys = known_keys() if keys is None else keys
    try:
        if raw.startswith(MAGIC) and len(raw) >= _HEADER + _NONCE + _TAG:
            return _open_v2(blob, raw, keys)
        if raw.startswith(MAGIC_V1):
            return _open_v1(blob, raw, keys)
    except InvalidTag as error:
        raise FileStoreError("文件无法解密（被篡改或密钥不符）") from error
    raise FileStoreError("文件格式不正确")


def _open_v2(blob: str, raw: bytes, keys: dict[bytes, bytes]) -> bytes:
    cipher, kid = raw[len(MAGIC)], raw[len(MAGIC) + 1 : _HEADER]
    if kid not in keys:
        raise FileStoreError("文件无法解密：加密它的文件密钥不在密钥目录中")
    if cipher not in (SM4_GCM, AES_256_GCM):
        raise FileStoreError("文件格式不正确")
    key = cipher_key(keys[kid], cipher)
    nonce = raw[_HEADER : _HEADER + _NONCE]
    return aead_decrypt(cipher, key, nonce, raw[_HEADER + _NONCE :], blob.encode() + raw[:_HEADER])


def legacy_keys() -> list[bytes]:
    """v1 keys: a v1 blob was AES-GCM under BAOMI_FILE_KEY itself, or, without one, under a key
    derived from SECRET_KEY (BAOMI_LEGACY_SECRET_KEY names the secret such an instance ran with)."""
    secrets_ = [settings.SECRET_KEY, os.environ.get("BAOMI_LEGACY_SECRET_KEY", "")]
    derived = [
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"baomi-filestore-v1").derive(
            s.encode()
        )
        for s in secrets_
        if s
    ]
    return derived


def _open_v1(blob: str, raw: bytes, keys: dict[bytes, bytes]) -> bytes:
    nonce, sealed = raw[len(MAGIC_V1) : len(MAGIC_V1) + _NONCE], raw[len(MAGIC_V1) + _NONCE :]
    for key in [*keys.values(), *legacy_keys()]:
        try:
            return AESGCM(key).decrypt(nonce, sealed, blob.encode())
        except InvalidTag:
            continue
    raise InvalidTag


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
    write_raw(blob, seal(blob, data, current_key()))
    return blob


def write_raw(blob: str, raw: bytes) -> None:
    """Put stored bytes in place atomically (a reader sees the old blob or the new, never half)."""
    path = _path(blob)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(raw)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read(blob: str) -> bytes:
    """The plaintext of a stored blob, or FileStoreError."""
    try:
        raw = _path(blob).read_bytes()
    except OSError as error:
        raise FileStoreError(f"文件不存在：{blob}") from error
    return open_sealed(blob, raw)


def raw_path(blob: str) -> Path:
    """Where the ciphertext lies (for backups and tests; never to be served)."""
    return _path(blob)


def blobs() -> Iterator[str]:
    """Every blob id in the store (for rotation and backups)."""
    base = root()
    if not base.is_dir():
        return
    for folder in sorted(base.iterdir()):
        if folder.is_dir() and len(folder.name) == 2:
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.name.isalnum():
                    yield path.name


def rotate(report=print) -> tuple[int, list[str]]:
    """Re-encrypt every blob under a new file key (`baomi keys rotate`); returns (re-encrypted,
    blobs that would not decrypt).

    Safe at any point of failure: the new key is first written beside the old as `<file>.next`
    (new uploads already use it), each blob is replaced atomically, and only when every blob is
    under the new key is the old one moved to `retired/` and the new one put in its place. A
    rotation that was interrupted resumes with the same next key when run again.
    """
    if getattr(settings, "BAOMI_FILE_KEY", "") or os.environ.get("BAOMI_FILE_KEY"):
        raise FileStoreError(
            "文件密钥由环境变量 BAOMI_FILE_KEY 提供，无法在此轮换：请改用密钥文件（BAOMI_FILE_KEY_FILE）。"
        )
    path = Path(settings.BAOMI_FILE_KEY_FILE)
    keyfiles.ensure_keys({"file": path})
    nxt = next_key_path()
    keyfiles.write_private(nxt, keyfiles.new_file_key())  # keeps an interrupted run's next key
    new_key = current_key()
    new_id = keyfiles.key_id(new_key)
    done, failed = 0, []
    # A second pass picks up a blob an upload wrote with the old key while the first pass ran.
    for _pass in range(2):
        keys = known_keys()
        for blob in blobs():
            raw = _path(blob).read_bytes()
            if raw.startswith(MAGIC) and raw[len(MAGIC) + 1 : _HEADER] == new_id:
                continue
            try:
                plain = open_sealed(blob, raw, keys)
            except FileStoreError as error:
                if blob not in failed:
                    failed.append(blob)
                    report(f"无法解密 {blob}：{error}")
                continue
            write_raw(blob, seal(blob, plain, new_key))
            done += 1
    old = keyfiles.read_text_key(path)
    old_id = keyfiles.key_id(keyfiles.decode_file_key(old, str(path))).hex()
    keyfiles.write_private(
        path.parent / keyfiles.RETIRED_DIR / f"{keyfiles.FILE_KEY_NAME}-{old_id}",
        (old + "\n").encode(),
    )
    os.replace(nxt, path)
    return done, failed
