from django.utils import timezone
from django.utils.functional import SimpleLazyObject


def navigation(request):
    """Which navigation entries the viewer gets; the three system roles see no carriers (SEC-3).

    `nav.alerts` is computed only when a page shows it: the alerts of `lib.alerts` for the viewer
    (overdue loans, 绝密 not back, periods ending, stocktakes due, requests waiting…).
    """
    person = getattr(request, "person", None)
    if person is None:
        return {"nav": {}}
    business = not person.has_system_role
    return {
        "nav": {
            "show_carriers": business,
            "show_dashboard": business,
            "show_register": business and person.is_registry_clerk,
            "show_approvals": business,
            "show_audit": person.system_role == "auditor",
            "show_alerts": business,
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
