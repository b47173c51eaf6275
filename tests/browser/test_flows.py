"""The main flows in a real browser: register → circulate → 签收 → request → approve → lend.

HTMX swaps, CSRF on HTMX posts, Bootstrap collapses and redirects are exercised for real here.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.approvals.models import Request
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from tests.factories import PASSWORD, build_world, receive

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/(carriers|requests|audit|dashboard|console)/"))


def open_action(page, name):
    """Open an action's form on the carrier page and wait until it is fully shown."""
    page.click(f"button[data-action={name}]")
    page.wait_for_selector(f"#act-{name}.collapse.show")


def sign_out(page):
    page.click("header form button[type=submit]")
    page.wait_for_url(re.compile(r"/login/"))


def test_register_circulate_acknowledge_request_approve_lend(page):
    w = build_world()

    # 保密员 registers two copies.
    sign_in(page, "baomiyuan")
    page.click("nav a[href='/carriers/register/']")
    page.fill("#id_title", "关于开展年度保密检查的通知")
    page.fill("#id_issuer", "XX省保密局")
    page.fill("#id_doc_number", "X保发〔2026〕9号")
    page.fill("#id_doc_date", "2026-01-12")
    page.fill("#id_marking", "机密★10年")
    page.fill("#id_copies", "2")
    page.select_option("#id_place", str(w.cabinet.pk))
    page.select_option("#id_scope_departments", [str(w.office.pk)])
    page.click("form.register-form button[type=submit]")
    page.wait_for_url(re.compile(r"/carriers/\?q="))
    first, second = Carrier.objects.order_by("copy_no")
    assert page.locator(".alert-success").inner_text().startswith("已登记 2 份")
    assert page.locator(f"tr[data-carrier='{first.pk}']").count() == 1
    assert first.marking == "机密★10年"
    assert "机密" in page.locator(".marking-banner").inner_text()

    # ...and circulates copy 1 to 张三 (an HTMX post inside a Bootstrap collapse).
    page.click(f"tr[data-carrier='{first.pk}'] a.carrier-number")
    open_action(page, "circulate")
    page.select_option("#id_circulate_reader", str(w.zhang.pk))
    page.click("#act-circulate button[type=submit]")
    page.wait_for_selector("text=已传阅给张三")
    assert page.locator("#carrier-holder").inner_text() == "张三"
    first.refresh_from_db()
    assert first.status == Status.CIRCULATING and first.holder == w.zhang
    sign_out(page)

    # 张三 acknowledges in 我持有的: the row swaps in place.
    sign_in(page, "zhangsan")
    assert page.url.endswith("/carriers/mine/")
    page.click(f"#holding-{first.pk} button[type=submit]")
    page.wait_for_selector(f"#holding-{first.pk} >> text=已签收")
    first.refresh_from_db()
    assert first.acknowledged_at is not None

    # ...and asks to borrow copy 2.
    page.goto(f"{page.base_url}/carriers/{second.pk}/")
    page.click(f"a[href*='carrier={second.pk}'][href*='kind=loan']")
    assert page.input_value("#id_carriers") == second.label
    page.fill("#id_reason", "起草年度总结")
    page.select_option("#id_approver", str(w.leader.pk))
    page.fill("#id_due_date", (timezone.localdate() + timedelta(days=5)).isoformat())
    page.click("form.request-form button[type=submit]")
    page.wait_for_selector("text=已提交")
    request = Request.objects.get()
    sign_out(page)

    # 领导 sees it counted in the top bar and approves it from the inbox.
    sign_in(page, "lingdao")
    assert page.locator("[data-alert-count]").inner_text() == "1"
    page.click("nav a[href='/requests/inbox/']")
    page.click(f"#request-table a[href='/requests/{request.pk}/']")
    page.click("button[value=approve]")
    page.wait_for_selector("text=已批准申请")
    assert page.locator("#request-status").inner_text() == "已批准"
    sign_out(page)

    # 保密员 lends copy 2 against the approval.
    sign_in(page, "baomiyuan")
    page.goto(f"{page.base_url}/carriers/{second.pk}/")
    open_action(page, "lend")
    page.select_option("#id_lend_request", str(request.pk))
    page.click("#act-lend button[type=submit]")
    page.wait_for_selector("text=已借出给张三")
    second.refresh_from_db()
    assert second.status == Status.ON_LOAN and second.holder == w.zhang


def test_a_refusal_is_shown_in_red_with_its_rule_and_changes_nothing(page):
    w = build_world()
    carrier = receive(w)
    sign_in(page, "baomiyuan")
    page.goto(f"{page.base_url}/carriers/{carrier.pk}/")
    open_action(page, "circulate")
    page.select_option("#id_circulate_reader", str(w.zhang.pk))
    page.fill("#id_circulate_due_date", (timezone.localdate() + timedelta(days=90)).isoformat())
    page.click("#act-circulate button[type=submit]")
    alert = page.locator(".refusal")
    alert.wait_for()
    assert "规则 CR-17" in alert.inner_text()
    carrier.refresh_from_db()
    assert carrier.status == Status.IN_REGISTRY


def test_ledger_filter_swaps_only_the_table_and_pushes_the_url(page):
    w = build_world()
    secret = receive(w, title="机密的通知")
    receive(w, level="confidential", title="秘密的通知")
    sign_in(page, "baomiyuan")
    page.goto(page.base_url + "/carriers/")
    page.evaluate("document.body.dataset.marker = 'same-page'")
    page.select_option("select[name=level]", "secret")
    page.wait_for_url(re.compile(r"level=secret"))
    page.wait_for_selector("text=共 1 件")
    assert page.evaluate("document.body.dataset.marker") == "same-page"  # no full reload
    assert page.locator(f"tr[data-carrier='{secret.pk}']").count() == 1
    page.fill("input[name=q]", "没有这个")
    page.wait_for_selector("text=没有符合条件的载体")
    assert page.locator(".marking-banner").count() == 0
