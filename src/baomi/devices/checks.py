"""DEV-6 quarterly checks: the `baomi scan --device N --out report.json` report of an internet
computer, carried over on a designated medium and uploaded here; markings found open a DEV-3
incident (INC-1)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from baomi.audit.trail import record
from baomi.carriers.rules import require_clerk
from baomi.classification.choices import LEVEL_RANK, Level, is_state_secret
from baomi.devices.choices import COMPUTER_KINDS, CheckResult
from baomi.devices.models import Device, DeviceCheck
from baomi.incidents.actions import open_incident_in
from baomi.incidents.choices import IncidentKind
from baomi.lib.actions import action
from baomi.lib.errors import Invalid
from baomi.org.models import Person

REPORT_FORMAT = "baomi-scan/1"  # scanner.report.FORMAT
MAX_REPORT_BYTES = 5_000_000


def _bad(message: str) -> Invalid:
    return Invalid(f"检查报告无效：{message}", {"report": [message]})


def _count(summary: dict, name: str) -> int:
    value = summary.get(name, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad(f"summary.{name} 须为非负整数")
    return value


def parse_report(device: Device, report) -> dict:
    """The facts of a scanner report, checked: format, device, time, counts."""
    if not isinstance(report, dict) or report.get("format") != REPORT_FORMAT:
        raise _bad(f"不是 baomi scan 的 JSON 报告（format 应为 {REPORT_FORMAT}）")
    named = str(report.get("device") or "").strip()
    if named and named not in {str(device.pk), device.number, device.serial}:
        raise _bad(f"报告属于设备“{named}”，不是 {device.number}")
    try:
        finished = datetime.fromisoformat(str(report.get("finished") or report.get("started")))
    except ValueError as error:
        raise _bad("检查时间（finished）格式不对") from error
    if timezone.is_naive(finished):
        finished = timezone.make_aware(finished)
    if finished > timezone.now() + timedelta(minutes=5):
        raise _bad("检查时间晚于现在")
    summary = report.get("summary")
    if not isinstance(summary, dict):
        raise _bad("缺少 summary")
    by_level = summary.get("markings_by_level") or {}
    if not isinstance(by_level, dict):
        raise _bad("summary.markings_by_level 须为对象")
    levels = [lv for lv, n in by_level.items() if lv in Level.values and n]
    return {
        "checked_at": finished,
        "files": _count(summary, "files"),
        "markings": _count(summary, "markings"),
        "terms": _count(summary, "terms"),
        "problems": _count(summary, "problems"),
        "levels": levels,
    }


def _highest(levels: list[str]) -> str:
    state = [lv for lv in levels if is_state_secret(lv)]
    pool = state or levels or [Level.CONFIDENTIAL]
    return max(pool, key=lambda lv: LEVEL_RANK[Level(lv)])


@action("device.upload_check")
def upload_check(actor: Person, device: Device, report, *, carried_on: str = "") -> DeviceCheck:
    """DEV-6: record the quarterly check of a non-classified computer from its scan report; a
    marking found there means classified information on a non-classified computer (DEV-3), so
    an incident is opened in the same transaction."""
    require_clerk(actor, device.unit_id, "登记保密检查")
    device = Device.objects.select_for_update(of=("self",)).get(pk=device.pk)
    if device.kind not in COMPUTER_KINDS or device.classified:
        raise Invalid("季度保密检查针对非涉密计算机（DEV-6）。", {"device": ["不是非涉密计算机"]})
    facts = parse_report(device, report)
    if facts["markings"]:
        result = CheckResult.FINDINGS
    elif facts["problems"]:
        result = CheckResult.INCOMPLETE
    else:
        result = CheckResult.CLEAN
    check = DeviceCheck.objects.create(
        device=device,
        checked_at=facts["checked_at"],
        result=result,
        markings=facts["markings"],
        terms=facts["terms"],
        files=facts["files"],
        report=report,
        carried_on=(carried_on or "").strip()[:100],
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    if result == CheckResult.FINDINGS:
        check.incident = open_incident_in(
            actor,
            kind=IncidentKind.CLASSIFIED_ON_ORDINARY,
            summary=f"季度保密检查在非涉密计算机 {device.number} 上发现密级标志 "
            f"{facts['markings']} 处（DEV-3）",
            level=_highest(facts["levels"]),
            discovered_at=facts["checked_at"],
            discovered_where=device.location or f"{device.get_kind_display()} {device.number}",
            discovered_by=actor,
            devices=[device],
        )
        check.save(update_fields=["incident"])
    record(
        "device.upload_check",
        actor,
        device,
        after={
            "check": check.pk,
            "result": result,
            "markings": facts["markings"],
            "incident": check.incident_id,
        },
    )
    return check
