"""`baomi backup FILE` / `baomi restore FILE`: one consistent, encrypted archive (issue 10).

The archive is a tar stream — `manifest.json`, the database (`database.sqlite3` from SQLite's
backup API, or `database.pgdump` from pg_dump's custom format), the file store's blobs as stored
(`files/xx/<id>`) and the latest signed checkpoint (`checkpoint.txt`) — encrypted in 1 MiB chunks
with the file key (SM4-GCM or AES-256-GCM, as attachments). Key files are never inside: restoring
needs the same `keys/` folder (a key retired by `keys rotate` still opens older backups).

Consistency: the checkpoint is read first, so the database it is taken with always extends it;
the database is one snapshot (SQLite's backup API copies under one read lock; pg_dump runs in
the snapshot the row counts of the manifest were taken in); blobs are copied after it, and since
a blob is written before the row naming it commits and never deleted, every blob the snapshot
names is in the archive.

Chunk format: header `BMBK1 | cipher | key id (4) | nonce prefix (8)`, then per chunk
`length (4) | last (1) | ciphertext+tag`, nonce = prefix || counter (4), associated data =
header || counter || last — so chunks cannot be reordered, dropped or cut off at the end.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import connection
from django.utils import timezone

from baomi.lib import filestore, keyfiles

MAGIC = b"BMBK1"
CHUNK = 1 << 20
_HEADER = len(MAGIC) + 1 + 4 + 8
FORMAT_VERSION = 1
# Tables a freshly migrated database already fills: they do not make it "not empty".
# Rows every migrated instance has (Django's own, and the default 自查自评 checklist a data
# migration installs): they do not make a restore target "not empty".
SCAFFOLD_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "inspections_checklisttemplate",
    "inspections_checklistitem",
}


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why (Chinese)."""


# --- encryption -------------------------------------------------------------------------------


class EncryptingWriter(io.RawIOBase):
    """A write-only file object: what tarfile writes goes out as sealed chunks."""

    def __init__(self, out, file_key: bytes, cipher: int):
        self.out = out
        self.cipher = cipher
        self.key = filestore.cipher_key(file_key, cipher)
        self.header = MAGIC + bytes([cipher]) + keyfiles.key_id(file_key) + os.urandom(8)
        self.out.write(self.header)
        self.buffer = bytearray()
        self.counter = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()

    def _emit(self, data: bytes, *, last: bool) -> None:
        nonce = self.header[-8:] + self.counter.to_bytes(4, "big")
        aad = self.header + self.counter.to_bytes(8, "big") + bytes([last])
        sealed = filestore.aead_encrypt(self.cipher, self.key, nonce, data, aad)
        self.out.write(len(sealed).to_bytes(4, "big") + bytes([last]) + sealed)
        self.counter += 1


class DecryptingReader(io.RawIOBase):
    """A read-only file object over an encrypted archive; raises BackupError on any tampering,
    a missing end or a key that is not in the keys folder."""

    def __init__(self, source, keys: dict[bytes, bytes]):
        self.source = source
        self.header = source.read(_HEADER)
        if len(self.header) < _HEADER or not self.header.startswith(MAGIC):
            raise BackupError("不是 Baomi 备份文件（文件头不符）。")
        self.cipher = self.header[len(MAGIC)]
        kid = self.header[len(MAGIC) + 1 : len(MAGIC) + 5]
        if kid not in keys:
            raise BackupError(
                "备份所用的文件密钥不在密钥目录中：请放回生成该备份时的 keys/ 目录"
                "（轮换后的旧密钥在 keys/retired/）。"
            )
        self.key = filestore.cipher_key(keys[kid], self.cipher)
        self.pending = b""
        self.counter = 0
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self.pending and not self.ended:
            self.pending = self._next_chunk()
        size = min(len(target), len(self.pending))
        target[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def _next_chunk(self) -> bytes:
        head = self.source.read(5)
        if len(head) < 5:
            raise BackupError("备份文件不完整（缺少结尾）。")
        length, last = int.from_bytes(head[:4], "big"), head[4]
        sealed = self.source.read(length)
        if len(sealed) < length or last not in (0, 1):
            raise BackupError("备份文件不完整。")
        nonce = self.header[-8:] + self.counter.to_bytes(4, "big")
        aad = self.header + self.counter.to_bytes(8, "big") + bytes([last])
        try:
            data = filestore.aead_decrypt(self.cipher, self.key, nonce, sealed, aad)
        except (InvalidTag, filestore.FileStoreError) as error:
            raise BackupError("备份文件无法解密：已被篡改，或密钥不符。") from error
        self.counter += 1
        if last:
            self.ended = True
            if self.source.read(1):
                raise BackupError("备份文件结尾之后还有数据：已被篡改。")
        return data


# --- backup -----------------------------------------------------------------------------------


def latest_checkpoint() -> str | None:
    """The newest signed checkpoint, from the audit log's module when it is installed."""
    try:
        from baomi.audit.checkpoints import latest_checkpoint as latest
    except ImportError:
        return None
    return latest()


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    checkpoint: bool


def write_backup(target: Path) -> BackupResult:
    """Write the archive to `target` (atomically: a crash leaves no half archive there)."""
    if connection.in_atomic_block:
        raise BackupError("备份须在事务之外进行（数据库快照要自己的事务）。")
    checkpoint = latest_checkpoint()  # first: the snapshot below always extends it
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baomi-backup-", dir=target.parent) as work:
        work = Path(work)
        engine = connection.vendor
        if engine == "sqlite":
            db_name, counts = "database.sqlite3", _dump_sqlite(work / "database.sqlite3")
        elif engine == "postgresql":
            db_name, counts = "database.pgdump", _dump_postgresql(work / "database.pgdump")
        else:
            raise BackupError(f"不支持备份此数据库：{engine}")
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "database": db_name,
            "tables": counts,
            "files": [],
            "checkpoint": checkpoint is not None,
        }
        partial = target.with_name(f".{target.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            writer = EncryptingWriter(out, filestore.current_key(), filestore.configured_cipher())
            with tarfile.open(fileobj=writer, mode="w|") as tar:
                tar.add(work / db_name, arcname=db_name)
                for blob in filestore.blobs():
                    tar.add(filestore.raw_path(blob), arcname=f"files/{blob[:2]}/{blob}")
                    manifest["files"].append(blob)
                if checkpoint is not None:
                    _add_bytes(tar, "checkpoint.txt", checkpoint.encode())
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
            writer.close()
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    return BackupResult(
        target, len(counts), sum(counts.values()), len(manifest["files"]), checkpoint is not None
    )


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _dump_sqlite(dest: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        connection.connection.backup(copy)  # one step: a consistent copy under one read lock
        return _sqlite_counts(copy)
    finally:
        copy.close()


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore/psql, from the Django connection settings."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGCONNECT_TIMEOUT": "10"}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}：请安装 postgresql-client（make system-deps）。")
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=pg_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败：{done.stderr.strip()[-2000:]}")


def _dump_postgresql(dest: Path) -> dict[str, int]:
    """pg_dump in the very snapshot the manifest's row counts are taken in."""
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    raw = connection.connection
    was_autocommit = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}"])
        raw.rollback()
    finally:
        raw.autocommit = was_autocommit
    return counts


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT count(*) FROM public."{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts
