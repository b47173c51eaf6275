"""Inserting many rows of one model at once, at the database's floor.

On PostgreSQL the rows go in by COPY: no INSERT text is built, quoted and parsed per row (a
100,000-row ledger import spent most of its writing time there with `bulk_create`). Their ids
are drawn from the table's own sequence first, in one statement, so the objects come back
saved with their pk set, as `bulk_create` leaves them. Elsewhere (SQLite) it is `bulk_create`.
"""

from __future__ import annotations

from django.db import connection, models

BATCH = 500


def insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert `objects` (unsaved instances of `model`); each gets its pk. Inside the caller's
    transaction; the rows' defaults are the ones their instances were built with."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    meta = model._meta
    pk = meta.pk
    with connection.cursor() as cursor:
        wanted = [obj for obj in objects if obj.pk is None]
        if wanted:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(wanted)],
            )
            for obj, (value,) in zip(wanted, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, value)
        plain = [f for f in meta.concrete_fields if not _needs_preparing(f)]
        prepared = [f for f in meta.concrete_fields if _needs_preparing(f)]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in [*plain, *prepared])
        names = [f.attname for f in plain]
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for obj in objects:
                row = [getattr(obj, name) for name in names]
                row += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in prepared]
                copy.write_row(row)
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def _needs_preparing(field: models.Field) -> bool:
    """Fields whose Python value is not what the column takes as is: JSON (adapted by Django)
    and times stamped on save (auto_now)."""
    return isinstance(field, models.JSONField) or bool(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    )


def insert_values(model: type[models.Model], rows: list[dict]) -> None:
    """Insert rows given as `{attname: value}` (the same names in every row), without building
    a model instance per row — the cost that remains in `insert` for a log of 100,000 rows. A
    column a row leaves out takes its field's default; the ids are the table's own."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return
    meta = model._meta
    names = list(rows[0])
    given = [meta.get_field(_name_of(meta, name)) for name in names]
    left = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in set(names)]
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in left]
    json_at = [i for i, f in enumerate(given) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *left])
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            values = [row[name] for name in names]
            for i in json_at:
                values[i] = given[i].get_db_prep_save(values[i], connection)
            copy.write_row(values + defaults)


def _name_of(meta, attname: str) -> str:
    return next(f.name for f in meta.concrete_fields if f.attname == attname)
