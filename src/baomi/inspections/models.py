"""保密检查 (INS-1, INS-2): checklist templates, inspections with their answers, findings with
evidence, and the 整改 (rectification) each finding gets.

A finding names the place, person, key site or carrier concerned; a carrier is shown by its
number and level only — never its title — so a superior unit that reads the findings of a
subordinate one (ORG-4) learns no classified content."""

from __future__ import annotations

from django.db import models

from baomi.inspections.choices import (
    Answer,
    AutoCheck,
    Holiday,
    InspectionKind,
    InspectionStatus,
    RectificationStatus,
    Severity,
)
from baomi.org.models import Person, Unit


class ChecklistTemplate(models.Model):
    """A 自查自评 checklist (INS-2). `unit` None: the default shipped with Baomi."""

    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklist_templates",
    )
    name = models.CharField("名称", max_length=100)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "检查表模板"
        verbose_name_plural = "检查表模板"
        ordering = ["unit_id", "name"]

    def __str__(self) -> str:
        return self.name

    def audit_text(self) -> str:
        return f"检查表 #{self.pk} {self.name}"[:200]


class ChecklistItem(models.Model):
    """One question of a checklist, citing the rule of requirements.md it checks."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("检查内容", max_length=300)
    rule_id = models.CharField("规则编号", max_length=16)
    auto_check = models.CharField(
        "系统核查", max_length=32, choices=AutoCheck.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["template_id", "position"]

    def __str__(self) -> str:
        return f"{self.text} — {self.rule_id}"


class Inspection(models.Model):
    """One inspection of `unit` by `inspecting_unit` (itself, or its superior: ORG-4, INS-1)."""

    unit = models.ForeignKey(
        Unit, verbose_name="被检查单位", on_delete=models.PROTECT, related_name="inspections"
    )
    inspecting_unit = models.ForeignKey(
        Unit, verbose_name="检查单位", on_delete=models.PROTECT, related_name="inspections_made"
    )
    kind = models.CharField("类别", max_length=16, choices=InspectionKind.choices)
    holiday = models.CharField(
        "节日", max_length=16, choices=Holiday.choices, blank=True, default=""
    )
    title = models.CharField("名称", max_length=100)
    planned_on = models.DateField("计划日期")
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name="检查表", on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        Person, verbose_name="检查组长", on_delete=models.PROTECT, related_name="inspections_led"
    )
    status = models.CharField(
        "状态", max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    summary = models.TextField("检查结论", blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "保密检查"
        verbose_name_plural = "保密检查"
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["unit", "planned_on"])]

    def __str__(self) -> str:
        return self.title

    def audit_text(self) -> str:
        return f"保密检查 #{self.pk} {self.title}"[:200]


class InspectionAnswer(models.Model):
    """The answer to one checklist item; the item's text and rule are frozen with it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("检查内容", max_length=300)
    rule_id = models.CharField("规则编号", max_length=16)
    auto_check = models.CharField(
        "系统核查", max_length=32, choices=AutoCheck.choices, blank=True, default=""
    )
    answer = models.CharField(
        "结果", max_length=8, choices=Answer.choices, blank=True, default=Answer.UNANSWERED
    )
    # True while the answer is the system's own (from the ledgers); a person may overrule it.
    answered_by_system = models.BooleanField("系统预判", default=False)
    evidence = models.TextField("核查依据", blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    answered_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["inspection_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.text}：{self.get_answer_display()}"


class Finding(models.Model):
    """A problem found (INS-2), with its severity and what it concerns."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    answer = models.ForeignKey(
        InspectionAnswer,
        verbose_name="检查项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=16, choices=Severity.choices)
    rule_id = models.CharField("规则编号", max_length=16, blank=True)
    found_by_system = models.BooleanField("系统核查发现", default=False)
    person = models.ForeignKey(
        Person,
        verbose_name="涉及人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings_concerning",
    )
    place = models.ForeignKey(
        "carriers.Place",
        verbose_name="涉及存放位置",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    site = models.ForeignKey(
        "sites.KeySite",
        verbose_name="涉及要害部位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    carrier = models.ForeignKey(
        "carriers.Carrier",
        verbose_name="涉及载体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发现时间")

    class Meta:
        verbose_name = "检查发现问题"
        verbose_name_plural = "检查发现问题"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"问题 #{self.pk}"

    def audit_text(self) -> str:
        return f"检查问题 #{self.pk}（{self.inspection.title}）"[:200]

    @property
    def concerns(self) -> str:
        """What the finding concerns, for people: a carrier by number and level only (ORG-4)."""
        parts = []
        if self.carrier_id:
            parts.append(f"载体 {self.carrier.label}（{self.carrier.get_level_display()}）")
        if self.person_id:
            parts.append(f"人员 {self.person.name}")
        if self.site_id:
            parts.append(f"要害部位 {self.site.name}")
        if self.place_id:
            parts.append(f"存放位置 {self.place.name}")
        return "；".join(parts)


class Evidence(models.Model):
    """A file attached to a finding, encrypted at rest in lib.filestore (SEC-5)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="evidence")
    blob = models.CharField(max_length=64)
    file_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "证据材料"
        verbose_name_plural = "证据材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file_name


class Rectification(models.Model):
    """整改 (INS-2, 条例59): content, owner and deadline; verified and closed by someone else."""

    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="rectification")
    content = models.TextField("整改要求")
    owner = models.ForeignKey(
        Person, verbose_name="整改责任人", on_delete=models.PROTECT, related_name="rectifications"
    )
    deadline = models.DateField("整改期限")
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    report = models.TextField("整改情况", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        Person,
        verbose_name="验证人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField("验证时间", null=True, blank=True)
    verification_note = models.CharField("验证意见", max_length=500, blank=True)
    assigned_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("下达时间")

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改"
        ordering = ["deadline", "id"]
        constraints = [
            # INS-2: the verifier is never the owner — the database refuses it too.
            models.CheckConstraint(
                condition=models.Q(verified_by__isnull=True)
                | ~models.Q(verified_by=models.F("owner")),
                name="rectification_verifier_not_owner",
            )
        ]

    def __str__(self) -> str:
        return f"整改 #{self.pk}"

    def audit_text(self) -> str:
        return f"整改 #{self.pk}（问题 #{self.finding_id}）"
