"""Separate Baomi instances driven through the `baomi` command, as an operator would."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class Instance:
    var_dir: Path
    database_url: str = ""

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BAOMI_", "PYTEST")) and k != "DATABASE_URL"
        }
        env.update(PYTHONPATH=str(SRC), BAOMI_VAR_DIR=str(self.var_dir))
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def baomi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "baomi.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"baomi {' '.join(args)} → {done.returncode}\n{done.stderr}")
        return done

    def python(self, code: str) -> str:
        """Run `code` with Django set up in this instance; returns its stdout."""
        setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'baomi.settings'; django.setup()\n"
        done = subprocess.run(
            [sys.executable, "-c", setup + code],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    @property
    def sqlite_path(self) -> Path:
        return self.var_dir / "baomi.sqlite3"


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order."""
    db = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        db.close()


def postgres_rows(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        names = [
            r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {
            n: sorted(db.execute(f'SELECT * FROM public."{n}"').fetchall(), key=repr) for n in names
        }


def postgres_triggers(url: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        return sorted(
            db.execute(
                "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE NOT tgisinternal"
            ).fetchall()
        )
