"""Reads that respect the viewer's level and role (PER-1, style.md rule 7).

A reviewer never sees a submission above their level: it is not in `reviews_visible_to`, so its
page and API answer 404 as for an unknown id.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.classification.choices import Level, clearance_covers
from baomi.org.models import ApprovalAuthority, Person
from baomi.review.choices import REVIEW_AUTHORITY
from baomi.review.models import Review, ReviewScan, TermList, TermListVersion
from baomi.review.policies import is_business


def covered_levels(person: Person) -> list[str]:
    return [lv for lv in Level.values if clearance_covers(person.clearance, lv)]


def reviews_visible_to(person: Person) -> QuerySet[Review]:
    """The author's own; the named first reviewer's; every item of the unit for those who sign
    off (unit head, "review" authority) or keep the register (保密员) — all within the viewer's
    level."""
    if not is_business(person):
        return Review.objects.none()
    mine = Q(author=person) | Q(first_reviewer=person)
    if person.is_unit_head or person.is_registry_clerk:
        role = Q(pk__isnull=False)
    else:
        authority = ApprovalAuthority.objects.filter(person=person, kind=REVIEW_AUTHORITY)
        role = Q(pk__isnull=False) if authority.exists() else Q(pk__isnull=True)
    return Review.objects.filter(
        mine | role, unit_id=person.unit_id, level__in=covered_levels(person)
    )


def review_for(person: Person, pk: int) -> Review | None:
    return (
        reviews_visible_to(person)
        .select_related("author", "department", "first_reviewer", "unit", "published_by")
        .filter(pk=pk)
        .first()
    )


def term_list_of(unit_id: int) -> TermList | None:
    return TermList.objects.filter(unit_id=unit_id).first()


def current_version(unit_id: int) -> TermListVersion | None:
    return TermListVersion.objects.filter(term_list__unit_id=unit_id).order_by("-number").first()


def versions_of(unit_id: int) -> QuerySet[TermListVersion]:
    used = ReviewScan.objects.filter(term_version=OuterRef("pk"))
    return (
        TermListVersion.objects.filter(term_list__unit_id=unit_id)
        .select_related("created_by")
        .annotate(used=Exists(used))
        .order_by("-number")
    )
