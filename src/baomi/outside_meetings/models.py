"""Meetings attended elsewhere and the papers brought back from them (CR-2): the attendance, its
declaration (papers, or none), and each paper — a carrier of the ledger, declared (已申报) in the
hands of the person who brought it until the office registers it."""

from __future__ import annotations

from django.db import models

from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.org.models import Person, Unit


class MeetingAttendance(models.Model):
    """外出参加会议登记. Changed only by `outside_meetings.actions`."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name="参会人", on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    # The meeting's name may itself be sensitive: the audit trail names an attendance by its
    # number, date and level only.
    meeting_title = models.CharField("会议名称", max_length=200)
    organiser = models.CharField("主办单位", max_length=200)
    held_on = models.DateField("会议日期（结束日）")
    level = models.CharField("会议密级", max_length=16, choices=Level.choices)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_at = models.DateTimeField("登记时间")
    # The declaration: papers brought back, or none; until then the 2-working-day clock runs.
    declared_at = models.DateTimeField("申报时间", null=True, blank=True)
    declared_none = models.BooleanField("申报未带回文件", default=False)

    class Meta:
        verbose_name = "外出参加会议"
        verbose_name_plural = "外出参加会议"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "declared_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(declared_none=False) | models.Q(declared_at__isnull=False),
                name="attendance_none_is_a_declaration",
            )
        ]

    def __str__(self) -> str:
        return f"外出会议登记 #{self.pk}"

    @property
    def declared(self) -> bool:
        return self.declared_at is not None

    def audit_snapshot(self) -> dict:
        return {
            "person": self.person.name,
            "held_on": self.held_on.isoformat(),
            "level": self.level,
            "declared": self.declared,
            "declared_none": self.declared_none,
        }


class BroughtBackPaper(models.Model):
    """One paper brought back: the carrier (source 外出会议带回) linked to its attendance."""

    attendance = models.ForeignKey(
        MeetingAttendance, verbose_name="外出会议", on_delete=models.PROTECT, related_name="papers"
    )
    carrier = models.OneToOneField(
        Carrier, verbose_name="载体", on_delete=models.PROTECT, related_name="brought_back"
    )
    original_copy_no = models.CharField("原份号", max_length=32, blank=True)
    registered_at = models.DateTimeField("登记时间", null=True, blank=True)
    registered_by = models.ForeignKey(
        Person,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "外出会议带回文件"
        verbose_name_plural = "外出会议带回文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.carrier)
