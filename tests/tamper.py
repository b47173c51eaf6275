"""Getting past the audit table's append-only trigger, for tamper tests only (SEC-4).

On PostgreSQL the trigger refuses UPDATE/DELETE; a superuser can still switch triggers off, which
is exactly the attacker `baomi audit verify` exists for. SQLite has no trigger to get past.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


@contextmanager
def past_the_trigger():
    """Run raw SQL on the audit tables as a superuser would, then restore the setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def tamper(sql: str, params=()) -> None:
    """One raw statement against the audit tables, past the trigger, once every row is sealed
    (in production the sequencer seals within a second; an unsealed row is only hash-protected)."""
    from baomi.audit.sequencer import seal

    seal()
    with past_the_trigger(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def json_param() -> str:
    """The placeholder for a JSON value in raw SQL on this database."""
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"
