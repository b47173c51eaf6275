"""Destruction lists (销毁清单, CR-12): registered, checked item by item, approved, destroyed under
two witnesses. A carrier is destroyed only as an item of a list — there is no other way."""

from __future__ import annotations

from django.db import models

from baomi.carriers.models import Carrier
from baomi.org.models import Person, Unit


class ListStatus(models.TextChoices):
    DRAFT = "draft", "登记中"
    SUBMITTED = "submitted", "已报批"
    DESTROYED = "destroyed", "已销毁"


class Method(models.TextChoices):
    """How the carriers are destroyed (CR-12, seed 002 第四篇 第四条)."""

    SHRED = "shred", "碎纸机粉碎"
    PULP = "pulp", "送指定造纸厂化浆"
    BURN = "burn", "现场焚烧"
    PHYSICAL = "physical", "物理销毁（介质/设备）"


class DestructionList(models.Model):
    """销毁清单: the registered list the leader approves (CR-12)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="destruction_lists"
    )
    number = models.CharField("清单编号", max_length=40)
    status = models.CharField(
        "状态", max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    created_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")
    reason = models.CharField("销毁理由", max_length=500, blank=True)
    request = models.ForeignKey(
        "approvals.Request",
        verbose_name="销毁审批",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField("销毁方式", max_length=16, choices=Method.choices, blank=True)
    place = models.CharField("销毁地点", max_length=200, blank=True)
    destroyed_at = models.DateTimeField("销毁时间", null=True, blank=True)
    destroyed_by = models.ForeignKey(
        Person,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    witnesses = models.ManyToManyField(
        Person, verbose_name="监销人", blank=True, related_name="destructions_witnessed"
    )

    class Meta:
        verbose_name = "销毁清单"
        verbose_name_plural = "销毁清单"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="destruction_list_unique")
        ]

    def __str__(self) -> str:
        return f"销毁清单 {self.number}"

    def audit_text(self) -> str:
        return f"销毁清单 {self.number}"


class DestructionItem(models.Model):
    """One carrier on a list, checked one by one (逐件清点, CR-12)."""

    list = models.ForeignKey(DestructionList, on_delete=models.CASCADE, related_name="items")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="destruction_items")
    added_at = models.DateTimeField("列入时间")
    checked_by = models.ForeignKey(
        Person,
        verbose_name="核对人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField("核对时间", null=True, blank=True)

    class Meta:
        verbose_name = "销毁清单条目"
        verbose_name_plural = "销毁清单条目"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["list", "carrier"], name="destruction_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.list_id}/{self.carrier_id}"
