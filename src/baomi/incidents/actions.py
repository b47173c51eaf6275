"""The only writers of incidents (INC-1): report at once; report on to the 保密行政管理部门
within 24 hours; link the carriers concerned (a loss marks them lost, through the carriers' own
`report_lost`); investigate in an append-only record; close by the 保密委员会 only with cause
and responsibility decided. No action deletes or hides a report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from baomi.audit.trail import record
from baomi.carriers import actions as carrier_actions
from baomi.carriers.choices import LIVE, Status
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.incidents.choices import MARKS_CARRIERS_LOST, EntryKind, IncidentKind, IncidentState
from baomi.incidents.models import Incident, IncidentEntry
from baomi.incidents.policies import may_close, may_handle, may_investigate
from baomi.incidents.selectors import lost_in
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.models import Person

REPORT_TEXT_LIMIT = 5000


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise Invalid(f"请填写{label}（最多 {limit} 字）。", {field: [f"请填写{label}"]})
    return value


def _optional(value: str, field: str, label: str, limit: int = REPORT_TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise Invalid(f"{label}最多 {limit} 字。", {field: [f"{label}最多 {limit} 字"]})
    return value


def _lock(incident: Incident) -> Incident:
    # Two people acting on one report at once (a note while the committee closes it) serialise.
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _require_not_closed(incident: Incident, doing: str) -> None:
    if incident.is_closed:
        raise InvalidState(f"{incident}已结案，不能再{doing}。", {"state": incident.state})


def _entry(actor: Person, incident: Incident, kind: str, text: str = "", carrier=None):
    return IncidentEntry.objects.create(
        incident=incident,
        kind=kind,
        text=text,
        carrier=carrier,
        author=actor,
        created_at=clock.now(),
    )


def _mark_lost(actor: Person, incident: Incident, carriers: Iterable) -> list[str]:
    """INC-1: lost carriers are marked lost — through the carriers' own action, so the custody
    history and its audit event are the ledger's usual ones."""
    labels = []
    for carrier in carriers:
        carrier.refresh_from_db(fields=["status", "holder", "place"])
        if carrier.status in LIVE:
            carrier_actions.report_lost(actor, carrier, note=f"失泄密事件 #{incident.pk}（INC-1）")
        elif carrier.status != Status.LOST:
            raise InvalidState(
                f"载体 {carrier.label} 当前状态为{carrier.get_status_display()}，不能作为丢失载体"
                "关联到事件。",
                {"status": carrier.status, "carrier": carrier.pk},
            )
        if incident.pk not in lost_in(carrier.pk):
            _entry(actor, incident, EntryKind.CARRIER_LOST, carrier=carrier)
        labels.append(carrier.label)
    return labels


def _require_own_unit(unit_id: int, carriers: list, devices: list) -> None:
    if any(c.unit_id != unit_id for c in carriers):
        raise Invalid("载体不属于本单位。", {"carrier_ids": ["载体不属于本单位"]})
    if any(d.unit_id != unit_id for d in devices):
        raise Invalid("设备不属于本单位。", {"device_ids": ["设备不属于本单位"]})


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
    information: str = "",
    how: str = "",
    harm: str = "",
    remedies: str = "",
    stocktake=None,
) -> Incident:
    """Write the report inside the caller's transaction (a device check, a media rule or a
    stocktake opens one as part of its own action). A report from a stocktake is a draft."""
    if actor.has_system_role:
        raise RuleViolation("SEC-3", "三员不得接触涉密事项，不能登记失泄密事件（SEC-3）。")
    if kind not in IncidentKind.values:
        raise Invalid("事件类型无效。", {"kind": ["事件类型无效"]})
    if level not in Level.values:
        raise Invalid("密级无效。", {"level": ["密级无效"]})
    if discovered_at > clock.now():
        raise Invalid("发现时间不能晚于现在。", {"discovered_at": ["发现时间不能晚于现在"]})
    carriers, devices = list(carriers), list(devices)
    _require_own_unit(actor.unit_id, carriers, devices)
    incident = Incident.objects.create(
        unit_id=actor.unit_id,
        kind=kind,
        summary=_text(summary, "summary", "事件概要", 500),
        level=level,
        discovered_at=discovered_at,
        discovered_where=_text(discovered_where, "discovered_where", "发现地点", 200),
        discovered_by=discovered_by,
        reported_by=actor,
        created_at=clock.now(),
        information=_optional(information, "information", "涉及的信息"),
        how=_optional(how, "how", "事件经过"),
        harm=_optional(harm, "harm", "危害及后果"),
        remedies=_optional(remedies, "remedies", "补救措施"),
        stocktake=stocktake,
        state=IncidentState.DRAFT if stocktake is not None else IncidentState.OPEN,
    )
    incident.devices.set(devices)
    incident.carriers.set(carriers)
    if kind in MARKS_CARRIERS_LOST and stocktake is None:
        _mark_lost(actor, incident, carriers)
    record("incident.open", actor, incident, after=incident.snapshot())
    return incident


