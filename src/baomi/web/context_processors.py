from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from baomi.org.choices import SystemRole


def is_leader(person) -> bool:
    """单位负责人, or an approver (APR-2): their work is the 看板 and 待我审批."""
    return bool(person.is_unit_head or person.authorities.exists())


def awaiting_me(person) -> int:
    """待我审批: the pending requests with a step waiting for this person."""
    from baomi.approvals.choices import RequestStatus, StepOutcome
    from baomi.approvals.models import ApprovalStep

    return (
        ApprovalStep.objects.filter(
            approver=person, outcome=StepOutcome.PENDING, request__status=RequestStatus.PENDING
        )
        .values("request_id")
        .distinct()
        .count()
    )


def may_approve(person) -> bool:
    """Who has an inbox: the unit head, 定密责任人, approvers, department heads (PER-2) — or anyone
    a request is waiting for. One query at most, remembered on the person for the request (the
    menu and the 看板 both ask)."""
    cached = getattr(person, "_may_approve", None)
    if cached is None:
        from django.db.models import Q

        from baomi.approvals.choices import RequestStatus, StepOutcome
        from baomi.org.models import Person

        cached = bool(person.is_unit_head or person.is_classifier) or (
            Person.objects.filter(pk=person.pk)
            .filter(
                Q(authorities__isnull=False)
                | Q(departments_headed__isnull=False)
                | Q(
                    approval_steps__outcome=StepOutcome.PENDING,
                    approval_steps__request__status=RequestStatus.PENDING,
                )
            )
            .exists()
        )
        person._may_approve = cached
    return cached


def navigation(request):
    """Which navigation entries the viewer gets: only what that person may use (issue 8).

    The three system roles see their console entries only and no carriers (SEC-3); a 非涉密
    person sees no 销毁清单, 交接 or 待我审批. `nav.alerts` is computed only when a page shows it:
    the alerts of `lib.alerts` for the viewer (overdue loans, 绝密 not back, periods ending…).
    """
    person = getattr(request, "person", None)
    if person is None:
        return {"nav": {}}
    business = not person.has_system_role and person.active
    cleared = business and person.clearance != "none"
    return {
        "nav": {
            "show_carriers": business,
            "show_dashboard": business,
            "show_register": business and person.is_registry_clerk,
            "show_approvals": business,
            "show_inbox": SimpleLazyObject(lambda: cleared and may_approve(person)),
            "show_destruction": cleared,
            "show_handover": cleared,
            "show_policies": business or person.system_role == SystemRole.SECADMIN,
            "show_audit": person.system_role == SystemRole.AUDITOR,
            "show_sysadmin_console": person.system_role == SystemRole.SYSADMIN,
            "show_secadmin_console": person.system_role == SystemRole.SECADMIN,
            "show_alerts": business,
            "show_assessments": SimpleLazyObject(lambda: _may_assess(person)),
            "alerts": SimpleLazyObject(lambda: alert_counts(person)) if business else None,
        }
    }


def alert_counts(person) -> dict:
    """The top bar's bell: every alert of `lib.alerts` for the viewer (each provider is a few
    queries), counted by kind with each kind's own words; `overdue` counts only carriers not
    back on time, as the dashboard does."""
    from baomi.lib.alerts import KIND_GROUPS, NOT_BACK, alerts_for, count_by_group

    alerts = alerts_for(person, timezone.localdate())
    overdue_count = sum(1 for a in alerts if KIND_GROUPS.get(a.kind) == NOT_BACK)
    pending = sum(1 for a in alerts if a.kind == "request_waiting")
    groups = count_by_group(alerts)
    return {
        "overdue": overdue_count,
        "pending": pending,
        "total": len(alerts),
        "groups": groups,
        "summary": "，".join(f"{name} {n} {measure}" for name, n, measure in groups),
    }


def _may_assess(person) -> bool:
    """INS-3: who reads or configures the yearly assessment (assessments.rules)."""
    from baomi.assessments.rules import may_configure, may_read

    return may_read(person) or may_configure(person)
