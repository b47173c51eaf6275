"""Reads of long lists, reports and the dashboard from a PostgreSQL streaming replica.

Optional: with `BAOMI_REPLICA_URL` set, settings add a `replica` database and this router.
Only code that says so reads from it — `with replica_reads():` around a list or a report — and
never inside a transaction, so an action, its locks and everything a user reads right after
their own change still go to the primary (a replica lags by a fraction of a second). Writes
always go to the primary.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_wanted: ContextVar[bool] = ContextVar("baomi_replica_reads", default=False)


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica, when one is configured."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not (_wanted.get() and replica_configured()):
            return None
        if connections["default"].in_atomic_block:
            return None  # inside an action: read what the transaction sees
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same database, one copy behind

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
