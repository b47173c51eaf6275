"""Sending (CR-9) and recall to the issuer (CR-10), through the actions."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import PolicyRole, RequestKind
from baomi.carriers import actions
from baomi.carriers.choices import CarrierKind, EventKind, Source, Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.carriers.registration import Registration
from baomi.carriers.selectors import holdings_of
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.dispatch import actions as dispatch
from baomi.dispatch.choices import Channel
from baomi.dispatch.models import Dispatch, RecallItem
from baomi.dispatch.recall import recall_rounds
from tests.factories import approved, receive, refused

ISSUER = "XX省人民政府办公厅"


def form(carriers, channel=Channel.EXCHANGE_STATION, couriers=(), **extra):
    return dispatch.DispatchForm(
        carriers=list(carriers),
        recipient_unit="XX县人民政府办公室",
        recipient_person="刘收文",
        channel=channel,
        couriers=list(couriers),
        **extra,
    )


# --- CR-9 -------------------------------------------------------------------------------------


def test_dispatch_through_the_exchange_station_leaves_the_holdings(world):
    w = world
    carrier = receive(w)
    sent = dispatch.dispatch(w.clerk, form([carrier], couriers=[w.zhang]))
    carrier.refresh_from_db()
    assert carrier.status == Status.SENT and carrier.place is None
    event = carrier.events.last()
    assert event.kind == EventKind.DISPATCH and "机要交换站" in event.note
    assert list(sent.carriers.all()) == [carrier]
    assert not Carrier.objects.filter(status__in=[Status.IN_REGISTRY]).exists()


def test_r_cr_9_fax_post_email_and_chat_are_refused_for_state_secrets(world):
    w = world
    carrier = receive(w, level=Level.CONFIDENTIAL)
    for channel in (Channel.FAX, Channel.POST, Channel.EMAIL, Channel.IM):
        with refused("CR-9"):
            dispatch.dispatch(w.clerk, form([carrier], channel=channel))
    assert not Dispatch.objects.exists()


def test_r_cr_9_ordinary_channels_remain_for_internal_items(world):
    w = world
    carrier = receive(w, level=Level.INTERNAL, category="work")
    dispatch.dispatch(w.clerk, form([carrier], channel=Channel.POST))
    carrier.refresh_from_db()
    assert carrier.status == Status.SENT


def test_r_cr_9_top_secret_needs_two_cleared_couriers(world):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET)
    with refused("CR-9"):
        dispatch.dispatch(w.clerk, form([carrier], channel=Channel.COURIER, couriers=[w.leader]))
    with refused("CR-9"):  # 张三 (重要) may not carry 绝密
        dispatch.dispatch(
            w.clerk, form([carrier], channel=Channel.COURIER, couriers=[w.leader, w.zhang])
        )
    assert not Dispatch.objects.exists()
    dispatch.dispatch(
        w.clerk, form([carrier], channel=Channel.COURIER, couriers=[w.leader, w.clerk])
    )
    carrier.refresh_from_db()
    assert carrier.status == Status.SENT


def test_r_cr_9_a_courier_delivery_names_its_courier(world):
    w = world
    carrier = receive(w)
    with refused("CR-9"):
        dispatch.dispatch(w.clerk, form([carrier], channel=Channel.COURIER))


def test_r_cr_9_dispatch_policy_of_the_unit_requires_an_approval(world):
    w = world
    carrier = receive(w)
    approvals.set_policy(
        w.secadmin, w.unit, RequestKind.DISPATCH, Level.SECRET, [(PolicyRole.SECRECY_LEADER, None)]
    )
    with refused("CR-9"):
        dispatch.dispatch(w.clerk, form([carrier]))
    request = approved(w, RequestKind.DISPATCH, [carrier], due=None)
    dispatch.dispatch(w.clerk, form([carrier], request=request))
    with refused("invalid_state"):
        dispatch.dispatch(w.clerk, form([carrier], request=request))


def test_dispatch_refuses_a_carrier_out_with_a_reader(world):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    with refused("invalid_state"):
        dispatch.dispatch(w.clerk, form([carrier]))


def test_receipt_is_recorded_later_once(world):
    w = world
    carrier = receive(w)
    sent = dispatch.dispatch(w.clerk, form([carrier]))
    dispatch.record_receipt(w.clerk, sent, signed_by="刘收文")
    sent.refresh_from_db()
    assert sent.receipt_signed_by == "刘收文" and sent.receipt_at is not None
    assert carrier.events.filter(kind=EventKind.RECEIPT).count() == 1
    with refused("invalid_state"):
        dispatch.record_receipt(w.clerk, sent, signed_by="别人")


def test_only_the_registry_dispatches(world):
    w = world
    carrier = receive(w)
    with refused("forbidden"):
        dispatch.dispatch(w.zhang, form([carrier]))


# --- CR-10 ------------------------------------------------------------------------------------


def test_r_cr_10_recall_of_a_carrier_made_here_is_refused(world):
    w = world
    (own,) = actions.register(
        w.clerk,
        Registration(
            kind=CarrierKind.DOCUMENT,
            title="本单位工作方案",
            doc_date=date(2026, 1, 5),
            level=Level.SECRET,
            source=Source.PRODUCED,
            place=w.cabinet,
            period=Period.of_years(10),
            basis="本单位保密事项目录第3条",
            classifier=w.classifier,
            marking_reviewer=w.clerk,
            scope_departments=[w.office],
        ),
    )
    with refused("CR-10"):
        dispatch.recall(w.clerk, own)
    assert not RecallItem.objects.exists()


def test_r_cr_10_recall_to_another_issuer_is_refused(world):
    w = world
    carrier = receive(w)
    with refused("CR-10"):
        dispatch.recall(w.clerk, carrier, issuer="XX市财政局")


def test_r_cr_10_recall_while_a_reader_holds_it_is_refused(world):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    with refused("CR-10"):
        dispatch.recall(w.clerk, carrier)


def test_recall_returns_the_carrier_item_by_item(world):
    w = world
    first, second = receive(w, copies=2)
    dispatch.recall(w.clerk, first, issuer=ISSUER, received_by="王接收")
    first.refresh_from_db()
    assert first.status == Status.RETURNED and first.place is None
    assert first not in holdings_of(w.zhang)
    event = CustodyEvent.objects.filter(carrier=first).last()
    assert event.kind == EventKind.RECALL and "王接收" in event.note
    assert RecallItem.objects.get().carrier == first
    second.refresh_from_db()
    assert second.status == Status.IN_REGISTRY


def test_r_cr_10_the_due_list_follows_the_issuer_schedule(world):
    w = world
    start = timezone.localdate()
    schedule = dispatch.set_schedule(
        w.clerk, w.unit, issuer=ISSUER, interval_months=6, starts_on=start
    )
    secret = receive(w)
    top = receive(w, level=Level.TOP_SECRET)
    other = receive(w, issuer="XX市公安局")  # no schedule: never due on a calendar
    due_now = recall_rounds(w.unit, start)
    assert [(r.issuer, [c.pk for c in r.carriers]) for r in due_now] == [(ISSUER, [top.pk])]
    later = schedule.next_due
    assert later > start
    due_then = recall_rounds(w.unit, later)
    assert {c.pk for r in due_then for c in r.carriers} == {secret.pk, top.pk}
    assert other.pk not in {c.pk for r in due_then for c in r.carriers}
    # Returning everything due closes the round: the schedule moves on half a year.
    with time_machine.travel(later + timedelta(hours=12), tick=False):
        dispatch.recall(w.clerk, secret)
        schedule.refresh_from_db()
        assert schedule.last_recalled_on is None  # the 绝密 one is still due
        dispatch.recall(w.clerk, top)
        schedule.refresh_from_db()
        assert schedule.last_recalled_on == later


def test_r_cr_10_schedule_interval_is_six_or_twelve_months(world):
    w = world
    with refused("invalid", audited=False):  # bad input is not a refusal of a rule
        dispatch.set_schedule(
            w.clerk, w.unit, issuer=ISSUER, interval_months=3, starts_on=date(2026, 1, 1)
        )
