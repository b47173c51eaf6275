"""看板: the carrier figures as cards, tables and charts, and the same figures as xlsx.

One view shape (style.md rule 9): parse the unit → `selectors.dashboard_scope` →
`selectors.carrier_statistics` → render. The three system roles and people out of post get 404:
for them there is no dashboard (SEC-3)."""

from __future__ import annotations

import functools

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import urlencode

from baomi.carriers.rules import today
from baomi.lib.errors import NotFound
from baomi.lib.htmx import render_page
from baomi.reports.exports import statistics_xlsx
from baomi.reports.oversight import oversight_for
from baomi.reports.selectors import (
    Scope,
    carrier_statistics,
    dashboard_scope,
    units_to_choose,
)
from baomi.web.context_processors import awaiting_me, may_approve
from baomi.web.views import not_found, person_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Counts name no carrier, but describe the unit's holdings: marked like the personnel register.
PAGE_MARKING = {"text": "内部", "level": "internal", "note": "（统计数字，不含载体内容）"}


def with_scope(view):
    """Resolve `?unit=` to the viewer's scope; anything they may not see is 404."""

    @functools.wraps(view)
    @person_required
    def wrapper(request, *args, **kwargs):
        raw = request.GET.get("unit", "")
        try:
            unit_id = int(raw) if raw else None
            scope = dashboard_scope(request.person, unit_id)
        except (ValueError, NotFound):
            return not_found(request)
        return view(request, scope, *args, **kwargs)

    return wrapper


@with_scope
def dashboard(request, scope: Scope):
    stats = carrier_statistics(scope, today())
    units = units_to_choose(scope)
    context = {
        "data": stats,
        "oversight": oversight_for(scope, units, today()),
        "units": units,
        "export_query": urlencode({"unit": scope.unit.pk}) if len(units) > 1 else "",
        "page_marking": PAGE_MARKING,
        "watermark_text": True,
        # issue 8: a leader lands here; what waits for them is counted on the page.
        "awaiting_me": awaiting_me(request.person) if may_approve(request.person) else 0,
    }
    return render_page(request, "reports/dashboard.html", context)


@with_scope
def export(request, scope: Scope):
    stats = carrier_statistics(scope, today())
    response = HttpResponse(statistics_xlsx(stats, request.person), content_type=XLSX)
    filename = f"carrier-statistics-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
