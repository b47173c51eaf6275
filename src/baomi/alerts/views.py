"""The alerts page: everything the viewer should act on, most urgent first, each linking to
where to act (design.md: alerts are queries over due dates, computed when asked)."""

from __future__ import annotations

from django.shortcuts import render

from baomi.carriers.rules import today
from baomi.lib.alerts import alerts_for
from baomi.lib.htmx import render_page
from baomi.web.views import business_person_required

SEVERITY_LABELS = {
    "overdue": ("已逾期", "danger"),
    "due_today": ("今日到期", "warning"),
    "due_soon": ("即将到期", "info"),
    "info": ("待处理", "secondary"),
}


@business_person_required
def alert_list(request):
    rows = [
        (alert, *SEVERITY_LABELS.get(alert.severity, ("", "secondary")))
        for alert in alerts_for(request.person, today())
    ]
    return render_page(request, "alerts/list.html", {"rows": rows})


@business_person_required
def alert_count(request):
    """The top bar's bell, fetched after the page has loaded (hx-trigger="load"): the alert
    providers cost a few queries each, and no page should wait for them."""
    return render(request, "web/_alert_count.html")
