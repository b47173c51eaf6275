"""Handover (CR-13): holdings listed, both sign, one transaction; nobody leaves a post holding
carriers."""

from __future__ import annotations

from baomi.carriers import actions as carriers
from baomi.carriers.choices import EventKind, Status
from baomi.classification.choices import Level
from baomi.handover import actions as handover
from baomi.handover.models import HandoverStatus
from baomi.handover.rules import require_nothing_held
from baomi.lib.errors import RuleViolation
from tests.factories import receive, refused
from tests.lifecycle import refused_all


def _holding(w, person, copies=2, level=Level.CONFIDENTIAL):
    made = receive(w, copies=copies, level=level)
    made = made if isinstance(made, list) else [made]
    for c in made:
        carriers.circulate(w.clerk, c, person)
    return made


def test_handover_moves_everything_after_both_sign(world):
    w = world
    a, b = _holding(w, w.li)
    h = handover.open_handover(w.clerk, w.li, w.zhang, reason="调岗")
    handover.confirm(w.li, h)
    handover.confirm(w.zhang, h)
    handover.complete(w.clerk, h)
    h.refresh_from_db()
    assert h.status == HandoverStatus.DONE
    for c in (a, b):
        c.refresh_from_db()
        assert (c.holder, c.status) == (w.zhang, Status.CIRCULATING)
        assert c.acknowledged_at is not None
        assert c.events.last().kind == EventKind.HANDOVER
    require_nothing_held(w.li)  # li may now move


def test_r_cr_13_moving_a_person_off_post_while_holding_is_refused(world):
    w = world
    made = _holding(w, w.zhang)
    with refused_all("CR-13") as info:
        handover.change_post(w.secadmin, w.zhang, department=w.finance, post="会计")
    for c in made:
        assert c.label in info.value.message
    assert info.value.detail["carriers"] == [c.label for c in made]


def test_change_post_after_handing_everything_back(world):
    w = world
    (c,) = _holding(w, w.zhang, copies=1)
    carriers.return_to_registry(w.clerk, c)
    person = handover.change_post(w.secadmin, w.zhang, department=w.finance, post="会计")
    assert (person.department, person.post) == (w.finance, "会计")


def test_r_cr_13_guard_lists_the_carriers(world):
    w = world
    made = _holding(w, w.li)
    try:
        require_nothing_held(w.li)
    except RuleViolation as error:
        assert error.rule_id == "CR-13"
        assert all(c.label in error.message for c in made)
    else:
        raise AssertionError("not refused")


def test_r_cr_13_handover_without_both_confirmations_is_refused(world):
    w = world
    _holding(w, w.li)
    h = handover.open_handover(w.clerk, w.li, w.zhang)
    with refused_all("CR-13"):  # nobody signed
        handover.complete(w.clerk, h)
    handover.confirm(w.li, h)
    with refused_all("CR-13"):  # only the person signed: no 信任交接
        handover.complete(w.clerk, h)


def test_r_cr_13_only_the_two_parties_confirm(world):
    w = world
    _holding(w, w.li)
    h = handover.open_handover(w.clerk, w.li, w.zhang)
    with refused("forbidden"):
        handover.confirm(w.clerk, h)


def test_r_per_1_receiver_not_allowed_to_hold_is_refused(world):
    w = world
    _holding(w, w.li)
    with refused_all("PER-1"):  # 王五 is 非涉密
        handover.open_handover(w.clerk, w.li, w.wang)


def test_r_cr_4_receiver_outside_the_scope_is_refused(world):
    w = world
    _holding(w, w.li)
    with refused_all("CR-4"):  # the clerk is 核心 but in 机要室, outside the scope
        handover.open_handover(w.clerk, w.li, w.clerk)


def test_r_apr_1_handover_to_oneself_is_refused(world):
    w = world
    _holding(w, w.li)
    with refused_all("APR-1"):
        handover.open_handover(w.clerk, w.li, w.li)


def test_r_cr_13_list_out_of_date_is_refused(world):
    w = world
    _holding(w, w.li, copies=1)
    h = handover.open_handover(w.clerk, w.li, w.zhang)
    _holding(w, w.li, copies=1)  # something new reached li after the list was made
    handover.confirm(w.li, h)
    handover.confirm(w.zhang, h)
    with refused_all("CR-13"):
        handover.complete(w.clerk, h)
