"""A queryset compiled once and replayed (lib/compiled.py): the custody lock reads through it, so
what it returns must be what `.get()` returns for every shape and every value."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from baomi.carriers import custody
from baomi.carriers.models import Carrier
from baomi.lib import compiled
from tests.factories import build_world, receive

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_replayed_lock_reads_what_get_reads_for_each_carrier_and_person():
    w = build_world()
    first, second = receive(w, copies=2)
    second.scope_people.add(w.zhang)
    with transaction.atomic():
        for carrier in (first, second, first):  # the second call of a shape replays the plan
            for person in (None, w.zhang, w.li):
                values = [carrier.pk] if person is None else [carrier.pk, person.pk]
                shape = "p" if person else "-"
                if person is not None and person.department_id:
                    values.append(person.department_id)
                    shape = "pd"
                got = compiled.get(("t", shape), custody._lock_query, values, using="default")
                want = custody._lock_query(*values).get()
                assert _fields(got) == _fields(want)
                assert _fields(got.unit) == _fields(want.unit)
                assert (got.holder_id, got.home_place_id) == (want.holder_id, want.home_place_id)
                assert got._pending_claim == want._pending_claim == False  # noqa: E712
                if person is not None:
                    assert got._scope_answer == want._scope_answer
    # Only the carrier whose 知悉范围 names 张三 answers yes for him: the values really change.
    with transaction.atomic():
        answers = {
            c.pk: compiled.get(
                ("t", "pd"),
                custody._lock_query,
                [c.pk, w.zhang.pk, w.zhang.department_id],
                using="default",
            )._scope_answer
            for c in (first, second)
        }
    assert answers[second.pk] is True


def test_a_missing_row_raises_does_not_exist_like_get():
    build_world()
    with transaction.atomic(), pytest.raises(Carrier.DoesNotExist):
        compiled.get(("t", "-"), custody._lock_query, [10**12], using="default")


def test_a_locking_plan_refuses_to_run_outside_a_transaction(committed_db):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite takes no row locks")
    w = build_world()
    carrier = receive(w)
    with transaction.atomic():
        compiled.get(("t", "-"), custody._lock_query, [carrier.pk], using="default")
    with pytest.raises(TransactionManagementError):
        compiled.get(("t", "-"), custody._lock_query, [carrier.pk], using="default")


def test_a_stand_in_missing_from_the_sql_is_refused():
    with pytest.raises(ValueError):
        compiled.get(("t", "bad"), lambda _pk: Carrier.objects.filter(pk=1), [5], using="default")
