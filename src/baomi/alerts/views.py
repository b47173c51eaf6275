"""The alerts page: everything the viewer should act on, most urgent first, each linking to
where to act (design.md: alerts are queries over due dates, computed when asked)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from baomi.carriers.rules import today
from baomi.lib.alerts import alerts_for, count_by_group
from baomi.lib.htmx import render_page
from baomi.web.views import business_person_required

SEVERITY_LABELS = {
    "overdue": ("已逾期", "danger"),
    "due_today": ("今日到期", "warning"),
    "due_soon": ("即将到期", "info"),
    "info": ("待处理", "secondary"),
}


# A big unit's 保密办 has thousands of alerts (every person without training): one page of them
# rendered in full was a megabyte of HTML and most of the page's time. The counts by group head
# the page, so nothing on a later page goes unseen.
PER_PAGE = 100


@business_person_required
def alert_list(request):
    alerts = alerts_for(request.person, today())
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (alert, *SEVERITY_LABELS.get(alert.severity, ("", "secondary")))
        for alert in page.object_list
    ]
    context = {"rows": rows, "page_obj": page, "groups": count_by_group(alerts)}
    return render_page(request, "alerts/list.html", context)


@business_person_required
def alert_count(request):
    """The top bar's bell, fetched after the page has loaded (hx-trigger="load"): the alert
    providers cost a few queries each, and no page should wait for them."""
    return render(request, "web/_alert_count.html")
