"""The writers of 应急预案 and 应急演练 (INC-2: emergency plans and drills are kept). A plan's
text or document is stored encrypted at rest (SEC-5); a new version is a new record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from baomi.audit.trail import record
from baomi.incidents.models import Drill, EmergencyPlan
from baomi.incidents.policies import may_investigate
from baomi.lib import clock, filestore
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid
from baomi.org.models import Person

MAX_PLAN_BYTES = 20 * 1024 * 1024


def _require_keeper(actor: Person) -> None:
    if not may_investigate(actor, actor.unit_id):
        raise Forbidden("只有本单位保密办或保密委员会成员可以登记应急预案和演练。")


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise Invalid(f"请填写{label}（最多 {limit} 字）。", {field: [f"请填写{label}"]})
    return value


@action("emergency_plan.record")
def record_plan(
    actor: Person,
    *,
    title: str,
    version: str,
    approved_on: date,
    content: str = "",
    file_name: str = "",
    content_type: str = "",
    data: bytes = b"",
) -> EmergencyPlan:
    """INC-2: an approved plan version — typed text or an uploaded document, one of the two."""
    _require_keeper(actor)
    title = _text(title, "title", "预案名称", 200)
    version = _text(version, "version", "版本", 20)
    if approved_on > clock.today():
        raise Invalid("批准日期不能晚于今天。", {"approved_on": ["批准日期不能晚于今天"]})
    content = (content or "").strip()
    if bool(content) == bool(data):
        raise Invalid(
            "请填写预案正文或上传预案文件（二选一）。",
            {"file": ["请填写预案正文或上传预案文件（二选一）"]},
        )
    if content:
        data, file_name, content_type = content.encode(), f"{title}（{version}）.txt", "text/plain"
    if len(data) > MAX_PLAN_BYTES:
        raise Invalid("文件过大。", {"file": ["文件不能超过 20 MB"]})
    if EmergencyPlan.objects.filter(unit_id=actor.unit_id, title=title, version=version).exists():
        raise Invalid(
            f"《{title}》已有版本 {version}。", {"version": ["该预案已有此版本，请填写新版本号"]}
        )
    plan = EmergencyPlan.objects.create(
        unit_id=actor.unit_id,
        title=title,
        version=version,
        approved_on=approved_on,
        blob=filestore.save(data),
        file_name=_text(file_name, "file", "文件名", 200),
        content_type=(content_type or "application/octet-stream")[:100],
        size=len(data),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    record(
        "emergency_plan.record",
        actor,
        plan,
        after={"version": version, "approved_on": approved_on.isoformat(), "size": plan.size},
    )
    return plan


@action("drill.record")
def record_drill(
    actor: Person,
    *,
    held_on: date,
    scenario: str,
    participants: Iterable[Person],
    findings: str,
    plan: EmergencyPlan | None = None,
) -> Drill:
    """INC-2: a drill held — when, what was rehearsed, who took part, what it showed."""
    _require_keeper(actor)
    if held_on > clock.today():
        raise Invalid("演练日期不能晚于今天。", {"held_on": ["演练日期不能晚于今天"]})
    if plan is not None and plan.unit_id != actor.unit_id:
        raise Invalid("预案不属于本单位。", {"plan_id": ["预案不属于本单位"]})
    participants = list(participants)
    if not participants:
        raise Invalid("请选择参加人员。", {"participant_ids": ["请至少选择一名参加人员"]})
    if any(p.unit_id != actor.unit_id for p in participants):
        raise Invalid("参加人员须为本单位人员。", {"participant_ids": ["有人员不属于本单位"]})
    drill = Drill.objects.create(
        unit_id=actor.unit_id,
        plan=plan,
        held_on=held_on,
        scenario=_text(scenario, "scenario", "演练情景", 5000),
        findings=_text(findings, "findings", "发现的问题及改进", 5000),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    drill.participants.set(participants)
    record(
        "drill.record",
        actor,
        drill,
        after={
            "held_on": held_on.isoformat(),
            "plan": plan.pk if plan else None,
            "participants": sorted(p.pk for p in participants),
        },
    )
    return drill
