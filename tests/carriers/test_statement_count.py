"""Query-count guard for the custody actions (issue 13: an action saves only the columns it
changed, locks the carrier with its place and holder in one statement and checks the scope once;
issue 10: the actions run at a fair share of the same statements' raw speed).

A circulate or a return issues its floor: the locking SELECT (which also answers the scope and
the pending-claim questions and, on PostgreSQL, draws the audit row's number), the UPDATE of the
carrier, the custody event INSERT and the audit row INSERT. SQLite draws the audit number in a
statement of its own (MAX + 1 under its write lock)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from baomi.carriers.choices import Status
from baomi.classification.choices import Level
from baomi.lib.errors import RuleViolation
from baomi.reclassification.models import UnclearItem
from tests.factories import approved, receive

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(run) -> list[str]:
    """The SQL `run` issues, without the transaction control around it."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]


def expected_shape() -> list[str]:
    shape = ["SELECT", "UPDATE", "INSERT", "INSERT"]
    if connection.vendor != "postgresql":
        shape.insert(3, "SELECT")  # the audit number: MAX(seq) + 1
    return shape


def shape(sqls: list[str]) -> list[str]:
    return [sql.split(None, 1)[0] for sql in sqls]


def test_circulate_and_return_issue_their_floor_of_statements(world):
    carrier = receive(world, level=Level.CONFIDENTIAL)
    circulate = statements(lambda: actions.circulate(world.clerk, carrier, world.zhang))
    assert shape(circulate) == expected_shape(), "\n".join(circulate)
    back = statements(lambda: actions.return_to_registry(world.clerk, carrier))
    assert shape(back) == expected_shape(), "\n".join(back)
    # The lock brings the unit, the holder and the home place with the row, and locks only
    # the carrier.
    lock = back[0]
    assert lock.count("JOIN") >= 3, lock
    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "carriers_carrier"' in lock and "nextval(" in lock, lock
    events = AuditEvent.objects.filter(event_type__in=["carrier.circulate", "carrier.return"])
    assert events.count() == 2
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY and carrier.place_id == carrier.home_place_id


def test_a_custody_update_names_only_the_columns_it_changed(world):
    carrier = receive(world, level=Level.CONFIDENTIAL)
    update = next(
        s
        for s in statements(lambda: actions.circulate(world.clerk, carrier, world.zhang))
        if s.startswith("UPDATE")
    )
    assert '"status"' in update and '"holder_id"' in update and '"place_id"' in update
    for untouched in ('"title"', '"level"', '"number"', '"registered_at"', '"home_place_id"'):
        assert untouched not in update, update


def test_relocate_saves_the_new_home_place_with_the_move(world):
    from baomi.carriers.models import Place

    carrier = receive(world, level=Level.CONFIDENTIAL)
    cabinet = Place.objects.create(unit=world.unit, name="第二保密柜", kind="safe")
    actions.relocate(world.clerk, carrier, cabinet)
    carrier.refresh_from_db()
    assert carrier.place_id == carrier.home_place_id == cabinet.pk


def test_lend_and_return_stay_within_their_statements(world):
    carrier = receive(world, level=Level.CONFIDENTIAL)
    loan = approved(world, RequestKind.LOAN, [carrier])
    lend = statements(lambda: actions.lend(world.clerk, carrier, loan))
    # The floor above plus the beneficiary (scope asked with the lock) and what consuming the
    # approved request reads and writes: its row with the beneficiary, its items, their UPDATEs.
    assert len(lend) <= len(expected_shape()) + 5, "\n".join(lend)
    assert sum("scope_" in sql for sql in lend) == 1, "\n".join(lend)  # CR-4 asked once
    back = statements(lambda: actions.return_to_registry(world.clerk, carrier))
    assert shape(back) == expected_shape(), "\n".join(back)


def test_r_cr_4_scope_answered_by_the_lock_still_refuses_an_outsider(world):
    """CR-4 through the lock's scope answer: a reader outside the 知悉范围 is refused."""
    from tests.carriers.test_r_custody import outsider

    carrier = receive(world, level=Level.CONFIDENTIAL)
    with pytest.raises(RuleViolation) as refused:
        actions.circulate(world.clerk, carrier, outsider(world))
    assert refused.value.rule_id == "CR-4"
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY


def test_r_cl_12_a_pending_claim_seen_by_the_lock_protects_at_the_claimed_level(world):
    """CL-12 through the lock's pending-claim answer: 张三 (重要) may not read a 秘密 paper
    while a claim that it is 绝密 is pending."""
    from baomi.lib import clock

    carrier = receive(world, level=Level.SECRET)
    UnclearItem.objects.create(
        carrier=carrier,
        unit=world.unit,
        proposed_level=Level.TOP_SECRET,
        state="pending",
        question="密级有争议",
        reported_by=world.clerk,
        reported_on=clock.today(),
        deadline=clock.today(),
    )
    with pytest.raises(RuleViolation) as refused:
        actions.circulate(world.clerk, carrier, world.zhang)
    assert refused.value.rule_id == "CL-12"
