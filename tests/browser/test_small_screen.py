"""A 375 px terminal (issue 9, item 8): the left navigation collapses behind a menu button, the
menu opens and leads to 我持有的, and 签收 is on screen and works."""

from __future__ import annotations

import pytest

from baomi.carriers import actions
from tests.browser.test_lifecycle_flows import sign_in
from tests.factories import build_world, receive

pytestmark = pytest.mark.browser

WIDTH = 375


@pytest.fixture
def small_page(browser, live_server, committed_db):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 740}, locale="zh-CN", reduced_motion="reduce"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def test_at_375_px_the_menu_opens_and_acknowledge_is_on_screen(small_page):
    page = small_page
    w = build_world()
    carrier = actions.circulate(w.clerk, receive(w), w.zhang)
    sign_in(page, "zhangsan")
    page.goto(page.base_url + "/requests/")
    # The navigation is folded away; the page has the whole width.
    assert not page.locator("#app-nav a[href='/carriers/mine/']").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.click("#nav-toggle")
    page.wait_for_selector("#app-nav.show")
    page.click("#app-nav a[href='/carriers/mine/']")
    page.wait_for_url("**/carriers/mine/")
    button = page.locator(f"#holding-{carrier.pk} button:has-text('签收')")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    button.click()
    page.wait_for_selector(f"#holding-{carrier.pk} >> text=已签收")
    carrier.refresh_from_db()
    assert carrier.acknowledged_at is not None
