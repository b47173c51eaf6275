"""Classified meetings (涉密会议, MTG-1…3): level, venue, time, organiser, attendees, the
pre-meeting checklist, and the papers and minutes — which are carriers of the ledger, moved only by
the carriers' custody actions."""

from __future__ import annotations

from django.db import models

from baomi.approvals.choices import RequestStatus
from baomi.classification.choices import Level
from baomi.meetings.choices import MeetingState, PaperRole
from baomi.org.models import Person, Unit


class Meeting(models.Model):
    """One classified meeting. Changed only by `meetings.actions`."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="meetings"
    )
    # The title may itself be sensitive: the audit trail names a meeting by number and level only.
    title = models.CharField("会议名称", max_length=200)
    level = models.CharField("密级", max_length=16, choices=Level.choices)
    venue = models.CharField("会议地点", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)
    organiser = models.ForeignKey(
        Person, verbose_name="组织者", on_delete=models.PROTECT, related_name="meetings_organised"
    )
    created_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")
    # MTG-1: the approval of the meeting with the attendee list it names.
    request = models.OneToOneField(
        "approvals.Request",
        verbose_name="会议审批",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting",
    )
    # MTG-2: the pre-meeting checklist (TRACK).
    equipment_checked = models.BooleanField("录音录像及扩音设备已检查", default=False)
    no_wireless_mics = models.BooleanField("未使用无线话筒", default=False)
    phones_collected = models.BooleanField("手机等通信设备已收存", default=False)
    attendees_briefed = models.BooleanField("已向参会人员提出保密要求", default=False)
    not_to_record = models.CharField("不得记录、录音的内容", max_length=500, blank=True)
    checked_by = models.ForeignKey(
        Person,
        verbose_name="检查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField("检查时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束登记时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "涉密会议"
        verbose_name_plural = "涉密会议"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["unit", "starts_at"])]

    def __str__(self) -> str:
        return f"涉密会议 #{self.pk}"

    def audit_text(self) -> str:
        return f"涉密会议 #{self.pk} {self.get_level_display()}"

    @property
    def state(self) -> str:
        """Derived, so it can never disagree with the approval the engine holds."""
        if self.cancelled_at:
            return MeetingState.CANCELLED
        if self.closed_at:
            return MeetingState.CLOSED
        if self.request_id is None:
            return MeetingState.PLANNING
        status = self.request.status
        if status in (RequestStatus.APPROVED, RequestStatus.CONSUMED):
            return MeetingState.APPROVED
        if status == RequestStatus.PENDING:
            return MeetingState.PENDING
        return MeetingState.REJECTED

    def get_state_display(self) -> str:
        return str(MeetingState(self.state).label)

    @property
    def is_approved(self) -> bool:
        return self.state in (MeetingState.APPROVED, MeetingState.CLOSED)

    @property
    def checklist_complete(self) -> bool:
        return self.checked_at is not None and all(
            (
                self.equipment_checked,
                self.no_wireless_mics,
                self.phones_collected,
                self.attendees_briefed,
            )
        )


class Attendee(models.Model):
    """One person on the attendee list (MTG-1: cleared for the meeting's level)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(
        Person, verbose_name="参会人员", on_delete=models.PROTECT, related_name="meeting_seats"
    )
    added_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField("登记时间")
    # The approval that let the list grow after the meeting was approved (MTG-1, APR-3).
    approval = models.ForeignKey(
        "approvals.Request",
        verbose_name="增加人员审批",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendee_once")]

    def __str__(self) -> str:
        return f"{self.meeting} {self.person.name}"


class MeetingPaper(models.Model):
    """A carrier that belongs to a meeting: a paper handed out, or the minutes.

    Custody is the carrier's (carriers.custody): who holds it now is `carrier.holder`. The
    columns here are the meeting's 分发/清退 register — to whom this copy was given at the meeting
    and when it came back — which the custody history confirms event by event."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="papers")
    carrier = models.OneToOneField(
        "carriers.Carrier", on_delete=models.PROTECT, related_name="meeting_paper"
    )
    role = models.CharField("类别", max_length=16, choices=PaperRole.choices)
    handed_to = models.ForeignKey(
        Person,
        verbose_name="分发给",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_out_at = models.DateTimeField("分发时间", null=True, blank=True)
    returned_at = models.DateTimeField("收回时间", null=True, blank=True)

    class Meta:
        verbose_name = "会议文件"
        verbose_name_plural = "会议文件"
        ordering = ["carrier__number", "carrier__copy_no"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.carrier.label}"
