"""Backups that come back (issue 10, item 6): `baomi backup` / `baomi restore` round trips on
SQLite and PostgreSQL, compared table by table and row by row."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

from baomi.lib import backup as backup_module
from tests.ops.instances import Instance, postgres_rows, postgres_triggers, sqlite_rows

ATTACHMENT = "print(__import__('baomi.lib.filestore', fromlist=['x']).save(b'attached text'))"
READ = "from baomi.lib import filestore; print(filestore.read({blob!r}).decode())"


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Instance:
    """A demo office with an attachment, migrated and backed up."""
    root = tmp_path_factory.mktemp("source")
    instance = Instance(root / "var")
    instance.baomi("migrate", "--noinput", "-v0")
    instance.baomi("demo")
    instance.blob = instance.python(ATTACHMENT).strip()
    instance.archive = root / "baomi.bmbk"
    done = instance.baomi("backup", str(instance.archive))
    assert "已备份" in done.stdout
    return instance


def _target(tmp_path, source: Instance, database_url: str = "") -> Instance:
    target = Instance(tmp_path / "var", database_url)
    (tmp_path / "var").mkdir()
    shutil.copytree(source.var_dir / "keys", target.var_dir / "keys")  # the same keys folder
    return target


def test_backup_is_encrypted_and_holds_no_key(source):
    raw = source.archive.read_bytes()
    assert raw.startswith(backup_module.MAGIC)
    for needle in (b"SQLite format", b"attached text", b"manifest", b"PRIVATE KEY"):
        assert needle not in raw
    for key_file in (source.var_dir / "keys").iterdir():
        assert key_file.read_bytes().strip() not in raw
    assert oct(source.archive.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("migrated", [False, True], ids=["empty", "migrated"])
def test_backup_round_trip_sqlite_gives_identical_tables(source, tmp_path, migrated):
    target = _target(tmp_path, source)
    if migrated:
        target.baomi("migrate", "--noinput", "-v0")
    done = target.baomi("restore", str(source.archive))
    assert "已恢复" in done.stdout
    before, after = sqlite_rows(source.sqlite_path), sqlite_rows(target.sqlite_path)
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table
    assert sum(map(len, before.values())) > 1000  # the demo office, not an empty shell
    assert target.baomi("audit", "verify").returncode == 0
    assert target.python(READ.format(blob=source.blob)).strip() == "attached text"


def test_restore_refuses_a_non_empty_instance_without_force(source, tmp_path):
    target = _target(tmp_path, source)
    target.baomi("restore", str(source.archive))
    again = target.baomi("restore", str(source.archive), check=False)
    assert again.returncode == 1 and "--force" in again.stderr and "不为空" in again.stderr
    forced = target.baomi("restore", "--force", str(source.archive))
    assert "已恢复" in forced.stdout and "原有附件已移到" in forced.stdout
    assert sqlite_rows(target.sqlite_path) == sqlite_rows(source.sqlite_path)


def test_restore_without_the_keys_folder_fails_and_says_why(source, tmp_path):
    stranger = Instance(tmp_path / "var")  # generates keys of its own
    done = stranger.baomi("restore", str(source.archive), check=False)
    assert done.returncode == 1 and "keys/" in done.stderr


def test_a_tampered_or_cut_backup_is_refused(source, tmp_path):
    target = _target(tmp_path, source)
    raw = bytearray(source.archive.read_bytes())
    raw[len(raw) // 2] ^= 1
    (tmp_path / "flipped.bmbk").write_bytes(bytes(raw))
    done = target.baomi("restore", str(tmp_path / "flipped.bmbk"), check=False)
    assert done.returncode == 1 and "篡改" in done.stderr
    (tmp_path / "cut.bmbk").write_bytes(source.archive.read_bytes()[: len(raw) - 200])
    done = target.baomi("restore", str(tmp_path / "cut.bmbk"), check=False)
    assert done.returncode == 1 and "不完整" in done.stderr
    assert (
        not target.sqlite_path.exists()
        or sqlite_rows(target.sqlite_path).get("org_person", []) == []
    )


def test_backup_carries_the_latest_checkpoint(committed_db, tmp_path, monkeypatch, settings):
    """In-process: the checkpoint comes from the audit log's module and is read first."""
    calls = []
    monkeypatch.setattr(
        backup_module, "latest_checkpoint", lambda: calls.append(1) or "origin\n7\nroot=\n"
    )
    result = backup_module.write_backup(tmp_path / "b.bmbk")
    assert result.checkpoint and calls == [1]
    from baomi.lib import filestore

    with open(tmp_path / "b.bmbk", "rb") as handle:
        import tarfile

        reader = backup_module.DecryptingReader(handle, filestore.known_keys())
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            found = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    assert found["checkpoint.txt"] == b"origin\n7\nroot=\n"
    assert b'"checkpoint": true' in found["manifest.json"]


