"""Alerts with a frozen clock: each kind appears at the right time and disappears when it is
dealt with (CR-5, CR-6, CR-8, CR-14, CL-9, CL-14, APR-2); the page, the top bar and the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.lib.alerts import alerts_for
from baomi.reclassification import actions as reclassification
from baomi.stocktake import actions as stocktake
from baomi.stocktake.alerts import spring_festival
from tests.api.helpers import api_as
from tests.factories import approved, receive

TZ = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def kinds(person) -> set[str]:
    return {a.kind for a in alerts_for(person, timezone.localdate())}


def test_spring_festival_comes_from_the_lunar_calendar():
    assert spring_festival(2026) == date(2026, 2, 17)
    assert spring_festival(2027) == date(2027, 2, 6)


def test_loan_due_soon_due_today_overdue_then_gone(world):
    w = world
    start = date(2026, 3, 2)
    with at(start):
        carrier = receive(w, level=Level.SECRET)
        stocktake.start(w.clerk)  # keep the stocktake alerts out of the way
        request = approved(w, RequestKind.LOAN, [carrier], due=start + timedelta(days=6))
        carriers.lend(w.clerk, carrier, request)
        assert "loan_due" not in kinds(w.zhang)  # 6 days ahead, N = 3
    with at(start + timedelta(days=3)):
        assert "loan_due" in kinds(w.zhang) and "loan_due" in kinds(w.clerk)
        alert = next(a for a in alerts_for(w.zhang, timezone.localdate()) if a.kind == "loan_due")
        assert alert.severity == "due_soon" and alert.url == f"/carriers/{carrier.pk}/"
    with at(start + timedelta(days=6)):
        alert = next(a for a in alerts_for(w.zhang, timezone.localdate()) if a.kind == "loan_due")
        assert alert.severity == "due_today"
    with at(start + timedelta(days=7)):
        assert "loan_overdue" in kinds(w.zhang) and "loan_overdue" in kinds(w.clerk)
        assert "loan_overdue" not in kinds(w.li)
        carriers.return_to_registry(w.clerk, carrier)
        assert not {"loan_due", "loan_overdue"} & (kinds(w.zhang) | kinds(w.clerk))


def test_take_out_overdue_then_gone(world):
    w = world
    start = date(2026, 3, 2)
    with at(start):
        carrier = receive(w, level=Level.CONFIDENTIAL)
        request = approved(
            w, RequestKind.TAKE_OUT, [carrier], due=start + timedelta(days=1), destination="省厅"
        )
        carriers.take_out(w.clerk, carrier, request)
        assert "take_out_due" in kinds(w.zhang)
    with at(start + timedelta(days=2)):
        assert "take_out_overdue" in kinds(w.clerk)
        carriers.return_to_registry(w.clerk, carrier)
        assert "take_out_overdue" not in kinds(w.clerk)


def test_r_cr_5_top_secret_not_back_the_same_day(world):
    w = world
    start = date(2026, 3, 2)
    with at(start, hour=9):
        carrier = receive(w, level=Level.TOP_SECRET)
        carriers.circulate(w.clerk, carrier, w.leader)
        assert "top_secret_out_today" in kinds(w.leader)
        assert "top_secret_not_back" not in kinds(w.clerk)
    with at(start + timedelta(days=1), hour=8):
        assert "top_secret_not_back" in kinds(w.clerk) and "top_secret_not_back" in kinds(w.leader)
        assert "loan_overdue" not in kinds(w.clerk)  # one alert, under CR-5
        carriers.return_to_registry(w.clerk, carrier)
        assert not {"top_secret_not_back", "top_secret_out_today"} & kinds(w.clerk)


def test_r_cr_8_carrier_at_a_residence_overnight(world):
    w = world
    start = date(2026, 3, 2)
    with at(start, hour=9):
        carrier = receive(w, level=Level.CONFIDENTIAL)
        request = approved(
            w,
            RequestKind.TAKE_OUT,
            [carrier],
            due=start,
            destination="钱领导住所",
            to_residence=True,
        )
        carriers.take_out(w.clerk, carrier, request)
        assert "residence_today" in kinds(w.clerk)
    with at(start + timedelta(days=1), hour=7):
        assert "residence_overnight" in kinds(w.clerk) and "residence_overnight" in kinds(w.zhang)
        assert "take_out_overdue" not in kinds(w.clerk)
        carriers.return_to_registry(w.clerk, carrier)
        assert "residence_overnight" not in kinds(w.clerk)


def test_cl_9_period_ending_and_yearly_review_due(world):
    w = world
    with at(date(2026, 2, 1)):
        carrier = receive(w, level=Level.SECRET, period=Period.until_date(date(2027, 3, 31)))
    with at(date(2026, 12, 20)):  # 101 days before the end
        assert "period_ending" not in kinds(w.clerk)
    with at(date(2027, 1, 5)):  # 85 days
        assert "period_ending" in kinds(w.clerk) and "period_ending" in kinds(w.classifier)
        assert "period_ending" not in kinds(w.zhang)
        assert "review_due" not in kinds(w.clerk)
        request = approved(
            w,
            RequestKind.RECLASSIFICATION,
            [carrier],
            proposed_change={"period": {"kind": "date", "until": "2030-01-01"}},
        )
        reclassification.reclassify(
            w.clerk, carrier, request, reason="延期", period=Period.until_date(date(2030, 1, 1))
        )
        assert "period_ending" not in kinds(w.clerk)
    with at(date(2028, 1, 10)):  # over a year since the last decision about it
        assert "review_due" in kinds(w.clerk)
        reclassification.review(w.classifier, carrier)
        assert "review_due" not in kinds(w.clerk)


def test_cr_14_stocktakes_due_twice_a_year_and_before_holidays(world):
    w = world
    with at(date(2026, 3, 2)):
        assert "stocktake_half_year" in kinds(w.clerk)  # never counted
        whole_unit = stocktake.start(w.clerk)
        assert not {"stocktake_half_year", "stocktake_holiday"} & kinds(w.clerk)
        assert "stocktake_half_year" not in kinds(w.zhang)
    with at(date(2026, 4, 5)):  # 26 days before 五一, counted on 3月2日: before the window
        alert = next(
            a for a in alerts_for(w.clerk, timezone.localdate()) if a.kind == "stocktake_holiday"
        )
        assert "五一" in alert.message and alert.url == "/stocktakes/"
        stocktake.close(w.clerk, whole_unit)  # CR-14: one open count at a time
        stocktake.start(w.clerk, place=w.cabinet)
        assert "stocktake_holiday" not in kinds(w.clerk)
    with at(date(2026, 9, 1)):  # 30 days before 国庆 is 9月1日
        assert "stocktake_holiday" in kinds(w.clerk)
    with at(date(2026, 10, 20)):  # over six months since 4月5日
        assert "stocktake_half_year" in kinds(w.clerk)
        assert "stocktake_holiday" not in kinds(w.clerk)
    with at(date(2027, 1, 10)):  # 春节 2027 is 2月6日 (lunar calendar)
        messages = [a.message for a in alerts_for(w.clerk, timezone.localdate())]
        assert any("春节" in m and "2027-02-06" in m for m in messages)


def test_requests_waiting_for_me_then_gone(world):
    w = world
    carrier = receive(w, level=Level.SECRET)
    request = approvals.create_request(
        w.zhang,
        approvals.RequestForm(
            kind=RequestKind.LOAN,
            carriers=[carrier],
            reason="工作需要",
            approver=w.leader,
            due_date=timezone.localdate() + timedelta(days=3),
        ),
    )
    alert = next(
        a for a in alerts_for(w.leader, timezone.localdate()) if a.kind == "request_waiting"
    )
    assert alert.url == f"/requests/{request.pk}/"
    assert "request_waiting" not in kinds(w.zhang)
    approvals.approve(w.leader, request)
    assert "request_waiting" not in kinds(w.leader)


def test_cl_14_unclear_item_pending_then_overdue_then_gone(world):
    w = world
    with at(date(2026, 3, 6)):
        carrier = receive(w, level=Level.SECRET)
        item = reclassification.report_unclear(
            w.clerk, carrier, proposed_level=Level.SECRET, question="密级不明确"
        )
        assert "unclear_pending" in kinds(w.clerk)
    with at(date(2026, 3, 23)):
        assert "unclear_overdue" in kinds(w.clerk)
        reclassification.decide_unclear(w.leader, item, decision="维持机密")
        assert not {"unclear_pending", "unclear_overdue"} & kinds(w.clerk)


def test_cl_8_unread_notice_then_gone(world):
    w = world
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang)
    carriers.return_to_registry(w.clerk, carrier)
    request = approved(
        w, RequestKind.RECLASSIFICATION, [carrier], proposed_change={"declassify": True}
    )
    reclassification.reclassify(w.clerk, carrier, request, reason="解密", declassify=True)
    assert "notice_unread" in kinds(w.zhang)
    reclassification.mark_read(w.zhang, list(w.zhang.notices.all()))
    assert "notice_unread" not in kinds(w.zhang)


def test_alerts_page_top_bar_and_api(world, client):
    w = world
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang, due_date=timezone.localdate())
    client.force_login(w.zhang.user)
    page = client.get("/alerts/").content.decode()
    assert 'data-kind="circulation_due"' in page and f"/carriers/{carrier.pk}/" in page
    assert "data-alert-count>1<" in client.get("/alerts/count/").content.decode()
    body = api_as(w, w.zhang).get("alerts").json()
    assert body["count"] == 1 and body["results"][0]["kind"] == "circulation_due"
    assert body["results"][0]["url"] == f"/carriers/{carrier.pk}/"
