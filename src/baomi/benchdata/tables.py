"""Bulk writers for the generator: PostgreSQL COPY through psycopg, executemany on SQLite.

Rows are dicts keyed by the model's attribute names (`unit_id`, `title`); a column a row leaves
out takes the field's default, so a column another app adds with a default keeps working.
Ids are given by the writer (the next free one), and the sequences are moved past them at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models

_REQUIRED = object()


class Table:
    """One table written in bulk. `new_id()` hands out ids past every existing row."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        meta = model._meta
        self.fields = list(meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.pk_name = meta.pk.attname
        self.defaults = [self._default(f) for f in self.fields]
        self.json = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        self.kinds = [f.get_internal_type() for f in self.fields]
        quote = connection.ops.quote_name
        self.sql_table = quote(meta.db_table)
        self.sql_columns = ", ".join(quote(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {self.sql_table}")
            self._next = (cursor.fetchone()[0] or 0) + 1

    @staticmethod
    def _default(field: models.Field):
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField):
            return ""
        return _REQUIRED

    def new_id(self) -> int:
        value = self._next
        self._next += 1
        return value

    def _tuple(self, row: dict) -> tuple:
        if self.pk_name not in row:
            row[self.pk_name] = self.new_id()
        values = []
        for i, (name, default) in enumerate(zip(self.names, self.defaults, strict=True)):
            value = row.get(name, default)
            if value is _REQUIRED:
                raise KeyError(f"{self.model.__name__}.{name} has no value")
            if i in self.json and value is not None:
                value = json.dumps(value, ensure_ascii=False)
            values.append(value)
        return tuple(values)

    def write(self, rows: Iterable[dict]) -> int:
        count = 0
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(
                    f"COPY {self.sql_table} ({self.sql_columns}) FROM STDIN"
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(self._tuple(row))
                    count += 1
            return count
        ops = connection.ops
        adapt = {
            "DateTimeField": ops.adapt_datetimefield_value,
            "DateField": ops.adapt_datefield_value,
        }
        adapters = [adapt.get(kind) for kind in self.kinds]
        batch = []
        for row in rows:
            batch.append(
                tuple(
                    a(v) if a is not None and v is not None else v
                    for a, v in zip(adapters, self._tuple(row), strict=True)
                )
            )
        if batch:
            marks = ", ".join(["%s"] * len(self.fields))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.sql_table} ({self.sql_columns}) VALUES ({marks})", batch
                )
        return len(batch)


def reset_sequences(tables: Iterable[Table]) -> None:
    """Move the id sequences past the ids the writers handed out (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
