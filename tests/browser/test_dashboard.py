"""The 看板 in a real browser: dashboard.js draws the four charts from #dashboard-data with the
vendored ECharts, without a script error; the tables stay as they are."""

from __future__ import annotations

import pytest

from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from tests.browser.test_flows import sign_in
from tests.factories import build_world, receive

pytestmark = pytest.mark.browser


def test_the_charts_are_drawn_from_the_page_data(page):
    w = build_world()
    made = receive(w, level=Level.SECRET, copies=3)
    receive(w, level=Level.TOP_SECRET)
    carriers.circulate(w.clerk, made[0], w.zhang)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, "baomiyuan")
    page.click("nav a[href='/dashboard/']")
    page.wait_for_selector("[data-chart='trend']:not(.d-none) canvas")
    for name in ("by-level", "by-status", "overdue", "trend"):
        box = page.locator(f"[data-chart='{name}']")
        assert box.get_attribute("aria-hidden") == "true"
        assert box.locator("canvas").count() == 1, name
    assert page.locator("[data-figure='carriers_total']").inner_text() == "4"
    assert errors == []
