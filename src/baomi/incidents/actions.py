"""The only writers of incidents (INC-1): report at once, report on to the 保密行政管理部门
within 24 hours. No action deletes or hides a report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from baomi.audit.trail import record
from baomi.carriers.rules import require_clerk
from baomi.classification.choices import Level
from baomi.incidents.choices import IncidentKind, IncidentState
from baomi.incidents.models import Incident
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise Invalid(f"请填写{label}（最多 {limit} 字）。", {field: [f"请填写{label}"]})
    return value


def open_incident_in(
    actor: Person,
    *,
    kind: str,
    summary: str,
    level: str,
    discovered_at: datetime,
    discovered_where: str,
    discovered_by: Person,
    devices: Iterable = (),
    carriers: Iterable = (),
) -> Incident:
    """Write the report inside the caller's transaction (a device check or media rule opens one
    as part of its own action)."""
    if actor.has_system_role:
        raise RuleViolation("SEC-3", "三员不得接触涉密事项，不能登记失泄密事件（SEC-3）。")
    if kind not in IncidentKind.values:
        raise Invalid("事件类型无效。", {"kind": ["事件类型无效"]})
    if level not in Level.values:
        raise Invalid("密级无效。", {"level": ["密级无效"]})
    if discovered_at > timezone.now():
        raise Invalid("发现时间不能晚于现在。", {"discovered_at": ["发现时间不能晚于现在"]})
    incident = Incident.objects.create(
        unit_id=actor.unit_id,
        kind=kind,
        summary=_text(summary, "summary", "事件概要", 500),
        level=level,
        discovered_at=discovered_at,
        discovered_where=_text(discovered_where, "discovered_where", "发现地点", 200),
        discovered_by=discovered_by,
        reported_by=actor,
        created_at=timezone.now(),
    )
    incident.devices.set(list(devices))
    incident.carriers.set(list(carriers))
    record("incident.open", actor, incident, after=incident.snapshot())
    return incident


@action("incident.open")
def open_incident(actor: Person, **fields) -> Incident:
    """INC-1: a suspected loss or leak is reported at once; anyone may report (no hiding)."""
    return open_incident_in(actor, **fields)


@action("incident.report_to_authority")
def report_to_authority(
    actor: Person, incident: Incident, *, reported_at: datetime | None = None, reference: str
) -> Incident:
    """INC-1: the report to the 保密行政管理部门 (due within 24 hours of discovery)."""
    require_clerk(actor, incident.unit_id, "上报失泄密事件")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.authority_reported_at is not None:
        raise InvalidState(
            f"{incident}已于 {timezone.localtime(incident.authority_reported_at):%Y-%m-%d %H:%M} 上报。",
            {"state": incident.state},
        )
    reported_at = reported_at or timezone.now()
    if reported_at < incident.discovered_at or reported_at > timezone.now():
        raise Invalid(
            "上报时间须在发现时间之后、现在之前。", {"reported_at": ["上报时间不在合理范围内"]}
        )
    before = incident.snapshot()
    incident.authority_reported_at = reported_at
    incident.authority_reference = _text(reference, "reference", "上报文号或方式", 200)
    incident.state = IncidentState.REPORTED
    incident.save(update_fields=["authority_reported_at", "authority_reference", "state"])
    record(
        "incident.report_to_authority",
        actor,
        incident,
        before=before,
        after={**incident.snapshot(), "late": reported_at > incident.report_due_at},
    )
    return incident
