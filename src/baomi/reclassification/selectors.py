"""Reads for reclassification: period ends (CL-9), the yearly review list (法23), notices, and
working days (CL-14). Set-based: a period's end is a date computed from the date of issue, so the
queries go through the few distinct period lengths in use instead of row by row."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.carriers.choices import LIVE
from baomi.carriers.models import Carrier
from baomi.carriers.policies import is_clerk_of
from baomi.classification.choices import STATE_SECRET_LEVELS, PeriodKind
from baomi.classification.periods import add_months, end_date
from baomi.lib.alerts import shared
from baomi.lib.clock import local_midnight
from baomi.org.models import Person
from baomi.reclassification.models import Notice, Reclassification, UnclearItem, UnclearState
from baomi.workdays.calendar import calendar_for

EARLIEST = date(1900, 1, 1)
REVIEW_INTERVAL_DAYS = 365
ENDING_WITHIN_DAYS = 90


def period_end(carrier: Carrier) -> date | None:
    """The last day of protection; None for 长期, conditions or no period (CL-9)."""
    return end_date(carrier.period, carrier.doc_date)


def classified(unit_id: int) -> QuerySet[Carrier]:
    """The unit's live state-secret carriers: what reviews and period ends are about."""
    return Carrier.objects.filter(unit_id=unit_id, status__in=LIVE, level__in=STATE_SECRET_LEVELS)


def ending_between(carriers: QuerySet[Carrier], start: date, end: date) -> QuerySet[Carrier]:
    """Carriers whose period ends on a day in [start, end]: one query for the distinct lengths,
    then one filter. Month-end clamping can admit a day too many; `period_end` is exact."""
    q = Q(period_kind=PeriodKind.DATE, period_until__range=(start, end))
    # order_by(): the model's default ordering would join DISTINCT and make one row per carrier —
    # an OR of one arm per carrier, which PostgreSQL's planner cannot get through at 100k rows.
    in_use = (
        carriers.filter(period_kind__in=(PeriodKind.YEARS, PeriodKind.MONTHS))
        .order_by()
        .values_list("period_kind", "period_years", "period_months")
        .distinct()
    )
    # The CL-9 and the import alerts both ask for the unit's lengths: once per alerts call.
    lengths = shared(("period_lengths", str(in_use.query)), lambda: set(in_use))
    arms = set()
    for kind, years, months in sorted(lengths, key=str):
        n = years * 12 if kind == PeriodKind.YEARS and years is not None else months
        if n is None or (kind, n) in arms:
            continue
        arms.add((kind, n))
        field = {"period_years": years} if kind == PeriodKind.YEARS else {"period_months": months}
        q |= Q(
            period_kind=kind,
            doc_date__range=(add_months(start, -n) - timedelta(days=3), add_months(end, -n)),
            **field,
        )
    return carriers.filter(q)


def expired(unit_id: int, today: date) -> list[Carrier]:
    """Live state-secret carriers whose period ended before today (自行解密, CL-9) — except
    those imported from an old ledger and not yet reviewed here (`awaiting_import_review`)."""
    candidates = ending_between(classified(unit_id), EARLIEST, today - timedelta(days=1))
    candidates = candidates.exclude(_imported_unreviewed())
    return [c for c in candidates.order_by("pk") if (period_end(c) or date.max) < today]


def _imported_unreviewed() -> Q:
    touched = Reclassification.objects.filter(carrier=OuterRef("pk"))
    return Q(import_batch__isnull=False) & ~Q(Exists(touched))


def awaiting_import_review(unit_id: int, today: date) -> list[Carrier]:
    """CL-9 for imported carriers: one whose period had already ended when its ledger was
    imported is not silently declassified by `baomi daily` — it waits here for a review
    (declassify, or keep it as reviewed) until a reclassification record exists."""
    candidates = ending_between(classified(unit_id), EARLIEST, today - timedelta(days=1))
    candidates = candidates.filter(_imported_unreviewed())
    return [c for c in candidates.order_by("pk") if (period_end(c) or date.max) < today]


def ending_soon(unit_id: int, today: date, days: int = ENDING_WITHIN_DAYS) -> QuerySet[Carrier]:
    return ending_between(classified(unit_id), today, today + timedelta(days=days))


def review_due(unit_id: int, today: date) -> QuerySet[Carrier]:
    """法23 每年审核: classified carriers registered over a year ago and not reviewed (nor
    reclassified) in the last twelve months."""
    since = local_midnight(today - timedelta(days=REVIEW_INTERVAL_DAYS))
    recent = Reclassification.objects.filter(carrier=OuterRef("pk"), at__gte=since)
    return classified(unit_id).filter(registered_at__lt=since).exclude(Exists(recent))


def review_due_count(unit_id: int, today: date) -> int:
    """`review_due(...).count()`, counted as the carriers registered over a year ago less those
    of them reviewed since: both counts are index reads, where the anti-join walked every one of
    a big unit's tens of thousands of old carriers."""
    since = local_midnight(today - timedelta(days=REVIEW_INTERVAL_DAYS))
    old = classified(unit_id).filter(registered_at__lt=since)
    reviewed = Reclassification.objects.filter(at__gte=since).values("carrier_id")
    return old.count() - old.filter(pk__in=reviewed).count()


def may_manage(person: Person, unit_id: int) -> bool:
    """Clerks run reclassification; 定密责任人 and the unit head take part in it."""
    return is_clerk_of(person, unit_id) or (
        person.unit_id == unit_id
        and person.active
        and not person.has_system_role
        and (person.is_classifier or person.is_unit_head)
    )


def notices_of(person: Person) -> QuerySet[Notice]:
    return Notice.objects.filter(person=person).select_related("carrier")


def unclear_pending(unit_id: int) -> QuerySet[UnclearItem]:
    return UnclearItem.objects.filter(unit_id=unit_id, state=UnclearState.PENDING).select_related(
        "carrier"
    )


def add_working_days(start: date, days: int, unit_id: int | None = None) -> date:
    """`start` plus `days` working days of the unit's calendar (CL-14): the State Council's
    holidays and make-up days, with the unit's corrections (`workdays`)."""
    return calendar_for(unit_id).add_working_days(start, days)
