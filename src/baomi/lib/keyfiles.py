"""The deployment's key files: the Django secret, the file key and the Ed25519 signing key.

No key is written in the source. On first start `settings` calls `ensure_keys()`, which generates
each missing key into `$BAOMI_VAR_DIR/keys/` (directory 0700, files 0600; other paths through
BAOMI_SECRET_KEY_FILE, BAOMI_FILE_KEY_FILE, BAOMI_SIGNING_KEY_FILE); `baomi keys init` does the
same explicitly. This module needs no Django settings: settings.py imports it.

Formats:
- Django secret: one line of 50 url-safe characters.
- File key: one line, base64 of 32 random bytes. While `baomi keys rotate` runs, the next key
  lies beside it as `<file>.next`; afterwards the old one is kept under `retired/` so that
  backups taken before the rotation can still be restored.
- Signing key: PKCS8 PEM, unencrypted Ed25519 (the format `baomi.audit.signing` loads).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FILE_KEY_BYTES = 32
SECRET_KEY_NAME = "django-secret"
FILE_KEY_NAME = "file-key"
SIGNING_KEY_NAME = "signing-ed25519.pem"
RETIRED_DIR = "retired"

# Keys once published with the source (the development default of earlier versions): refused
# even where the installed package no longer contains them.
PUBLISHED_KEYS = ("baomi-dev-only-not-for-production-7d1f0c",)

# Text files of the source tree that may hold a key someone once wrote there.
_SOURCE_SUFFIXES = {".py", ".html", ".js", ".md", ".toml", ".txt", ".cfg", ".ini", ".env", ".json"}
_SOURCE_SKIP = {".git", ".venv", "node_modules", "var", "vendor", "__pycache__", "migrations"}


class KeyFileError(Exception):
    """A key file is unusable; the message says which file and what to do (Chinese)."""


def write_private(path: Path, data: bytes) -> bool:
    """Create `path` with mode 0600 holding `data`; False when it already exists.

    O_EXCL makes first start safe when several gunicorn workers start at once: one writes, the
    others read what it wrote. The parent directory is created 0700.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # atomic, and fails if another process got there first
        except FileExistsError:
            return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return True


def new_secret_key() -> bytes:
    return secrets.token_urlsafe(38)[:50].encode() + b"\n"


def new_file_key() -> bytes:
    return base64.b64encode(os.urandom(FILE_KEY_BYTES)) + b"\n"


def new_signing_key() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


GENERATORS = {"secret": new_secret_key, "file": new_file_key, "signing": new_signing_key}


def ensure_keys(paths: dict[str, Path]) -> list[Path]:
    """Generate every key of `paths` ({"secret"|"file"|"signing": path}) that does not exist yet;
    returns the files written."""
    written = []
    for kind, path in paths.items():
        if not path.exists() and write_private(path, GENERATORS[kind]()):
            written.append(path)
    return written


def read_text_key(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError as error:
        raise KeyFileError(f"无法读取密钥文件 {path}：{error.strerror}") from error


def decode_file_key(value: str, origin: str) -> bytes:
    """A file key given as base64 or hex of 32 bytes."""
    for decode in (base64.b64decode, bytes.fromhex):
        try:
            key = decode(value)
        except (ValueError, binascii.Error):
            continue
        if len(key) == FILE_KEY_BYTES:
            return key
    raise KeyFileError(f"{origin} 须为 32 字节密钥的 base64 或十六进制形式")


def key_id(key: bytes) -> bytes:
    """4 bytes naming a file key inside each blob header, so a reader knows which key to use."""
    return hashlib.sha256(b"baomi-file-key-id\n" + key).digest()[:4]


def retired_file_keys(file_key_path: Path) -> list[bytes]:
    folder = file_key_path.parent / RETIRED_DIR
    if not folder.is_dir():
        return []
    return [
        decode_file_key(read_text_key(p), str(p))
        for p in sorted(folder.iterdir())
        if p.name.startswith(FILE_KEY_NAME)
    ]


# --- refusing public keys -------------------------------------------------------------------


def source_roots(base_dir: Path, project_dir: Path) -> list[Path]:
    """The package itself and, in a checkout, the repository's source folders."""
    roots = [base_dir]
    for name in ("src", "tests", "docs", "scripts", "bench", ".ci"):
        folder = project_dir / name
        if folder.is_dir() and folder not in roots and base_dir not in folder.parents:
            roots.append(folder)
    roots.extend(p for p in project_dir.glob("*") if p.is_file() and p.suffix in _SOURCE_SUFFIXES)
    return roots


def _source_files(roots: list[Path]):
    for root in roots:
        if root.is_file():
            yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in _SOURCE_SKIP]
            for name in filenames:
                if Path(name).suffix in _SOURCE_SUFFIXES:
                    yield Path(dirpath) / name


def appears_in_source(values: list[str], roots: list[Path]) -> str | None:
    """The first of `values` written in a source file, or None (values shorter than 8
    characters are checked only for emptiness by the caller)."""
    wanted = [v for v in values if len(v) >= 8]
    if not wanted:
        return None
    for path in _source_files(roots):
        try:
            text = path.read_text(errors="ignore")
        except OSError:
            continue
        for value in wanted:
            if value in text:
                return value
    return None


def refuse_public_keys(keys: dict[str, str], roots: list[Path]) -> None:
    """Raise KeyFileError when a key is empty or appears in the source tree (production mode).

    `keys` maps a name shown to the operator (the setting or file it came from) to its value.
    """
    for origin, value in keys.items():
        if not value.strip():
            raise KeyFileError(
                f"拒绝启动：密钥 {origin} 为空。请删除该设置或文件后运行 `baomi keys init` 生成新密钥。"
            )
    found = next((v for v in keys.values() if v.strip() in PUBLISHED_KEYS), None)
    found = found or appears_in_source(list(keys.values()), roots)
    if found is not None:
        origin = next(o for o, v in keys.items() if v == found)
        raise KeyFileError(
            f"拒绝启动：密钥 {origin} 出现在源代码中，任何人都能得到它。"
            "请删除该设置或文件后运行 `baomi keys init` 生成新密钥（见 docs/operations.md「密钥文件」）。"
        )
