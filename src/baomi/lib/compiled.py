"""A hot queryset compiled once per connection and replayed with new parameter values.

Compiling the custody lock (the carrier with its unit, holder and home place, two EXISTS
subqueries and the audit number) cost more CPU than the database spent answering it: on a busy
machine it was the larger part of a custody action's own time. The SQL text depends only on the
query's shape, never on the values compared, so it is built once with stand-in values that can
never be real ids, and each call swaps the real values in and turns the row into model objects
exactly as Django's ModelIterable does (same converters, same related populators).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

# Stand-ins for the values of a compiled query: negative and far from any id a sequence hands out.
STAND_INS = (-7_310_000_001, -7_310_000_002, -7_310_000_003, -7_310_000_004)


@dataclass
class _Plan:
    db: str
    sql: str
    params: list
    positions: list[tuple[int, int]]  # (index in params, index of the caller's value)
    compiler: Any
    converters: dict
    model: type[Model]
    fields_start: int
    fields_end: int
    init_list: list[str]
    populators: list
    annotations: dict[str, int]
    locks: bool


def _plan(queryset: QuerySet, db: str, count: int) -> _Plan:
    query = queryset.using(db).query.chain()
    query.clear_ordering(force=True)
    compiler = query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    wanted = {value: at for at, value in enumerate(STAND_INS[:count])}
    positions = [(i, wanted[p]) for i, p in enumerate(params) if type(p) is int and p in wanted]
    if sorted(at for _, at in positions) != list(range(count)):
        raise ValueError("compiled query: every stand-in must appear exactly once in the SQL")
    klass_info, select = compiler.klass_info, compiler.select
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    fields = [s[0] for s in select[0 : compiler.col_count]]
    return _Plan(
        db=db,
        sql=sql,
        params=list(params),
        positions=positions,
        compiler=compiler,
        converters=compiler.get_converters(fields),
        model=klass_info["model"],
        fields_start=start,
        fields_end=end,
        init_list=[f[0].target.attname for f in select[start:end]],
        populators=get_related_populators(klass_info, select, db),
        annotations=dict(compiler.annotation_col_map or {}),
        locks=bool(query.select_for_update),
    )


def get(key: Any, build: Callable[..., QuerySet], values: Sequence[Any], *, using: str) -> Model:
    """The one object `build(*STAND_INS[:len(values)])` would return on database `using` with
    `values` in place of the stand-ins, as `.get()` would (DoesNotExist when there is none).
    `key` names the query's shape: one compiled plan per key and per connection (a plan keeps
    the connection it was compiled for)."""
    connection = connections[using]
    plans = connection.__dict__.setdefault("_baomi_compiled", {})
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _plan(build(*STAND_INS[: len(values)]), using, len(values))
    if plan.locks and connection.get_autocommit():
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
    params = list(plan.params)
    for at, which in plan.positions:
        params[at] = values[which]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        row = cursor.fetchone()
    if row is None:
        raise plan.model.DoesNotExist(
            f"{plan.model._meta.object_name} matching query does not exist."
        )
    if plan.converters:
        row = next(iter(plan.compiler.apply_converters([row], plan.converters)))
    obj = plan.model.from_db(plan.db, plan.init_list, row[plan.fields_start : plan.fields_end])
    for populator in plan.populators:
        populator.populate(row, obj)
    for name, at in plan.annotations.items():
        setattr(obj, name, row[at])
    return obj
