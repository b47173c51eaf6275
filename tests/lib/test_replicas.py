"""The replica router: only marked reads, never inside a transaction, never writes."""

from __future__ import annotations

import pytest
from django.db import transaction

from baomi.carriers.models import Carrier
from baomi.lib.replicas import ReplicaRouter, replica_reads


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}


def test_reads_go_to_the_replica_only_when_asked(committed_db, with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Carrier) is None
    with replica_reads():
        assert router.db_for_read(Carrier) == "replica"
        assert router.db_for_write(Carrier) == "default"
    assert router.db_for_read(Carrier) is None


def test_inside_an_action_reads_stay_on_the_primary(committed_db, with_replica):
    router = ReplicaRouter()
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Carrier) is None


def test_without_a_replica_nothing_changes(db):
    with replica_reads():
        assert ReplicaRouter().db_for_read(Carrier) is None
