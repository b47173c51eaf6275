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


# Every chart box of the page for a unit's 保密办: the carrier charts and issue 12's oversight.
ALL_CHARTS = ("by-level", "by-status", "overdue", "trend", "findings", "coverage", "device-checks")

# True when the chart's canvas has a size and at least one painted pixel.
CANVAS_PAINTED = """box => {
  const canvas = box.querySelector("canvas");
  if (!canvas || !canvas.width || !canvas.height) return false;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
}"""


def test_the_oversight_charts_are_drawn_and_nothing_leaves_the_machine(page):
    """Issue 12: the dashboard with its findings, coverage and device-check charts drawn (each
    canvas painted), the overdue rectification highlighted, and every request the page makes
    going to the live server — anything else is aborted and fails the test (SEC-6)."""
    from urllib.parse import urlsplit

    from tests.reports.oversight_helpers import build_oversight

    w = build_world()
    receive(w, level=Level.SECRET, copies=2)
    build_oversight(w)
    local = urlsplit(page.base_url).netloc
    outside: list[str] = []
    served: list[str] = []

    def only_local(route):
        url = route.request.url
        if urlsplit(url).netloc == local:
            served.append(url)
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.context.route("**/*", only_local)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, "baomiyuan")
    page.goto(page.base_url + "/dashboard/")
    page.wait_for_selector("[data-chart='device-checks']:not(.d-none) canvas")
    for name in ALL_CHARTS:
        box = page.locator(f"[data-chart='{name}']")
        box.locator("canvas").wait_for()
        # ECharts paints on the next animation frame: wait for the pixels, not a fixed delay.
        page.wait_for_function(
            f"() => ({CANVAS_PAINTED})(document.querySelector(\"[data-chart='{name}']\"))"
        )
        assert box.evaluate(CANVAS_PAINTED), name
    assert page.locator("[data-figure='incidents_open']").inner_text() == "3"
    assert page.locator("#table-deadlines tr.table-danger").count() >= 1
    assert any("/static/vendor/echarts/" in url for url in served)
    assert outside == []
    assert errors == []
