"""失泄密事件 (INC-1): the report (discovered when, where, by whom; carriers and information
concerned; level; how; harm; remedies), the 24-hour clock to the report to the 保密行政管理部门,
an append-only record of the investigation, cause and responsibility, and closure by the
保密委员会. Never deleted or hidden — only closed. Emergency plans and drills (INC-2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models

from baomi.classification.choices import Level
from baomi.incidents.choices import REPORT_WITHIN_HOURS, EntryKind, IncidentKind, IncidentState
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
    information = models.TextField("涉及的信息", blank=True)
    how = models.TextField("事件经过", blank=True)
    harm = models.TextField("危害及后果", blank=True)
    remedies = models.TextField("已采取的补救措施", blank=True)
    # INC-1: when and to whom the report to the 保密行政管理部门 went.
    authority_reported_at = models.DateTimeField("上报保密行政管理部门时间", null=True, blank=True)
    authority_reference = models.CharField("上报文号/方式", max_length=200, blank=True)
    devices = models.ManyToManyField(
        "devices.Device", verbose_name="涉及设备", blank=True, related_name="incidents"
    )
    carriers = models.ManyToManyField(
        "carriers.Carrier", verbose_name="涉及载体", blank=True, related_name="incidents"
    )
    # CR-14: the count whose missing items opened this report as a draft.
    stocktake = models.ForeignKey(
        "stocktake.Stocktake",
        verbose_name="来源清查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    # INC-1: closed by the 保密委员会 only with the cause and the responsibility decided.
    cause = models.TextField("原因分析", blank=True)
    responsible_person = models.ForeignKey(
        Person,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsibility = models.TextField("责任认定及处理", blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        Person,
        verbose_name="结案人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "失泄密事件"
        verbose_name_plural = "失泄密事件"
        ordering = ["-discovered_at"]
        constraints = [
            models.CheckConstraint(
                name="incident_closed_with_cause_and_responsibility",
                condition=~models.Q(state="closed")
                | (
                    models.Q(closed_at__isnull=False)
                    & ~models.Q(cause="")
                    & ~models.Q(responsibility="")
                ),
            )
        ]

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

    @property
    def is_closed(self) -> bool:
        return self.state == IncidentState.CLOSED

    def snapshot(self) -> dict:
        # No free text: the audit trail holds no classified content (design.md).
        return {
            "kind": self.kind,
            "level": self.level,
            "state": self.state,
            "discovered_at": self.discovered_at.isoformat(),
            "authority_reported_at": (
                self.authority_reported_at.isoformat() if self.authority_reported_at else None
            ),
            "devices": sorted(self.devices.values_list("pk", flat=True)) if self.pk else [],
            # A whole-unit count may list thousands: the first 500, and how many in all.
            "carriers": list(self.carriers.order_by("pk").values_list("pk", flat=True)[:500])
            if self.pk
            else [],
            "carrier_count": self.carriers.count() if self.pk else 0,
            "stocktake": self.stocktake_id,
            "responsible_person": self.responsible_person_id,
        }


class IncidentEntry(models.Model):
    """One line of an incident's record — an investigation note, a remedy, a carrier marked
    lost or found. Append-only (INC-1: no hiding): written once, never changed or removed."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField("类型", max_length=16, choices=EntryKind.choices)
    text = models.TextField("内容", blank=True)
    carrier = models.ForeignKey(
        "carriers.Carrier",
        verbose_name="载体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_entries",
    )
    author = models.ForeignKey(
        Person, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "事件记录"
        verbose_name_plural = "事件记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuleViolation("INC-1", "事件记录只能追加，不得修改（INC-1）。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuleViolation("INC-1", "事件记录只能追加，不得删除（INC-1）。")


class EmergencyPlan(models.Model):
    """应急预案 (INC-2): one approved version; its text or document is stored encrypted at rest
    (SEC-5) in lib.filestore. A new version is a new row; old versions stay."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="emergency_plans"
    )
    title = models.CharField("预案名称", max_length=200)
    version = models.CharField("版本", max_length=20)
    approved_on = models.DateField("批准日期")
    blob = models.CharField(max_length=64)
    file_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "应急预案"
        verbose_name_plural = "应急预案"
        ordering = ["title", "-approved_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title", "version"], name="emergency_plan_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"

    def audit_text(self) -> str:
        return f"应急预案 #{self.pk} {self.version}"


class Drill(models.Model):
    """应急演练 (INC-2): when, what was rehearsed, who took part and what it showed."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="drills"
    )
    plan = models.ForeignKey(
        EmergencyPlan,
        verbose_name="依据预案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drills",
    )
    held_on = models.DateField("演练日期")
    scenario = models.TextField("演练情景")
    participants = models.ManyToManyField(Person, verbose_name="参加人员", related_name="drills")
    findings = models.TextField("发现的问题及改进")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "应急演练"
        verbose_name_plural = "应急演练"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"演练 #{self.pk}（{self.held_on:%Y-%m-%d}）"

    def audit_text(self) -> str:
        return f"应急演练 #{self.pk}"
