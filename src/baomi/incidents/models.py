"""失泄密事件 (INC-1): a report, with the devices and carriers concerned and the 24-hour clock to
the report to the 保密行政管理部门. Never deleted — only closed (the oversight issue extends it
with investigation, cause and responsibility)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models

from baomi.classification.choices import Level
from baomi.incidents.choices import REPORT_WITHIN_HOURS, IncidentKind, IncidentState
from baomi.lib.errors import RuleViolation
from baomi.org.models import Person, Unit


class Incident(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField("事件类型", max_length=32, choices=IncidentKind.choices)
    summary = models.CharField("事件概要", max_length=500)
    level = models.CharField("涉及密级", max_length=16, choices=Level.choices)
    discovered_at = models.DateTimeField("发现时间")
    discovered_where = models.CharField("发现地点", max_length=200)
    discovered_by = models.ForeignKey(
        Person, verbose_name="发现人", on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")
    state = models.CharField(
        "状态", max_length=16, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    # INC-1: when and to whom the report to the 保密行政管理部门 went.
    authority_reported_at = models.DateTimeField("上报保密行政管理部门时间", null=True, blank=True)
    authority_reference = models.CharField("上报文号/方式", max_length=200, blank=True)
    devices = models.ManyToManyField(
        "devices.Device", verbose_name="涉及设备", blank=True, related_name="incidents"
    )
    carriers = models.ManyToManyField(
        "carriers.Carrier", verbose_name="涉及载体", blank=True, related_name="incidents"
    )

    class Meta:
        verbose_name = "失泄密事件"
        verbose_name_plural = "失泄密事件"
        ordering = ["-discovered_at"]

    def __str__(self) -> str:
        return f"事件 #{self.pk}"

    def audit_text(self) -> str:
        return f"失泄密事件 #{self.pk} {self.get_level_display()}"

    def delete(self, *args, **kwargs):
        # INC-1: no hiding — a report is closed with cause and responsibility, never removed.
        raise RuleViolation("INC-1", f"失泄密事件 #{self.pk} 不得删除，只能结案（INC-1）。")

    @property
    def report_due_at(self) -> datetime:
        return self.discovered_at + timedelta(hours=REPORT_WITHIN_HOURS)

    def report_overdue(self, now: datetime) -> bool:
        return self.authority_reported_at is None and now > self.report_due_at

    def snapshot(self) -> dict:
        return {
            "kind": self.kind,
            "level": self.level,
            "state": self.state,
            "discovered_at": self.discovered_at.isoformat(),
            "authority_reported_at": (
                self.authority_reported_at.isoformat() if self.authority_reported_at else None
            ),
            "devices": sorted(self.devices.values_list("pk", flat=True)) if self.pk else [],
            "carriers": sorted(self.carriers.values_list("pk", flat=True)) if self.pk else [],
        }
