"""Tests that need a real PostgreSQL: row locks across connections, the audit trigger.

They skip, with the reason shown, on any other database. .ci/run checks that the server is
reachable first and fails under CI=true when it is not, so a skip here never hides a broken CI.
"""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"需要 PostgreSQL（当前数据库为 {connection.vendor}）："
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest tests/postgres"
        )
