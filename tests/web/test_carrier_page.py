"""The carrier page: marking, fields, history, the viewer's actions, audited reads, and every
action form — happy path, refusal (rule id shown, nothing changed, refusal audited), bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.classification.choices import Level
from tests.factories import approved, receive

HTMX = {"HX-Request": "true", "HX-Target": "carrier-main"}


def page(carrier):
    return reverse("carriers:detail", args=[carrier.pk])


def act(carrier, slug):
    return reverse("carriers:act", args=[carrier.pk, slug])


def snapshot(carrier):
    carrier.refresh_from_db()
    return (
        carrier.status,
        carrier.holder_id,
        carrier.place_id,
        carrier.due_date,
        carrier.title,
        carrier.events.count(),
    )


def refused(event_type, rule_id):
    return AuditEvent.objects.filter(
        event_type=event_type, outcome="refused", rule_id=rule_id
    ).exists()


# --- what the page shows -------------------------------------------------------------------------


def test_page_shows_marking_fields_custody_history_and_clerk_actions(world, as_):
    w = world
    carrier = receive(w, copies=2, title="关于某项工作的通知")[0]
    actions.circulate(w.clerk, carrier, w.zhang)
    html = as_(w.clerk).get(page(carrier)).content.decode()
    assert 'class="marking-banner"' in html and "机密★20年" in html
    assert "关于某项工作的通知" in html and "XX省人民政府办公厅" in html
    assert "X政办发〔2026〕1号" in html and "办公室秘书科" in html
    assert 'id="carrier-holder">张三' in html and "未签收" in html
    assert 'data-event="register"' in html and 'data-event="circulate"' in html
    assert 'data-action="return"' in html and 'data-action="circulate"' not in html
    assert "同批其他份" in html
    assert 'class="watermark"' in html and carrier.label in html


def test_r_sec_4_reading_a_secret_carrier_is_audited(world, as_):
    w = world
    carrier = receive(w)
    as_(w.zhang).get(page(carrier))
    event = AuditEvent.objects.filter(event_type="carrier.read").get()
    assert event.outcome == "read" and event.actor_id == w.zhang.pk
    assert event.object_id == carrier.pk and "关于" not in event.object_text


def test_reading_a_confidential_carrier_is_not_audited(world, as_):
    w = world
    carrier = receive(w, level=Level.CONFIDENTIAL)
    assert as_(w.zhang).get(page(carrier)).status_code == 200
    assert not AuditEvent.objects.filter(event_type="carrier.read").exists()


def test_r_per_1_wang_cannot_open_a_secret_carrier(world, as_):
    w = world
    carrier = receive(w, scope_people=[w.wang])
    r = as_(w.wang).get(page(carrier))
    assert r.status_code == 404
    assert "关于某项工作的通知" not in r.content.decode()
    assert not AuditEvent.objects.filter(event_type="carrier.read").exists()


def test_r_per_1_li_cannot_open_a_secret_carrier_and_unknown_ids_look_the_same(world, as_):
    w = world
    carrier = receive(w)
    client = as_(w.li)
    hidden, unknown = (
        client.get(page(carrier)),
        client.get(reverse("carriers:detail", args=[999999])),
    )
    assert hidden.status_code == unknown.status_code == 404
    main = 'id="main"'
    assert hidden.content.decode().split(main)[1] == unknown.content.decode().split(main)[1]


def test_staff_get_no_clerk_buttons_but_may_request(world, as_):
    w = world
    carrier = receive(w)
    html = as_(w.zhang).get(page(carrier)).content.decode()
    assert "data-action=" not in html
    assert f"?carrier={carrier.pk}&amp;kind=loan" in html


def test_holder_gets_acknowledge_and_report_lost(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    html = as_(w.zhang).get(page(carrier)).content.decode()
    assert 'data-action="acknowledge"' in html and 'data-action="report_lost"' in html
    assert 'data-action="return"' not in html


def test_overdue_due_date_is_red(world, as_):
    import time_machine

    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang, due_date=timezone.localdate())
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        html = as_(w.clerk).get(page(carrier)).content.decode()
    assert "已逾期" in html and "text-danger fw-bold overdue" in html


def test_reader_select_offers_only_people_who_may_hold(world, as_):
    w = world
    carrier = receive(w)
    form = as_(w.clerk).get(act(carrier, "circulate") + "form/").content.decode()
    assert "张三" in form and "钱领导" in form
    assert "李四" not in form  # 一般: does not cover 机密
    assert "王五" not in form  # outside the scope and not cleared


# --- action forms: happy paths ---------------------------------------------------------------------


def test_circulate_then_acknowledge_then_return(world, as_):
    w = world
    carrier = receive(w)
    clerk = as_(w.clerk)
    r = clerk.post(act(carrier, "circulate"), {"reader": w.zhang.pk, "note": "请阅"}, headers=HTMX)
    assert r.status_code == 200 and "已传阅给张三" in r.content.decode()
    assert "<html" not in r.content.decode()
    carrier.refresh_from_db()
    assert carrier.status == Status.CIRCULATING and carrier.holder == w.zhang

    r = as_(w.zhang).post(act(carrier, "acknowledge"))
    assert r.status_code == 302 and r["Location"] == page(carrier)
    carrier.refresh_from_db()
    assert carrier.acknowledged_at is not None

    r = as_(w.clerk).post(act(carrier, "return"), {"place": ""})
    assert r.status_code == 302
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY and carrier.place == w.cabinet


def test_lend_with_an_approved_request(world, as_):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier])
    html = as_(w.clerk).get(act(carrier, "lend") + "form/").content.decode()
    assert f"#{request.pk} 张三" in html
    r = as_(w.clerk).post(act(carrier, "lend"), {"request": request.pk}, headers=HTMX)
    assert "已借出给张三" in r.content.decode()
    carrier.refresh_from_db()
    request.refresh_from_db()
    assert carrier.status == Status.ON_LOAN and carrier.out_request == request
    assert request.status == RequestStatus.CONSUMED


def test_take_out_with_an_approved_request(world, as_):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.TAKE_OUT, [carrier], destination="省政府")
    r = as_(w.clerk).post(act(carrier, "take-out"), {"request": request.pk})
    assert r.status_code == 302
    carrier.refresh_from_db()
    assert carrier.status == Status.TAKEN_OUT and carrier.holder == w.zhang


def test_copy_with_an_approved_request(world, as_):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.COPY, [carrier], copies=2)
    r = as_(w.clerk).post(act(carrier, "copy"), {"request": request.pk, "copies": 2}, headers=HTMX)
    assert "已复制 2 份" in r.content.decode()
    copies = Carrier.objects.filter(original=carrier)
    assert copies.count() == 2 and {c.level for c in copies} == {carrier.level}
    html = as_(w.clerk).get(page(carrier)).content.decode()
    assert "复制件：" in html and copies[0].label in html


def test_relocate_amend_void(world, as_):
    w = world
    a, b = receive(w, copies=2)
    clerk = as_(w.clerk)
    clerk.post(act(a, "relocate"), {"place": w.safe.pk})
    a.refresh_from_db()
    assert a.place == w.safe and a.home_place == w.safe

    clerk.post(act(a, "amend"), {"field": "title", "value": "更正后的标题", "reason": "笔误"})
    clerk.post(act(a, "amend"), {"field": "pages", "value": "12", "reason": "漏计"})
    clerk.post(act(a, "amend"), {"field": "kind", "value": "会议文件", "reason": "类型错"})
    a.refresh_from_db()
    assert (a.title, a.pages, a.kind) == ("更正后的标题", 12, "meeting_paper")

    r = clerk.post(act(b, "void"), {"reason": "重复登记"})
    assert r.status_code == 302
    b.refresh_from_db()
    assert b.status == Status.VOIDED


def test_report_lost_and_found(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    r = as_(w.zhang).post(act(carrier, "report-lost"), {"note": "会后找不到"})
    assert r.status_code == 302
    carrier.refresh_from_db()
    assert carrier.status == Status.LOST
    as_(w.clerk).post(act(carrier, "found"), {"place": ""})
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY and carrier.place == w.cabinet


# --- refusals: the rule id is shown, nothing changes, the refusal is audited -----------------------


def test_r_cr_17_circulating_beyond_the_unit_limit_is_refused_on_the_page(world, as_):
    w = world
    carrier = receive(w)
    before = snapshot(carrier)
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    r = as_(w.clerk).post(act(carrier, "circulate"), {"reader": w.zhang.pk, "due_date": due})
    html = r.content.decode()
    assert r.status_code == 403
    assert 'class="alert alert-danger' in html and "规则 CR-17" in html
    assert "个人不得长期保存涉密载体" in html
    assert snapshot(carrier) == before
    assert refused("carrier.circulate", "CR-17")


def test_r_cr_17_refusal_over_htmx_is_a_swappable_200(world, as_):
    w = world
    carrier = receive(w)
    before = snapshot(carrier)
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    r = as_(w.clerk).post(
        act(carrier, "circulate"), {"reader": w.zhang.pk, "due_date": due}, headers=HTMX
    )
    assert r.status_code == 200 and "规则 CR-17" in r.content.decode()
    assert 'id="act-circulate"' in r.content.decode()
    assert snapshot(carrier) == before


def test_r_cr_5_top_secret_must_come_back_the_same_day(world, as_):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    before = snapshot(carrier)
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = as_(w.clerk).post(act(carrier, "circulate"), {"reader": w.leader.pk, "due_date": due})
    assert r.status_code == 403 and "规则 CR-5" in r.content.decode()
    assert snapshot(carrier) == before
    assert refused("carrier.circulate", "CR-5")


def test_r_cr_15_top_secret_cannot_move_into_a_cabinet(world, as_):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET)
    before = snapshot(carrier)
    r = as_(w.clerk).post(act(carrier, "relocate"), {"place": w.cabinet.pk})
    assert r.status_code == 403 and "规则 CR-15" in r.content.decode()
    assert snapshot(carrier) == before
    assert refused("carrier.relocate", "CR-15")


def test_r_apr_3_copying_more_than_approved_is_refused(world, as_):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.COPY, [carrier], copies=1)
    before = snapshot(carrier)
    r = as_(w.clerk).post(act(carrier, "copy"), {"request": request.pk, "copies": 3})
    assert r.status_code == 403 and "规则 APR-3" in r.content.decode()
    assert snapshot(carrier) == before
    assert not Carrier.objects.filter(original=carrier).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert refused("carrier.copy", "APR-3")


def test_r_cr_4_a_reader_outside_the_scope_is_not_accepted(world, as_):
    w = world
    carrier = receive(w)
    before = snapshot(carrier)
    r = as_(w.clerk).post(act(carrier, "circulate"), {"reader": w.wang.pk})
    assert r.status_code == 422
    assert "选择一个有效的选项" in r.content.decode()
    assert snapshot(carrier) == before


def test_acknowledging_what_you_do_not_hold_is_forbidden(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    before = snapshot(carrier)
    r = as_(w.clerk).post(act(carrier, "acknowledge"))
    assert r.status_code == 403 and "只有载体" in r.content.decode()
    assert snapshot(carrier) == before
    assert refused("carrier.acknowledge", "forbidden")


def test_voiding_a_moved_carrier_is_refused_as_invalid_state(world, as_):
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.return_to_registry(w.clerk, carrier)
    before = snapshot(carrier)
    r = as_(w.clerk).post(act(carrier, "void"), {"reason": "想作废"})
    assert r.status_code == 409 and "状态不允许" in r.content.decode()
    assert snapshot(carrier) == before
    assert refused("carrier.void", "invalid_state")


def test_staff_cannot_run_clerk_actions_by_posting(world, as_):
    w = world
    carrier = receive(w)
    before = snapshot(carrier)
    r = as_(w.zhang).post(act(carrier, "relocate"), {"place": w.safe.pk})
    assert r.status_code == 403 and "只有本单位保密员" in r.content.decode()
    assert snapshot(carrier) == before
    assert refused("carrier.relocate", "forbidden")


def test_r_cl_8_amend_cannot_touch_the_level(world, as_):
    w = world
    carrier = receive(w)
    before = snapshot(carrier)
    r = as_(w.clerk).post(
        act(carrier, "amend"), {"field": "level", "value": "confidential", "reason": "降密"}
    )
    assert r.status_code == 422  # not even offered: level is not an amendable field
    assert snapshot(carrier) == before


# --- bad input: a form error, never a 500, nothing changed -----------------------------------------


@pytest.mark.parametrize(
    ("slug", "data"),
    [
        ("circulate", {}),
        ("circulate", {"reader": "abc"}),
        ("circulate", {"reader": "ZHANG", "due_date": "not-a-date"}),
        ("lend", {}),
        ("lend", {"request": "999999"}),
        ("take-out", {"request": "x"}),
        ("copy", {"request": "", "copies": "0"}),
        ("relocate", {}),
        ("relocate", {"place": "999999"}),
        ("amend", {"field": "pages", "value": "abc", "reason": "x"}),
        ("amend", {"field": "doc_date", "value": "2026-13-45", "reason": "x"}),
        ("amend", {"field": "kind", "value": "飞船", "reason": "x"}),
        ("amend", {"field": "title", "value": "", "reason": "x"}),
        ("amend", {"field": "title", "value": "新标题", "reason": ""}),
        ("void", {"reason": ""}),
        ("found", {"place": "abc"}),
    ],
)
def test_bad_input_is_a_form_error(world, as_, slug, data):
    w = world
    carrier = receive(w)
    before = snapshot(carrier)
    if "ZHANG" in data.values():
        data = {**data, "reader": w.zhang.pk}
    r = as_(w.clerk).post(act(carrier, slug), data)
    assert r.status_code in (403, 409, 422)
    html = r.content.decode()
    assert "alert-danger" in html and ("有误" in html or "状态" in html)
    assert snapshot(carrier) == before


def test_amend_with_the_same_value_is_an_input_error(world, as_):
    w = world
    carrier = receive(w, title="原标题")
    r = as_(w.clerk).post(
        act(carrier, "amend"), {"field": "title", "value": "原标题", "reason": "x"}
    )
    assert r.status_code == 422 and "新值与原值相同" in r.content.decode()


def test_unknown_action_and_invisible_carrier_are_404(world, as_):
    w = world
    carrier = receive(w)
    assert as_(w.clerk).post(act(carrier, "destroy-now"), {}).status_code == 404
    before = snapshot(carrier)
    r = as_(w.wang).post(act(carrier, "report-lost"), {"note": "x"})
    assert r.status_code == 404
    assert snapshot(carrier) == before
    assert CustodyEvent.objects.filter(carrier=carrier).count() == 1


def test_actions_need_post(world, as_):
    w = world
    carrier = receive(w)
    assert as_(w.clerk).get(act(carrier, "void")).status_code == 405


def test_holder_reports_a_loss_from_the_page_over_htmx(world, as_):
    w = world
    carrier = receive(w, scope_people=[w.li], scope_departments=[], level=Level.CONFIDENTIAL)
    actions.circulate(w.clerk, carrier, w.li)
    r = as_(w.li).post(act(carrier, "report-lost"), {"note": "丢了"}, headers=HTMX)
    carrier.refresh_from_db()
    assert carrier.status == Status.LOST and carrier.holder is None
    assert r.status_code == 200 and "已报失" in r.content.decode()
    assert "<html" not in r.content.decode()


def test_report_lost_note_too_long_is_a_form_error(world, as_):
    w = world
    carrier = receive(w)
    before = snapshot(carrier)
    r = as_(w.clerk).post(act(carrier, "report-lost"), {"note": "x" * 501})
    assert r.status_code == 422 and "提交的内容有误" in r.content.decode()
    assert snapshot(carrier) == before


# --- at scale: forms load when opened, the history is paged -----------------------------------


def test_action_forms_load_when_opened(world, as_):
    """The page carries each action's button and an HTMX loader, not the form with its pickers;
    the form comes from its own URL, and only for an action the viewer may take."""
    w = world
    carrier = receive(w)
    html = as_(w.clerk).get(page(carrier)).content.decode()
    assert 'data-action="circulate"' in html and "id_circulate_reader" not in html
    assert f'hx-get="{act(carrier, "circulate")}form/"' in html
    form = as_(w.clerk).get(act(carrier, "circulate") + "form/")
    assert form.status_code == 200 and "id_circulate_reader" in form.content.decode()
    # 归还 is not offered for a carrier in the registry; staff may take no action at all.
    assert as_(w.clerk).get(act(carrier, "return") + "form/").status_code == 404
    assert as_(w.zhang).get(act(carrier, "circulate") + "form/").status_code == 404


def test_history_shows_the_latest_events_and_offers_all(world, as_):
    from baomi.carriers.views import HISTORY_SHOWN

    w = world
    carrier = receive(w)
    for _ in range(HISTORY_SHOWN // 2 + 1):
        actions.circulate(w.clerk, carrier, w.zhang)
        actions.return_to_registry(w.clerk, carrier)
    html = as_(w.clerk).get(page(carrier)).content.decode()
    assert html.count("<tr data-event=") == HISTORY_SHOWN
    assert 'data-event="register"' not in html and "显示全部流转记录" in html
    full = as_(w.clerk).get(page(carrier) + "?history=all").content.decode()
    assert full.count("<tr data-event=") == HISTORY_SHOWN + 3
    assert 'data-event="register"' in full and "显示全部流转记录" not in full