@action("incident.open")
def open_incident(actor: Person, **fields) -> Incident:
    """INC-1: a suspected loss or leak is reported at once; anyone may report (no hiding).
    The carriers of a loss are marked lost — by their holder or the 保密员 (carriers' rule)."""
    return open_incident_in(actor, **fields)


def open_stocktake_draft_in(actor: Person, stocktake, missing: list) -> Incident:
    """CR-14: a count that closed with items missing opens a loss report as a draft listing
    them; the 24-hour clock (INC-1) runs from the close, when the loss was discovered."""
    highest = max((c.level for c in missing), key=lambda level: LEVEL_RANK[level])
    return open_incident_in(
        actor,
        kind=IncidentKind.LOSS,
        summary=f"清查 #{stocktake.pk}（{stocktake.scope_text}）结束时有 {len(missing)} 件载体"
        "未找到（CR-14）",
        level=highest,
        discovered_at=stocktake.closed_at,
        discovered_where=f"清查：{stocktake.scope_text}",
        discovered_by=actor,
        carriers=missing,
        stocktake=stocktake,
    )


@action("incident.confirm")
def confirm_draft(actor: Person, incident: Incident, *, still_missing=None, note: str = ""):
    """CR-14 → INC-1: the 保密办 confirms a stocktake's draft. The carriers still missing are
    marked lost; those that turned up on a re-check stay listed with a note (never dropped)."""
    if not may_handle(actor, incident.unit_id):
        raise Forbidden("只有本单位保密办（保密员）可以确认清查发现的事件。")
    incident = _lock(incident)
    if incident.state != IncidentState.DRAFT:
        raise InvalidState(f"{incident}不是待确认的草稿。", {"state": incident.state})
    listed = list(incident.carriers.order_by("number", "copy_no"))
    wanted = listed if still_missing is None else [c for c in listed if c in set(still_missing)]
    if still_missing is not None and len(wanted) != len(set(still_missing)):
        raise Invalid("只能从草稿所列载体中选择。", {"carrier_ids": ["有载体不在草稿清单中"]})
    before = incident.snapshot()
    lost = _mark_lost(actor, incident, wanted)
    turned_up = [c.label for c in listed if c not in wanted]
    text = "；".join(
        p
        for p in (
            f"确认丢失：{'、'.join(lost)}" if lost else "复查全部找到",
            f"复查已找到：{'、'.join(turned_up)}" if turned_up else "",
            _optional(note, "note", "说明", 500),
        )
        if p
    )
    _entry(actor, incident, EntryKind.CONFIRMED, text)
    incident.state = (
        IncidentState.REPORTED if incident.authority_reported_at else IncidentState.OPEN
    )
    incident.save(update_fields=["state"])
    record(
        "incident.confirm",
        actor,
        incident,
        before=before,
        after={**incident.snapshot(), "lost": len(lost), "turned_up": len(turned_up)},
    )
    return incident


@action("incident.report_to_authority")
def report_to_authority(
    actor: Person, incident: Incident, *, reported_at: datetime | None = None, reference: str
) -> Incident:
    """INC-1: the report to the 保密行政管理部门 (due within 24 hours of discovery)."""
    if not may_handle(actor, incident.unit_id):
        raise Forbidden("只有本单位保密办（保密员）可以上报失泄密事件。")
    incident = _lock(incident)
    if incident.authority_reported_at is not None:
        raise InvalidState(
            f"{incident}已于 {timezone.localtime(incident.authority_reported_at):%Y-%m-%d %H:%M} 上报。",
            {"state": incident.state},
        )
    now = clock.now()
    reported_at = reported_at or now
    if reported_at < incident.discovered_at or reported_at > now:
        raise Invalid(
            "上报时间须在发现时间之后、现在之前。", {"reported_at": ["上报时间不在合理范围内"]}
        )
    before = incident.snapshot()
    incident.authority_reported_at = reported_at
    incident.authority_reference = _text(reference, "reference", "上报文号或方式", 200)
    if incident.state == IncidentState.OPEN:
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


@action("incident.link_carriers")
def link_carriers(actor: Person, incident: Incident, carriers: Iterable) -> Incident:
    """Add carriers to a report. In a loss they are marked lost at once (INC-1)."""
    if not may_handle(actor, incident.unit_id):
        raise Forbidden("只有本单位保密办（保密员）可以关联涉及的载体。")
    incident = _lock(incident)
    _require_not_closed(incident, "关联载体")
    carriers = list(carriers)
    if not carriers:
        raise Invalid("请选择载体。", {"carrier_ids": ["请至少选择一件载体"]})
    _require_own_unit(incident.unit_id, carriers, [])
    before = incident.snapshot()
    incident.carriers.add(*carriers)
    if incident.kind in MARKS_CARRIERS_LOST and incident.state != IncidentState.DRAFT:
        _mark_lost(actor, incident, carriers)
    record("incident.link_carriers", actor, incident, before=before, after=incident.snapshot())
    return incident


