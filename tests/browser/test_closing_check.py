"""The closing check at the door terminal (SITE-3): 375×812, touch, one screen, no horizontal
scrolling, five taps and one button."""

from __future__ import annotations

import re
import time

import pytest

from baomi.sites.models import ClosingCheck
from tests.factories import PASSWORD, build_world
from tests.sites.helpers import registry_room

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 375, 812
ITEMS = ("power_off", "alarm_on", "windows_closed", "doors_locked", "safes_locked")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        " && document.body.scrollWidth <= window.innerWidth"
    )


def test_closing_check_at_375_without_horizontal_scrolling(browser, live_server, committed_db):
    w = build_world()
    site = registry_room(w)  # 钱领导 works in the 机要室
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        has_touch=True,
        locale="zh-CN",
        reduced_motion="reduce",
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login/")
        page.fill("#id_username", "lingdao")
        page.fill("#id_password", PASSWORD)
        page.click("form button[type=submit]")
        # Each role lands where its work is (the leader: the 看板); any page but the login.
        page.wait_for_url(lambda url: "/login/" not in url)

        started = time.monotonic()
        page.goto(live_server.url + "/sites/closing-check/")
        page.wait_for_url(re.compile(rf"/sites/{site.pk}/closing-check/$"))
        assert no_horizontal_scroll(page)
        # One screen: the button is visible without scrolling; every target is finger-sized.
        submit = page.locator("#closing-check button[type=submit]").bounding_box()
        assert submit["y"] + submit["height"] <= HEIGHT
        for name in ITEMS:
            box = page.locator(f"label[for=c-{name}]").bounding_box()
            assert box["height"] >= 44 and box["width"] >= WIDTH * 0.8, (name, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (name, box)
            page.tap(f"label[for=c-{name}]")
            assert page.is_checked(f"#c-{name}")
        page.tap("#closing-check button[type=submit]")
        page.wait_for_selector(".alert-success")
        elapsed = time.monotonic() - started
        assert elapsed < 30, elapsed
        assert "全部正常" in page.locator(".alert-success").inner_text()
        assert no_horizontal_scroll(page)
        check = ClosingCheck.objects.get()
        assert check.all_ok and check.checked_by == w.leader and check.site == site
    finally:
        context.close()
