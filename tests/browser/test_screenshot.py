"""docs/screenshot-ledger.png: the 台账 at 1400×900 with demo data, as a 保密员 sees it.

The suite writes it to a temporary folder; to refresh the README's picture run
`BAOMI_UPDATE_SCREENSHOT=1 pytest tests/browser/test_screenshot.py`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-ledger.png"


def _demo_data() -> tuple[str, str]:
    """The demo office when the loader is there, else the test world with a few carriers."""
    try:
        from baomi.web.demo import DEMO_PASSWORD, load_demo
    except ImportError:
        load_demo = None
    if load_demo is not None:
        load_demo()
        return "baomiyuan", DEMO_PASSWORD
    from baomi.carriers import actions
    from tests.factories import build_world, receive

    w = build_world()
    for level in ("secret", "confidential", "top_secret", "secret", "confidential"):
        for carrier in receive(w, level=level, copies=3):
            if carrier.copy_no == 2 and level != "top_secret":
                actions.circulate(w.clerk, carrier, w.zhang)
    return "baomiyuan", PASSWORD


def test_screenshot_of_the_ledger(page, tmp_path):
    username, password = _demo_data()
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_url("**/carriers/**")
    # Carriers out with people first: holders, due dates and statuses side by side.
    page.goto(page.base_url + "/carriers/?sort=-due_date")
    page.wait_for_selector("table.ledger-table tbody tr")
    target = SCREENSHOT if os.environ.get("BAOMI_UPDATE_SCREENSHOT") else tmp_path / "ledger.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
