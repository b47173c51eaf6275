"""Handovers (交接, CR-13): a person's holdings listed, signed by both, moved in one transaction.

Design choice: the carriers go straight from the person to the receiver (EventKind.HANDOVER).
CR-4 forbids holder-to-holder moves that bypass the registry; a formal handover is the one
exception, because it is opened by the registry clerk, lists every item, and both people sign.
"""

from __future__ import annotations

from django.db import models

from baomi.carriers.models import Carrier
from baomi.org.models import Person, Unit


class HandoverStatus(models.TextChoices):
    OPEN = "open", "待确认"
    DONE = "done", "已交接"
    CANCELLED = "cancelled", "已取消"


class Handover(models.Model):
    """交接单: from `person` to `receiver`; both confirm before anything moves (no 信任交接)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="handovers"
    )
    person = models.ForeignKey(
        Person, verbose_name="移交人", on_delete=models.PROTECT, related_name="handovers_given"
    )
    receiver = models.ForeignKey(
        Person, verbose_name="接收人", on_delete=models.PROTECT, related_name="handovers_received"
    )
    reason = models.CharField("交接原因", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=HandoverStatus.choices, default=HandoverStatus.OPEN
    )
    created_by = models.ForeignKey(
        Person, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("建立时间")
    person_confirmed_at = models.DateTimeField("移交人确认时间", null=True, blank=True)
    receiver_confirmed_at = models.DateTimeField("接收人确认时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "交接单"
        verbose_name_plural = "交接单"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"交接单 #{self.pk}"

    def audit_text(self) -> str:
        return f"交接单 #{self.pk}"


class HandoverItem(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="handover_items")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "carrier"], name="handover_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.handover_id}/{self.carrier_id}"
