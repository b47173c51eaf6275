"""清查/盘点 (CR-14): a count of what is physically there, reconciled with the ledger."""

from __future__ import annotations

from django.db import models

from baomi.carriers.models import Carrier, Place
from baomi.org.models import Person, Unit


class StocktakeState(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class ScanSource(models.TextChoices):
    TYPED = "typed", "手工录入"
    SCANNER = "scanner", "扫码枪"
    UPLOAD = "upload", "上传清单"


class Stocktake(models.Model):
    """One count, of one place or of the whole unit; it may run over several days (CR-14)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="stocktakes"
    )
    place = models.ForeignKey(
        Place,
        verbose_name="清查位置（空为全单位）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stocktakes",
    )
    include_out = models.BooleanField("同时列出在个人手中的载体", default=False)
    state = models.CharField(
        "状态", max_length=8, choices=StocktakeState.choices, default=StocktakeState.OPEN
    )
    note = models.CharField("说明", max_length=500, blank=True)
    started_by = models.ForeignKey(
        Person, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始时间")
    closed_by = models.ForeignKey(
        Person,
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    # Figures frozen when the count is closed (the ledger moves on afterwards).
    summary = models.JSONField("结果汇总", null=True, blank=True)

    class Meta:
        verbose_name = "清查"
        verbose_name_plural = "清查"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["unit", "started_at"])]
        # CR-14: two open counts of one place would split its scans between them; the action
        # refuses with a message, these make it hold under concurrency too.
        constraints = [
            models.UniqueConstraint(
                fields=["place"],
                condition=models.Q(state="open"),
                name="stocktake_one_open_per_place",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(state="open", place__isnull=True),
                name="stocktake_one_open_whole_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"清查 #{self.pk}"

    def audit_text(self) -> str:
        return f"清查 #{self.pk}（{self.place.name if self.place_id else '全单位'}）"

    @property
    def scope_text(self) -> str:
        return self.place.name if self.place_id else "全单位"


class StocktakeScan(models.Model):
    """One number seen during the count; the same number twice counts once."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="scans")
    code = models.CharField("编号", max_length=40)
    # The ledger's carrier of the caller's unit with that label, if any (resolved on entry).
    carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("录入方式", max_length=8, choices=ScanSource.choices)
    scanned_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    scanned_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "清查记录"
        verbose_name_plural = "清查记录"
        ordering = ["scanned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "code"], name="stocktake_scan_once")
        ]

    def __str__(self) -> str:
        return self.code
