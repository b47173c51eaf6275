"""Changes of classification (CL-8, CL-9, CL-12, CL-13, CL-14): what changed, why, on whose
approval; the notices people get; items whose classification is unclear."""

from __future__ import annotations

from django.db import models

from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.org.models import Person, Unit


class ChangeKind(models.TextChoices):
    REVIEW = "review", "年度审核（维持）"
    CHANGE = "change", "变更"
    DOWNGRADE = "downgrade", "降密"
    DECLASSIFY = "declassify", "解密"
    EXTEND = "extend", "延长保密期限"
    AUTO_DECLASSIFY = "auto_declassify", "期满自行解密"
    SCOPE_WIDEN = "scope_widen", "扩大知悉范围"
    SCOPE_NARROW = "scope_narrow", "缩小知悉范围"


class Reclassification(models.Model):
    """One decision about a carrier's classification, with its reason and approval (CL-8).

    A yearly review that keeps the classification as it is is recorded too (法23 每年审核): the
    review list is the live state-secret carriers without a row here in the last twelve months.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    carrier = models.ForeignKey(
        Carrier, verbose_name="载体", on_delete=models.PROTECT, related_name="reclassifications"
    )
    kind = models.CharField("类型", max_length=16, choices=ChangeKind.choices)
    request = models.ForeignKey(
        "approvals.Request",
        verbose_name="依据审批",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField("变更前")
    after = models.JSONField("变更后")
    reason = models.CharField("理由", max_length=500)
    actor = models.ForeignKey(
        Person, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间")
    automatic = models.BooleanField("自动", default=False)

    class Meta:
        verbose_name = "密级变更记录"
        verbose_name_plural = "密级变更记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["carrier", "at"]), models.Index(fields=["unit", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.carrier_id}"

    def audit_text(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Notice(models.Model):
    """A notice to one person: a carrier they hold or held was reclassified, or a scope they are
    in changed (CL-8, CL-9, CL-13). Names the carrier by label and marking, never its title."""

    person = models.ForeignKey(
        Person, verbose_name="接收人", on_delete=models.CASCADE, related_name="notices"
    )
    carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    change = models.ForeignKey(
        Reclassification, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    message = models.CharField("内容", max_length=500)
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return self.message[:40]


class UnclearState(models.TextChoices):
    PENDING = "pending", "待确定"
    DECIDED = "decided", "已确定"


class UnclearItem(models.Model):
    """An item whose classification is unclear: protected as proposed, reported for a decision
    within 10 working days (CL-14, 条例25)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    carrier = models.ForeignKey(
        Carrier, verbose_name="载体", on_delete=models.PROTECT, related_name="unclear_reports"
    )
    proposed_level = models.CharField("拟定密级", max_length=16, choices=Level.choices)
    question = models.CharField("不明确之处", max_length=500)
    reported_by = models.ForeignKey(
        Person, verbose_name="报告人", on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField("报告日期")
    deadline = models.DateField("确定期限")
    state = models.CharField(
        "状态", max_length=8, choices=UnclearState.choices, default=UnclearState.PENDING
    )
    decision = models.CharField("确定结果", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("确定时间", null=True, blank=True)

    class Meta:
        verbose_name = "密级不明确事项"
        verbose_name_plural = "密级不明确事项"
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"待定 #{self.pk}"

    def audit_text(self) -> str:
        return f"密级不明确事项 #{self.pk}"
