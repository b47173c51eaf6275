"""Sending (发文, CR-9) and recall to the issuer (清退, CR-10).

A dispatched or recalled carrier leaves the unit's live holdings (SENT / RETURNED, terminal); the
custody history keeps the event, and these rows keep what the regulations want on paper: the
channel, the couriers, the recipient's signature, the issuer's schedule and the 清退单.
"""

from __future__ import annotations

from datetime import date

from django.db import models

from baomi.carriers.models import Carrier
from baomi.dispatch.choices import Channel, RecallInterval
from baomi.org.models import Person, Unit


class Dispatch(models.Model):
    """One sending of one or more carriers to an outside recipient through a named channel."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="dispatches"
    )
    recipient_unit = models.CharField("收件单位", max_length=100)
    recipient_person = models.CharField("收件人", max_length=50, blank=True)
    channel = models.CharField("传递方式", max_length=24, choices=Channel.choices)
    couriers = models.ManyToManyField(
        Person, verbose_name="传递人", blank=True, related_name="dispatches_carried"
    )
    sent_by = models.ForeignKey(
        Person, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("发出时间")
    request = models.ForeignKey(
        "approvals.Request",
        verbose_name="依据审批",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=500, blank=True)
    # The recipient's signature, recorded when the receipt (回执) comes back.
    receipt_signed_by = models.CharField("对方签收人", max_length=50, blank=True)
    receipt_at = models.DateTimeField("签收时间", null=True, blank=True)
    receipt_recorded_by = models.ForeignKey(
        Person,
        verbose_name="回执登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    carriers = models.ManyToManyField(Carrier, through="DispatchItem", related_name="dispatches")

    class Meta:
        verbose_name = "发文记录"
        verbose_name_plural = "发文记录"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"发文 #{self.pk}"

    def audit_text(self) -> str:
        return f"发文 #{self.pk} → {self.recipient_unit}"


class DispatchItem(models.Model):
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="items")
    # A carrier is sent at most once: SENT is terminal.
    carrier = models.OneToOneField(Carrier, on_delete=models.PROTECT, related_name="dispatch_item")

    def __str__(self) -> str:
        return f"{self.dispatch_id}/{self.carrier_id}"


class IssuerRecallSchedule(models.Model):
    """An issuing authority's recall schedule (CR-10): every 6 or 12 months from `starts_on`;
    `last_recalled_on` moves on when a recall round is complete."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="recall_schedules"
    )
    issuer = models.CharField("制文机关", max_length=100)
    interval_months = models.PositiveSmallIntegerField(
        "清退周期", choices=RecallInterval.choices, default=RecallInterval.HALF_YEAR
    )
    starts_on = models.DateField("起算日期")
    last_recalled_on = models.DateField("上次清退日期", null=True, blank=True)

    class Meta:
        verbose_name = "清退周期"
        verbose_name_plural = "清退周期"
        ordering = ["issuer"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "issuer"], name="recall_schedule_unique")
        ]

    def __str__(self) -> str:
        return self.issuer

    def audit_text(self) -> str:
        return f"清退周期 {self.issuer}"

    @property
    def next_due(self) -> date:
        from baomi.dispatch.recall import add_months

        return add_months(self.last_recalled_on or self.starts_on, self.interval_months)


class RecallItem(models.Model):
    """One carrier returned to its issuer (清退), recorded item by item."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    carrier = models.OneToOneField(Carrier, on_delete=models.PROTECT, related_name="recall_item")
    issuer = models.CharField("制文机关", max_length=100)
    returned_at = models.DateTimeField("清退时间")
    returned_by = models.ForeignKey(
        Person, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.CharField("对方接收人", max_length=50, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "清退记录"
        verbose_name_plural = "清退记录"
        ordering = ["-returned_at", "-id"]

    def __str__(self) -> str:
        return f"清退 {self.carrier_id} → {self.issuer}"
