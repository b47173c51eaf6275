"""传阅单: readers checked up front (PER-1, CR-4), in order, back to the registry between readers
(CR-4), 绝密 back after each reader the same day (CR-5)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.carriers import slips
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import CirculationSlip
from baomi.carriers.rules import today
from baomi.classification.choices import Level
from baomi.lib.errors import Forbidden
from tests.factories import person, receive, refused


def test_slip_goes_to_each_reader_in_order_and_back_between_them(world):
    w = world
    carrier = receive(w)
    slip = slips.create_slip(w.clerk, carrier, [w.classifier, w.zhang])
    assert carrier.events.filter(kind=EventKind.SLIP).count() == 1
    first = slips.send_next(w.clerk, slip)
    assert first.reader == w.classifier
    carrier.refresh_from_db()
    assert (carrier.status, carrier.holder) == (Status.CIRCULATING, w.classifier)
    with refused("CR-4"):  # 横传: not to the next reader before it came back
        slips.send_next(w.clerk, slip)
    slips.acknowledge(w.classifier, slip)
    slips.take_back(w.clerk, slip)
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY
    second = slips.send_next(w.clerk, slip)
    assert second.reader == w.zhang
    with pytest.raises(Forbidden):
        slips.acknowledge(w.classifier, slip)
    slips.acknowledge(w.zhang, slip)
    slips.take_back(w.clerk, slip)
    slip.refresh_from_db()
    assert slip.state == CirculationSlip.State.DONE
    rows = list(slip.readers.order_by("order"))
    assert [r.reader for r in rows] == [w.classifier, w.zhang]
    assert all(r.sent_at and r.acknowledged_at and r.returned_at for r in rows)
    assert rows[0].returned_at <= rows[1].sent_at
    kinds = list(carrier.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.CIRCULATE) == 2 and kinds.count(EventKind.RETURN) == 2


def test_r_cr_4_every_reader_is_checked_up_front(world):
    w = world
    carrier = receive(w)  # 机密, scope 办公室秘书科
    with refused("PER-1"):  # 李四 is only 一般
        slips.create_slip(w.clerk, carrier, [w.zhang, w.li])
    outsider = person(w.system, w.unit, "周财务", w.finance, "important", "")
    with refused("CR-4"):  # cleared, but outside the 知悉范围
        slips.create_slip(w.clerk, carrier, [w.zhang, outsider])
    assert not CirculationSlip.objects.exists()


def test_r_cr_5_top_secret_comes_back_after_each_reader_the_same_day(world):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader, w.clerk])
    slip = slips.create_slip(w.clerk, carrier, [w.leader])
    with refused("CR-5"):
        slips.send_next(w.clerk, slip, due_date=today() + timedelta(days=1))
    slips.send_next(w.clerk, slip, reading_place=w.reading_room)
    carrier.refresh_from_db()
    assert carrier.due_date == today()


def test_r_cr_5_top_secret_slip_refuses_the_next_reader_until_returned(world):
    w = world
    deputy = person(w.system, w.unit, "郑副职", w.office, "core", "")
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader, deputy])
    slip = slips.create_slip(w.clerk, carrier, [w.leader, deputy])
    slips.send_next(w.clerk, slip, reading_place=w.reading_room)
    with refused("CR-5"):
        slips.send_next(w.clerk, slip, reading_place=w.reading_room)
    slips.take_back(w.clerk, slip)
    assert slips.send_next(w.clerk, slip, reading_place=w.reading_room).reader == deputy


def test_only_clerks_run_slips_and_one_open_slip_per_carrier(world):
    w = world
    carrier = receive(w)
    with refused("forbidden"):
        slips.create_slip(w.zhang, carrier, [w.classifier])
    slip = slips.create_slip(w.clerk, carrier, [w.zhang])
    with refused("invalid_state"):
        slips.create_slip(w.clerk, carrier, [w.classifier])
    slips.cancel(w.clerk, slip, reason="改为会议传达")
    slip.refresh_from_db()
    assert slip.state == CirculationSlip.State.CANCELLED
