"""DEV-1: classified computers and media are carriers (one numbering, one custody history) in a
new custody state, 在用; non-classified devices are a ledger of their own."""

from __future__ import annotations

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers.alerts import loans_due, top_secret_out
from baomi.carriers.choices import CarrierKind, EventKind, Status
from baomi.classification.choices import Level
from baomi.devices.choices import DeviceKind, Ledger
from baomi.lib.errors import Invalid
from tests.devices.helpers import classified_computer, classified_stick, plain_device
from tests.factories import receive, refused

pytestmark = pytest.mark.django_db


def test_r_dev_1_classified_computer_is_a_carrier_in_use(world):
    w = world
    device = classified_computer(w)
    carrier = device.carrier
    assert carrier.kind == CarrierKind.COMPUTER
    assert device.number == carrier.label
    assert device.ledger == Ledger.CLASSIFIED_COMPUTERS
    assert carrier.status == Status.ASSIGNED
    assert carrier.holder == w.zhang and carrier.place is None and carrier.due_date is None
    kinds = list(carrier.events.values_list("kind", flat=True))
    assert kinds == [EventKind.REGISTER, EventKind.ASSIGN]
    assert AuditEvent.objects.filter(event_type="carrier.assign", object_id=carrier.pk).count() == 1


def test_r_dev_1_numbering_is_shared_with_paper_carriers(world):
    w = world
    paper = receive(w)
    stick = classified_stick(w)
    assert stick.carrier.number > paper.number  # the same yearly sequence


def test_r_dev_1_assigned_is_not_a_loan_no_due_alerts(world):
    w = world
    classified_computer(w, level=Level.TOP_SECRET, responsible=w.clerk)
    from django.utils import timezone

    today = timezone.localdate()
    assert loans_due(w.clerk, today) == []
    assert top_secret_out(w.clerk, today) == []


def test_r_dev_1_returned_device_can_be_assigned_again(world):
    w = world
    stick = classified_stick(w)
    carriers.return_to_registry(w.clerk, stick.carrier)
    stick.carrier.refresh_from_db()
    assert stick.carrier.status == Status.IN_REGISTRY and stick.carrier.place == w.cabinet
    carriers.assign(w.clerk, stick.carrier, w.zhang)
    stick.carrier.refresh_from_db()
    assert stick.carrier.status == Status.ASSIGNED


def test_r_dev_1_paper_is_never_assigned(world):
    w = world
    paper = receive(w)
    with refused("DEV-1"):
        carriers.assign(w.clerk, paper, w.zhang)


def test_r_cr_4_assigned_device_does_not_pass_hand_to_hand(world):
    w = world
    stick = classified_stick(w)
    other = classified_stick(w, serial="USB-2")
    assert other.carrier.status == Status.ASSIGNED
    with refused("CR-4"):
        carriers.circulate(w.clerk, stick.carrier, w.classifier)


def test_r_dev_1_non_classified_device_is_not_a_carrier(world):
    w = world
    device = plain_device(w)
    assert device.carrier is None and device.number == "FM-001"
    assert device.ledger == Ledger.COMPUTERS
    stick = plain_device(w, DeviceKind.USB_DRIVE, asset_number="FM-U1")
    assert stick.ledger == Ledger.MEDIA


def test_dev_1_classified_device_needs_a_place(world):
    w = world
    with pytest.raises(Invalid):
        classified_computer(w, place=None)
