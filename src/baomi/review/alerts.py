"""Alerts of the review: submissions waiting for the viewer's decision (REV-1)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from baomi.lib.alerts import Alert, provider
from baomi.review import policies
from baomi.review.choices import WAITING_FOR, ReviewStatus
from baomi.review.selectors import reviews_visible_to


@provider
def reviews_waiting(person, today: date) -> list[Alert]:
    if not policies.is_business(person):
        return []
    waiting = reviews_visible_to(person).filter(status__in=list(WAITING_FOR))
    alerts = []
    for review in waiting.order_by("submitted_at")[:50]:
        stage = policies.offered_stage(person, review)
        if stage is None:
            continue
        alerts.append(
            Alert(
                kind="review_waiting",
                message=f"保密审查 #{review.pk} 待您办理：{ReviewStatus(review.status).label}",
                url=reverse("review:detail", args=[review.pk]),
                rule_id="REV-1",
                object_type="review",
                object_id=review.pk,
            )
        )
    return alerts
