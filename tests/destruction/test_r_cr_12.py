"""Destruction (CR-12, APR-1): a registered list, checked item by item, the leader's approval, two
different cleared witnesses who did not ask for it, a method that fits the level, all at once."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from baomi.approvals.choices import RequestStatus
from baomi.carriers import actions as carriers
from baomi.carriers import custody
from baomi.carriers.choices import CarrierKind, EventKind, Status
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.destruction import actions as destruction
from baomi.destruction.certificate import certificate_pdf
from baomi.destruction.models import ListStatus, Method
from baomi.lib.errors import RuleViolation
from tests.factories import receive
from tests.lifecycle import approved_list, refused_all

MILL = "XX市涉密载体销毁中心"


def test_destroy_an_approved_checked_list_under_two_witnesses(world):
    w = world
    a, b = receive(w, copies=2)
    dlist = approved_list(w, [a, b])
    destruction.destroy(
        w.clerk, dlist, method=Method.PULP, place=MILL, witnesses=[w.zhang, w.classifier]
    )
    dlist.refresh_from_db()
    assert dlist.status == ListStatus.DESTROYED
    assert set(dlist.witnesses.all()) == {w.zhang, w.classifier}
    for c in (a, b):
        c.refresh_from_db()
        assert (c.status, c.place, c.holder) == (Status.DESTROYED, None, None)
        assert c.events.last().kind == EventKind.DESTROY
    dlist.request.refresh_from_db()
    assert dlist.request.status == RequestStatus.CONSUMED


def test_listing_and_unlisting(world):
    w = world
    a, b = receive(w, copies=2)
    dlist = destruction.create_list(w.clerk, [a, b])
    a.refresh_from_db()
    assert a.status == Status.PENDING_DESTRUCTION
    destruction.unlist(w.clerk, dlist, a)
    a.refresh_from_db()
    assert (a.status, a.place) == (Status.IN_REGISTRY, a.home_place)
    assert [i.carrier for i in dlist.items.all()] == [b]


def test_r_cr_12_nobody_destroys_a_carrier_outside_a_list(world):
    assert not hasattr(carriers, "destroy")
    assert not hasattr(destruction, "destroy_carrier")


def test_r_cr_12_destroying_an_unapproved_list_is_refused(world):
    w = world
    c = receive(w)
    dlist = destruction.create_list(w.clerk, [c])
    destruction.check_item(w.clerk, dlist, c)
    with refused_all("CR-12"):  # never submitted
        destruction.destroy(
            w.clerk, dlist, method=Method.SHRED, place=MILL, witnesses=[w.zhang, w.classifier]
        )
    destruction.submit(w.clerk, dlist, approver=w.leader)
    with refused_all("CR-12"):  # submitted, still pending
        destruction.destroy(
            w.clerk, dlist, method=Method.SHRED, place=MILL, witnesses=[w.zhang, w.classifier]
        )


def test_r_cr_12_unchecked_items_are_refused(world):
    w = world
    a, b = receive(w, copies=2)
    dlist = destruction.create_list(w.clerk, [a, b])
    destruction.check_item(w.clerk, dlist, a)
    dlist = approved_list_from(w, dlist)
    with refused_all("CR-12") as info:
        destruction.destroy(
            w.clerk, dlist, method=Method.SHRED, place=MILL, witnesses=[w.zhang, w.classifier]
        )
    assert b.label in info.value.message


def approved_list_from(w, dlist):
    from baomi.approvals import actions as approvals

    request = destruction.submit(w.clerk, dlist, approver=w.leader)
    approvals.approve(w.leader, request)
    dlist.refresh_from_db()
    return dlist


@pytest.mark.parametrize(
    "who",
    ["one", "same_twice", "clerk_who_asked", "uncleared", "system_role"],
)
def test_r_cr_12_witnesses_must_be_two_different_cleared_people_not_the_requester(world, who):
    w = world
    c = receive(w, level=Level.CONFIDENTIAL)
    dlist = approved_list(w, [c])
    witnesses = {
        "one": [w.zhang],
        "same_twice": [w.zhang, w.zhang],
        "clerk_who_asked": [w.clerk, w.zhang],
        "uncleared": [w.zhang, w.wang],
        "system_role": [w.zhang, w.secadmin],
    }[who]
    with refused_all("CR-12"):
        destruction.destroy(w.clerk, dlist, method=Method.SHRED, place=MILL, witnesses=witnesses)


def test_r_cr_12_witness_cleared_below_the_list_level_is_refused(world):
    w = world
    c = receive(w, level=Level.SECRET)
    dlist = approved_list(w, [c])
    with refused_all("CR-12"):  # 李四 is 一般: covers 秘密 only
        destruction.destroy(
            w.clerk, dlist, method=Method.SHRED, place=MILL, witnesses=[w.zhang, w.li]
        )


@pytest.mark.parametrize(
    ("level", "kind", "method"),
    [
        (Level.TOP_SECRET, CarrierKind.DOCUMENT, Method.SHRED),
        (Level.TOP_SECRET, CarrierKind.DOCUMENT, Method.PULP),
        (Level.SECRET, CarrierKind.TELEGRAM, Method.SHRED),
        (Level.SECRET, CarrierKind.USB_DRIVE, Method.SHRED),
        (Level.CONFIDENTIAL, CarrierKind.DOCUMENT, Method.PHYSICAL),
    ],
)
def test_r_cr_12_method_must_fit_the_level_and_kind(world, level, kind, method):
    w = world
    place = w.safe if kind == CarrierKind.TELEGRAM else None
    c = receive(w, level=level, kind=kind, place=place, scope_people=[w.leader, w.classifier])
    dlist = approved_list(w, [c])
    with refused_all("CR-12"):
        destruction.destroy(
            w.clerk, dlist, method=method, place=MILL, witnesses=[w.leader, w.classifier]
        )


def test_r_cr_12_top_secret_is_burned_on_site(world):
    w = world
    c = receive(w, level=Level.TOP_SECRET)
    dlist = approved_list(w, [c])
    deputy = _core_witness(w)
    destruction.destroy(
        w.clerk, dlist, method=Method.BURN, place="机要室（现场焚烧）", witnesses=[w.leader, deputy]
    )
    c.refresh_from_db()
    assert c.status == Status.DESTROYED


def _core_witness(w):
    from baomi.org import actions as org

    p = org.create_person(w.system, w.unit, name="周监销", department=w.office)
    return org.set_clearance(w.system, p, "core")


def test_r_cr_12_all_carriers_destroyed_together_or_none(world, monkeypatch):
    w = world
    made = receive(w, copies=3)
    dlist = approved_list(w, made)
    real_move, calls = custody.move, []

    def failing_move(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise RuleViolation("CR-12", "模拟中途失败（CR-12）")
        return real_move(*args, **kwargs)

    monkeypatch.setattr(custody, "move", failing_move)
    with refused_all("CR-12"):
        destruction.destroy(
            w.clerk, dlist, method=Method.SHRED, place=MILL, witnesses=[w.zhang, w.classifier]
        )
    assert len(calls) == 2
    assert set(
        Carrier.objects.filter(pk__in=[c.pk for c in made]).values_list("status", flat=True)
    ) == {Status.PENDING_DESTRUCTION}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_destruction_certificate_pdf_reads_back(world, tmp_path):
    w = world
    a, b = receive(w, copies=2)
    dlist = approved_list(w, [a, b])
    dlist = destruction.destroy(
        w.clerk, dlist, method=Method.PULP, place=MILL, witnesses=[w.zhang, w.classifier]
    )
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(certificate_pdf(dlist))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for needle in ("涉密载体销毁证明", "机密", a.label, b.label, "张三", "孙定密", MILL, "化浆"):
        assert needle in text, needle
