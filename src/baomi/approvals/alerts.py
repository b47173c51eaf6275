"""Alerts: requests waiting for me — the pending step addressed to me is the next to decide."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from baomi.approvals.choices import RequestStatus, StepOutcome
from baomi.approvals.models import ApprovalStep
from baomi.lib.alerts import Alert, provider

LIMIT = 200


@provider
def requests_waiting(person, today: date) -> list[Alert]:
    """One alert per request whose current step is mine (APR-2): one query."""
    if person is None or person.has_system_role or not person.active:
        return []
    earlier = ApprovalStep.objects.filter(
        request=OuterRef("request"), order__lt=OuterRef("order"), outcome=StepOutcome.PENDING
    )
    steps = (
        ApprovalStep.objects.filter(
            approver=person, outcome=StepOutcome.PENDING, request__status=RequestStatus.PENDING
        )
        .exclude(Exists(earlier))
        .select_related("request__requester")
        .order_by("request__created_at")[:LIMIT]
    )
    alerts = []
    for step in steps:
        request = step.request
        alerts.append(
            Alert(
                "request_waiting",
                f"{request.requester.name}的{request.get_kind_display()}申请 #{request.pk} "
                "等待您审批",
                reverse("approvals:detail", args=[request.pk]),
                "info",
                timezone.localtime(request.created_at).date(),
                "APR-2",
                "request",
                request.pk,
            )
        )
    return alerts
