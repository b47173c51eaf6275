"""Shared fixtures: one unit with named people per clearance, built through the actions."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.factories import World, build_world


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


@pytest.fixture
def world(db) -> World:
    """XX市人民政府办公室 (定密权限 机密) under XX省保密局, with a 核心 clerk, a leader who may
    approve everything, 重要/一般/非涉密 staff and the three system roles."""
    return build_world()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness buys nothing in tests and costs seconds per world.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _otp_off_unless_tested(request, settings):
    """The world's system accounts have no token bound; a test about the second factor asks
    for it with `@pytest.mark.otp` (SEC-2: required for the three system roles by default)."""
    if request.node.get_closest_marker("otp") is None:
        settings.BAOMI_OTP_REQUIRED_FOR_SYSTEM_ROLES = False


@pytest.fixture(autouse=True)
def _audit_trigger_on(request, django_db_blocker):
    """Every database test starts with the audit trigger on (`committed_db` left it off for the
    previous test's flush)."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if uses_db and connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def committed_db(transactional_db):
    """`transactional_db` that can clean up on PostgreSQL.

    A transactional test ends with a flush, which TRUNCATEs every table — and the audit table's
    append-only trigger refuses that (SEC-4). Only for that cleanup, and only on this connection,
    triggers are switched off; `_audit_trigger_on` switches them on again for the next test.
    """
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


@pytest.fixture
def passwords_without_expiry(db):
    """For a test that travels weeks ahead for another reason: the world's passwords would have
    expired (SEC-2: 机密 weekly) and every page would ask for a new one first."""
    from baomi.accounts.models import Account

    Account.objects.update(password_expires_at=None)