CHECKPOINTS = importlib.util.find_spec("baomi.audit.checkpoints") is not None


@pytest.mark.skipif(not CHECKPOINTS, reason="审计检查点模块（baomi.audit.checkpoints）尚未合入")
def test_restoring_an_older_backup_is_reported_by_verify_against_a_newer_checkpoint(
    source, tmp_path
):
    instance = _target(tmp_path, source)
    instance.baomi("restore", str(source.archive))
    instance.baomi("audit", "checkpoint", "--out", str(tmp_path / "old.txt"))
    instance.baomi("backup", str(tmp_path / "old.bmbk"))
    instance.baomi("token", "create", "auditor")  # new audit rows after the backup
    instance.baomi("token", "create", "baomiyuan")
    instance.baomi("audit", "checkpoint", "--out", str(tmp_path / "new.txt"))
    assert (
        instance.baomi("audit", "verify", "--checkpoint", str(tmp_path / "new.txt")).returncode == 0
    )
    instance.baomi("restore", "--force", str(tmp_path / "old.bmbk"))
    # The restored log still extends the checkpoint taken before the backup …
    assert (
        instance.baomi("audit", "verify", "--checkpoint", str(tmp_path / "old.txt")).returncode == 0
    )
    # … but not the newer one: the rollback is reported.
    rolled = instance.baomi(
        "audit", "verify", "--checkpoint", str(tmp_path / "new.txt"), check=False
    )
    assert rolled.returncode == 1, rolled.stdout + rolled.stderr


# --- PostgreSQL ---------------------------------------------------------------------------------

PG_URL = os.environ.get("DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not PG_URL.startswith("postgres"),
    reason="需要 PostgreSQL：DATABASE_URL=postgres://postgres@127.0.0.1:5432/<库名> pytest tests/ops",
)


def _fresh_database(name: str) -> str:
    import psycopg

    base = PG_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


@pytest.mark.postgres
@needs_postgres
@pytest.mark.parametrize("migrated", [False, True], ids=["empty", "migrated"])
def test_backup_round_trip_postgresql_gives_identical_tables_and_triggers(tmp_path, migrated):
    own = PG_URL.rsplit("/", 1)[1].split("?")[0]
    source = Instance(tmp_path / "a" / "var", _fresh_database(f"{own}_backup_a"))
    source.baomi("migrate", "--noinput", "-v0")
    source.baomi("demo")
    blob = source.python(ATTACHMENT).strip()
    source.baomi("backup", str(tmp_path / "pg.bmbk"))
    (tmp_path / "b").mkdir()
    target = _target(tmp_path / "b", source, _fresh_database(f"{own}_backup_b"))
    if migrated:
        target.baomi("migrate", "--noinput", "-v0")
    done = target.baomi("restore", str(tmp_path / "pg.bmbk"))
    assert "已恢复" in done.stdout
    before, after = postgres_rows(source.database_url), postgres_rows(target.database_url)
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table
    # The append-only audit triggers came back with the data, and still refuse.
    triggers = postgres_triggers(target.database_url)
    assert triggers == postgres_triggers(source.database_url)
    assert any("audit" in name for _, name, _ in triggers)
    import psycopg

    with (
        psycopg.connect(target.database_url.replace("postgres://", "postgresql://", 1)) as db,
        pytest.raises(psycopg.Error, match="append-only"),
    ):
        db.execute("DELETE FROM audit_auditevent")
    assert target.baomi("audit", "verify").returncode == 0
    assert target.python(READ.format(blob=blob)).strip() == "attached text"
