"""`baomi restore FILE`: put a backup (baomi.lib.backup) back into an instance of the same engine.

The target may be empty, migrated or not; a target with business rows or attachments is only
overwritten with `force=True` (its attachments are moved aside, never deleted). The database is
replaced whole — SQLite page by page through the backup API, PostgreSQL by dropping what is in
the `public` schema and replaying pg_dump's script in one transaction (tables, data, and the
audit triggers and functions with them) — and then every table's row count is compared with
the manifest.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from baomi.lib import filestore
from baomi.lib.backup import (
    SCAFFOLD_TABLES,
    BackupError,
    DecryptingReader,
    _pg_counts,
    _pg_tool,
    _sqlite_counts,
    pg_environment,
)

# Drops everything a migrated Baomi database has in `public`, triggers and functions included,
# so that the dump's script recreates it exactly.
PG_CLEAR = """
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm') LOOP
    EXECUTE 'DROP VIEW IF EXISTS ' || r.name || ' CASCADE';
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') LOOP
    EXECUTE 'DROP TABLE IF EXISTS ' || r.name || ' CASCADE';
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = 'S' LOOP
    EXECUTE 'DROP SEQUENCE IF EXISTS ' || r.name || ' CASCADE';
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p') LOOP
    EXECUTE 'DROP ROUTINE IF EXISTS ' || r.name || ' CASCADE';
  END LOOP;
END $$;
"""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    checkpoint: Path | None
    moved_aside: Path | None


def restore_backup(source: Path, *, force: bool = False, no_owner: bool = False) -> RestoreResult:
    work_root = Path(settings.VAR_DIR)
    work_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baomi-restore-", dir=work_root) as work:
        work = Path(work)
        manifest = _unpack(source, work)
        engine = connection.vendor
        if manifest["engine"] != engine:
            raise BackupError(
                f"备份来自 {manifest['engine']} 数据库，当前为 {engine}：只能恢复到同一种数据库。"
            )
        occupied = _occupied()
        if occupied and not force:
            raise BackupError(
                f"目标实例不为空（{occupied}）。恢复会覆盖它：确认无误后加 --force 重新执行。"
            )
        db_file = work / manifest["database"]
        if engine == "sqlite":
            counts = _restore_sqlite(db_file)
        else:
            counts = _restore_postgresql(db_file, work, no_owner=no_owner)
        if counts != manifest["tables"]:
            differ = sorted(
                name
                for name in set(counts) | set(manifest["tables"])
                if counts.get(name) != manifest["tables"].get(name)
            )
            raise BackupError(f"恢复后的行数与备份清单不符：{'、'.join(differ)}")
        moved = _restore_files(work / "files", manifest["files"])
        checkpoint = None
        if (work / "checkpoint.txt").exists():
            folder = work_root / "restored"
            folder.mkdir(parents=True, exist_ok=True)
            checkpoint = folder / f"checkpoint-{timezone.now():%Y%m%d-%H%M%S}.txt"
            shutil.copyfile(work / "checkpoint.txt", checkpoint)
    return RestoreResult(
        len(counts), sum(counts.values()), len(manifest["files"]), checkpoint, moved
    )


def _unpack(source: Path, work: Path) -> dict:
    try:
        handle = open(source, "rb")  # noqa: SIM115 — closed below, after the tar stream
    except OSError as error:
        raise BackupError(f"无法读取备份文件 {source}：{error.strerror}") from error
    with handle:
        reader = DecryptingReader(handle, filestore.known_keys())
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    # The archive was authenticated chunk by chunk; the data filter still refuses
                    # links and paths outside the folder.
                    tar.extract(member, work, filter="data")
            # tar stops at its end-of-archive marker, which may lie before the last chunk: read
            # on to the sealed end, so that an archive cut short is refused, not half trusted.
            while reader.read(1 << 16):
                pass
        except tarfile.TarError as error:
            raise BackupError(f"备份文件内容损坏：{error}") from error
    try:
        manifest = json.loads((work / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError("备份文件缺少清单（manifest.json）。") from error
    if manifest.get("format") != 1:
        raise BackupError(f"不支持的备份格式版本：{manifest.get('format')}")
    return manifest


def _occupied() -> str:
    """What makes the target not empty ('' when it is empty)."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        tables = [
            t for t in connection.introspection.table_names(cursor) if t not in SCAFFOLD_TABLES
        ]
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return f"数据表 {table} 有数据"
    if any(True for _ in filestore.blobs()):
        return f"文件库 {filestore.root()} 有文件"
    return ""


def _restore_sqlite(db_file: Path) -> dict[str, int]:
    target = Path(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    source = sqlite3.connect(db_file)
    dest = sqlite3.connect(target, timeout=20)
    try:
        source.backup(dest)  # replaces every page of the target, schema included
        return _sqlite_counts(dest)
    finally:
        dest.close()
        source.close()


def _restore_postgresql(dump: Path, work: Path, *, no_owner: bool) -> dict[str, int]:
    script = work / "restore.sql"
    options = ["--no-owner", "--no-acl"] if no_owner else []
    done = subprocess.run(
        [_pg_tool("pg_restore"), *options, f"--file={script}", str(dump)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败：{done.stderr.strip()[-2000:]}")
    connections.close_all()
    # One transaction: the old contents go only if the backup's come in whole.
    done = subprocess.run(
        [
            _pg_tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--command={PG_CLEAR}",
            f"--file={script}",
        ],
        env=pg_environment(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"psql 恢复失败，目标数据库未改动：{done.stderr.strip()[-2000:]}")
    with connection.cursor() as cursor:
        return _pg_counts(cursor)


def _restore_files(extracted: Path, blobs: list[str]) -> Path | None:
    """Put the archive's blobs in the file store; what was there before is moved aside."""
    store = filestore.root()
    moved = None
    if store.exists() and any(True for _ in filestore.blobs()):
        moved = store.with_name(f"{store.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}")
        store.rename(moved)
    for blob in blobs:
        filestore.write_raw(blob, (extracted / blob[:2] / blob).read_bytes())
    return moved
