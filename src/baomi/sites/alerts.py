"""Alerts of the key places (SITE-2, SITE-3): a day's closing check missing the next morning, a
check that found something not in order, a visitor never signed out."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from baomi.lib.alerts import Alert, provider
from baomi.sites.selectors import (
    checks_visible_to,
    missing_checks,
    sites_visible_to,
    visits_visible_to,
)

LIMIT = 100


@provider
def closing_check_missing(person, today: date) -> list[Alert]:
    """SITE-3: every working day of the past week without a closing check, for the 保密员 and
    the site's own people."""
    alerts = []
    for site, day in missing_checks(sites_visible_to(person), today)[:LIMIT]:
        alerts.append(
            Alert(
                "closing_check_missing",
                f"{site.name} {day} 没有下班安全检查记录（SITE-3：最后离开的人员须检查电源、报警、门窗、保险柜）",
                reverse("sites:detail", args=[site.pk]),
                "overdue",
                day,
                "SITE-3",
                "keysite",
                site.pk,
            )
        )
    return alerts


@provider
def closing_check_problems(person, today: date) -> list[Alert]:
    """SITE-3: yesterday's or today's check recorded something not in order."""
    rows = checks_visible_to(person).filter(day__gte=today - timedelta(days=1))[:LIMIT]
    return [
        Alert(
            "closing_check_problem",
            f"{c.site.name} {c.day} 下班检查：{'、'.join(c.problems)}未确认（{c.note}）",
            reverse("sites:detail", args=[c.site_id]),
            "due_today",
            c.day,
            "SITE-3",
            "closingcheck",
            c.pk,
        )
        for c in rows
        if not c.all_ok
    ]


@provider
def visitors_not_signed_out(person, today: date) -> list[Alert]:
    """SITE-2: a visitor who entered before today and was never signed out."""
    rows = (
        visits_visible_to(person)
        .filter(left_at__isnull=True, entered_at__date__lt=today)
        .order_by("entered_at")[:LIMIT]
    )
    return [
        Alert(
            "visitor_not_signed_out",
            f"{v.site.name}来访 #{v.pk}（{v.organisation}）未登记离开（SITE-2）",
            reverse("sites:visits"),
            "overdue",
            v.entered_at.date(),
            "SITE-2",
            "visit",
            v.pk,
        )
        for v in rows
    ]
