"""Alerts for 涉密人员 (PER-3 re-review, PER-4 training, PER-5 脱密期 ending, PER-7 report),
shown to the unit's 保密办 — people's names and dates only."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import OuterRef, Subquery

from baomi.lib.alerts import Alert, provider, url_of
from baomi.personnel.choices import TravelStatus
from baomi.personnel.models import TravelAbroad, Vetting
from baomi.personnel.rules import is_office
from baomi.personnel.selectors import on_ledger

SOON = 30


def _url(person_id: int) -> str:
    return url_of("personnel:detail")(person_id)


def _severity(due: date, today: date) -> str:
    if due < today:
        return "overdue"
    return "due_today" if due == today else "due_soon"


@provider
def vetting_re_review_due(person, today: date) -> list[Alert]:
    """条例50: periodic re-review of cleared people (PER-3)."""
    if not is_office(person, person.unit_id):
        return []
    # The latest vetting per person (by date, then entry), judged in SQL: only the people due
    # come back, not the whole ledger with every vetting.
    latest = Vetting.objects.filter(person=OuterRef("pk")).order_by("-on", "-id")
    rows = (
        on_ledger(person.unit_id, today)
        .filter(active=True)
        .annotate(next_review=Subquery(latest.values("next_review_on")[:1]))
        .filter(next_review__lte=today + timedelta(days=SOON))
        .values_list("pk", "name", "next_review")
    )
    url = url_of("personnel:detail")
    return [
        Alert(
            "vetting_re_review",
            f"{name}的保密审查应于 {due} 复审",
            url(pk),
            _severity(due, today),
            due,
            "PER-3",
            "person",
            pk,
        )
        for pk, name, due in rows
    ]


@provider
def training_missing(person, today: date) -> list[Alert]:
    """PER-4: no training recorded in the last 12 months."""
    if not is_office(person, person.unit_id):
        return []
    since = today - timedelta(days=365)
    url = url_of("personnel:detail")
    # Names and ids only: a big unit has thousands on its ledger, and a model instance (with
    # its unit and department) per alert cost ten times the query.
    rows = (
        on_ledger(person.unit_id, today)
        .filter(active=True)
        .exclude(trainings__on__gt=since)
        .values_list("pk", "name")
    )
    return [
        Alert(
            "training_missing",
            f"{name}近12个月没有保密培训记录",
            url(pk),
            "overdue",
            None,
            "PER-4",
            "person",
            pk,
        )
        for pk, name in rows
    ]


@provider
def travel_report_missing(person, today: date) -> list[Alert]:
    """PER-7 / 条例52: back from abroad without a report."""
    travels = TravelAbroad.objects.filter(
        status=TravelStatus.ABROAD, return_on__lt=today, person__unit_id=person.unit_id
    ).select_related("person")
    if not is_office(person, person.unit_id):
        travels = travels.filter(person=person)
    return [
        Alert(
            "travel_report_missing",
            f"{t.person.name}已于 {t.return_on} 回国，尚未提交回国报告",
            _url(t.person_id),
            "overdue",
            t.return_on,
            "PER-7",
            "travelabroad",
            t.pk,
        )
        for t in travels
    ]


@provider
def cooling_off_ending(person, today: date) -> list[Alert]:
    """PER-5: a 脱密期 ends within 30 days."""
    if not is_office(person, person.unit_id):
        return []
    return [
        Alert(
            "cooling_off_ending",
            f"{p.name}的脱密期将于 {p.on_cooling_off_until} 届满",
            _url(p.pk),
            _severity(p.on_cooling_off_until, today),
            p.on_cooling_off_until,
            "PER-5",
            "person",
            p.pk,
        )
        for p in on_ledger(person.unit_id, today).filter(
            active=False, on_cooling_off_until__lte=today + timedelta(days=SOON)
        )
    ]
