"""Reading the dashboard's figures back out of the page, the API and the selector."""

from __future__ import annotations

import json
import re

from django.utils import timezone

from baomi.reports.selectors import carrier_statistics, dashboard_scope

DATA = re.compile(r'<script id="dashboard-data" type="application/json">(.*?)</script>', re.S)


def stats_for(person, unit_id: int | None = None) -> dict:
    return carrier_statistics(dashboard_scope(person, unit_id), timezone.localdate())


def per_level(stats: dict, column: str = "total") -> dict[str, int]:
    return {row["level"]: row[column] for row in stats["by_level"]}


def per_status(stats: dict) -> dict[str, int]:
    """Only the statuses that have carriers."""
    return {row["status"]: row["count"] for row in stats["by_status"] if row["count"]}


def page_data(response) -> dict:
    """The figures the page hands to dashboard.js through json_script."""
    found = DATA.search(response.content.decode())
    assert found, "no #dashboard-data on the page"
    return json.loads(found.group(1))


OVERSIGHT = re.compile(r'<script id="oversight-data" type="application/json">(.*?)</script>', re.S)


def oversight_data(response) -> dict | None:
    """The oversight figures (issue 12) the page hands to dashboard.js; None when not shown."""
    found = OVERSIGHT.search(response.content.decode())
    return json.loads(found.group(1)) if found else None
