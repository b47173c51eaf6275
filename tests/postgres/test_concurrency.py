"""Two clerks moving the same copy at the same moment, each on their own connection
(design.md "Concurrency"): one wins, the other gets a clear refusal, the audit log stays whole."""

from __future__ import annotations

import threading
from functools import partial

import pytest
from django.db import connection

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.audit.models import AuditEvent, AuditLeaf, Outcome
from baomi.audit.trail import verify
from baomi.carriers import actions
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.classification.choices import Level
from baomi.lib.errors import InvalidState, RuleViolation
from tests.factories import approved, build_world, receive

pytestmark = pytest.mark.postgres

ROUNDS = 3


def race(*calls):
    """Run each call in its own thread and connection, released together by a barrier.
    Returns one result or exception per call."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the race's loser is the point
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racer hung (deadlock?)"
    return results


def one_winner(results) -> BaseException:
    winners = [r for r in results if isinstance(r, Carrier)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], InvalidState | RuleViolation), repr(losers[0])
    return losers[0]


def assert_chain_whole():
    result = verify()
    assert result.ok, result
    assert result.size == AuditEvent.objects.count() == result.checked == AuditLeaf.objects.count()


@pytest.fixture
def world_committed(committed_db):
    return build_world()


def test_concurrent_loans_of_one_copy_end_with_one_loan(world_committed):
    w = world_committed
    for _ in range(ROUNDS):
        carrier = receive(w, level=Level.CONFIDENTIAL)
        for_zhang = approved(w, RequestKind.LOAN, [carrier])
        for_li = approved(w, RequestKind.LOAN, [carrier], requester=w.li)

        loser = one_winner(
            race(
                partial(actions.lend, w.clerk, carrier, for_zhang),
                partial(actions.lend, w.clerk, carrier, for_li),
            )
        )

        carrier.refresh_from_db()
        assert carrier.status == Status.ON_LOAN and carrier.holder in (w.zhang, w.li)
        assert CustodyEvent.objects.filter(carrier=carrier, kind=EventKind.LEND).count() == 1
        # The loser's approval was not used up: it stays approved for another day.
        statuses = sorted(type(r).objects.get(pk=r.pk).status for r in (for_zhang, for_li))
        assert statuses == sorted([RequestStatus.APPROVED, RequestStatus.CONSUMED])
        # The refusal is audited (SEC-4), against this carrier.
        refused = AuditEvent.objects.filter(
            event_type="carrier.lend", outcome=Outcome.REFUSED, object_id=carrier.pk
        ).get()
        assert refused.rule_id == getattr(loser, "rule_id", "invalid_state")
    assert_chain_whole()


def test_concurrent_circulation_of_one_copy_hands_it_to_one_reader(world_committed):
    w = world_committed
    for _ in range(ROUNDS):
        carrier = receive(w, level=Level.CONFIDENTIAL)

        loser = one_winner(
            race(
                partial(actions.circulate, w.clerk, carrier, w.zhang),
                partial(actions.circulate, w.clerk, carrier, w.li),
            )
        )
        # design.md: the loser of a race is a state conflict (409), with the current status —
        # not a CR-4 refusal of a sideways pass the loser never attempted.
        assert isinstance(loser, InvalidState), repr(loser)
        assert loser.detail["status"] == Status.CIRCULATING

        carrier.refresh_from_db()
        assert carrier.status == Status.CIRCULATING and carrier.holder in (w.zhang, w.li)
        events = CustodyEvent.objects.filter(carrier=carrier, kind=EventKind.CIRCULATE)
        assert events.count() == 1 and events.get().holder_after == carrier.holder
        assert (
            AuditEvent.objects.filter(
                event_type="carrier.circulate",
                outcome=Outcome.REFUSED,
                object_id=carrier.pk,
                rule_id="invalid_state",
            ).count()
            == 1
        )
    assert_chain_whole()


def test_concurrent_actions_on_different_carriers_all_succeed_without_forking(world_committed):
    """No audit lock serialises writers: many carriers at once, one whole log once sealed."""
    w = world_committed
    batch = [receive(w, level=Level.CONFIDENTIAL) for _ in range(6)]
    results = race(*[partial(actions.circulate, w.clerk, c, w.li) for c in batch])
    assert all(isinstance(r, Carrier) for r in results), results
    assert (
        Carrier.objects.filter(pk__in=[c.pk for c in batch], status=Status.CIRCULATING).count() == 6
    )
    assert_chain_whole()