@action("incident.add_entry")
def add_entry(actor: Person, incident: Incident, *, kind: str, text: str) -> IncidentEntry:
    """An investigation note or a remedy taken — appended, never edited (INC-1)."""
    if not may_investigate(actor, incident.unit_id):
        raise Forbidden("只有本单位保密办或保密委员会成员可以记录调查情况。")
    if kind not in (EntryKind.NOTE, EntryKind.REMEDY):
        raise Invalid("记录类型无效。", {"kind": ["只能记录调查情况或补救措施"]})
    incident = _lock(incident)
    _require_not_closed(incident, "追加记录")
    entry = _entry(actor, incident, kind, _text(text, "text", "记录内容", REPORT_TEXT_LIMIT))
    record("incident.add_entry", actor, incident, after={"entry": entry.pk, "kind": kind})
    return entry


@action("incident.close")
def close_incident(
    actor: Person,
    incident: Incident,
    *,
    cause: str,
    responsibility: str,
    responsible_person: Person | None = None,
) -> Incident:
    """INC-1: the 保密委员会 closes a report once it has been reported on to the 保密行政管理部门
    and its cause is analysed and responsibility decided (who, and what follows)."""
    if not may_close(actor, incident.unit_id):
        raise Forbidden("只有本单位保密委员会成员可以结案。")
    incident = _lock(incident)
    _require_not_closed(incident, "结案")
    if incident.state == IncidentState.DRAFT:
        raise InvalidState(
            f"{incident}是清查发现的草稿，须由保密办确认后才能结案。", {"state": incident.state}
        )
    cause, responsibility = (cause or "").strip(), (responsibility or "").strip()
    missing = [
        label for label, value in (("原因", cause), ("责任认定", responsibility)) if not value
    ]
    if missing:
        raise RuleViolation(
            "INC-1",
            f"{incident}未{'、'.join(missing)}，不能结案（INC-1：失泄密事件须查明原因、认定责任）。",
            {"missing": missing},
        )
    if incident.authority_reported_at is None:
        raise RuleViolation(
            "INC-1",
            f"{incident}尚未上报保密行政管理部门，不能结案（INC-1：不得瞒报）。",
            {"state": incident.state},
        )
    if responsible_person is not None and responsible_person.unit_id != incident.unit_id:
        raise Invalid("责任人不属于本单位。", {"responsible_person": ["责任人不属于本单位"]})
    before = incident.snapshot()
    incident.cause = _optional(cause, "cause", "原因分析")
    incident.responsibility = _optional(responsibility, "responsibility", "责任认定")
    incident.responsible_person = responsible_person
    incident.state = IncidentState.CLOSED
    incident.closed_by, incident.closed_at = actor, clock.now()
    incident.save(
        update_fields=[
            "cause",
            "responsibility",
            "responsible_person",
            "state",
            "closed_by",
            "closed_at",
        ]
    )
    record("incident.close", actor, incident, before=before, after=incident.snapshot())
    return incident


def record_found_in(actor: Person, carrier, incident: Incident | None, note: str) -> str:
    """Called by the carriers' `found` inside its transaction (INC-1: a carrier lost in an
    incident is not found silently). Refuses without the incident; records the finding in it.
    Returns the custody note naming the incident."""
    open_losses = lost_in(carrier.pk)
    if incident is None:
        if open_losses:
            numbers = "、".join(f"#{pk}" for pk in open_losses)
            raise RuleViolation(
                "INC-1",
                f"载体 {carrier.label} 在失泄密事件 {numbers} 中报失，登记找回须注明该事件，"
                "找回情况记入事件（INC-1）。",
                {"incidents": open_losses},
            )
        return note
    if incident.pk not in open_losses:
        raise RuleViolation(
            "INC-1",
            f"载体 {carrier.label} 不在{incident}的丢失载体中（或已登记找回），"
            "请注明报失它的事件（INC-1）。",
            {"incidents": open_losses},
        )
    text = f"找回：{note.strip()}" if note.strip() else "找回"
    _entry(actor, incident, EntryKind.CARRIER_FOUND, text, carrier=carrier)
    record("incident.carrier_found", actor, incident, after={"carrier": carrier.label})
    return (
        f"失泄密事件 #{incident.pk}：{note.strip()}"
        if note.strip()
        else f"失泄密事件 #{incident.pk}"
    )
