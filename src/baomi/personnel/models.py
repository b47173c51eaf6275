"""涉密人员: levels and their approval path, vetting, commitments, training, departure with its
脱密期, moves during it, travel abroad (PER-1…PER-8, ORG-3, CR-13)."""

from __future__ import annotations

from django.db import models

from baomi.classification.choices import Clearance, Level
from baomi.org.models import Person, Unit
from baomi.personnel.choices import (
    CommitmentKind,
    DecisionStatus,
    DepartureKind,
    DepartureStatus,
    MoveKind,
    MoveStatus,
    TravelStatus,
    VettingResult,
)


class ClearanceDecision(models.Model):
    """One determination or change of a person's 涉密等级 (PER-2): proposed by the department with
    the highest level the post touches, checked by the department head, approved by the unit head.
    The approved rows are the person's level history."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="clearance_decisions"
    )
    previous = models.CharField("原等级", max_length=16, choices=Clearance.choices)
    clearance = models.CharField("拟定等级", max_length=16, choices=Clearance.choices)
    highest_level = models.CharField("岗位接触最高密级", max_length=16, choices=Level.choices)
    reason = models.CharField("理由", max_length=500)
    status = models.CharField(
        "状态", max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField("提出时间")
    checked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("批准时间", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    comment = models.CharField("意见", max_length=500, blank=True)
    # 历史认定: a level decided before the system existed, imported with its people; the
    # 安全保密管理员 confirms it in one step (PER-2/PER-3 are met by the recorded decision).
    historical = models.BooleanField("历史认定", default=False)
    decision_number = models.CharField("认定文号", max_length=100, blank=True)
    vetted_on = models.DateField("审查日期", null=True, blank=True)
    committed_on = models.DateField("承诺书签订日期", null=True, blank=True)

    class Meta:
        verbose_name = "涉密等级审批"
        verbose_name_plural = "涉密等级审批"
        ordering = ["person_id", "-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.get_clearance_display()}"

    def audit_text(self) -> str:
        return f"涉密等级审批 #{self.pk}（{self.person.name}）"


class Vetting(models.Model):
    """审查 before (and periodically during) a classified post (PER-3, 条例50)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="vettings"
    )
    on = models.DateField("审查日期")
    reviewer = models.ForeignKey(
        Person, verbose_name="审查人", on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField("审查情况", blank=True)
    result = models.CharField("审查结论", max_length=16, choices=VettingResult.choices)
    next_review_on = models.DateField("下次复审日期", null=True, blank=True)

    class Meta:
        verbose_name = "保密审查"
        verbose_name_plural = "保密审查"
        ordering = ["person_id", "-on", "-id"]

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        return f"保密审查 #{self.pk}（{self.person.name}）"


class Commitment(models.Model):
    """保密承诺书 / 离岗保密承诺书 with its signing date (ORG-3, PER-3, PER-5, PER-6)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="commitments"
    )
    kind = models.CharField("类型", max_length=16, choices=CommitmentKind.choices)
    signed_on = models.DateField("签订日期")
    text = models.TextField("承诺内容", blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "保密承诺书"
        verbose_name_plural = "保密承诺书"
        ordering = ["person_id", "-signed_on", "-id"]

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}（{self.person.name}）"


class TrainingRecord(models.Model):
    """保密教育培训 and its examination (PER-4)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="trainings"
    )
    on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    subject = models.CharField("内容", max_length=200)
    score = models.PositiveSmallIntegerField("考试成绩", null=True, blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "保密培训"
        verbose_name_plural = "保密培训"
        ordering = ["person_id", "-on", "-id"]

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        return f"保密培训 #{self.pk}（{self.person.name}）"


class Departure(models.Model):
    """离岗 (PER-5, CR-13): reminder talk, 离岗承诺书, everything handed over, devices returned,
    access withdrawn at the end date, and the 脱密期 that follows."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="departures"
    )
    kind = models.CharField("离岗类型", max_length=16, choices=DepartureKind.choices)
    clearance = models.CharField("离岗时涉密等级", max_length=16, choices=Clearance.choices)
    reason = models.CharField("事由", max_length=500)
    end_date = models.DateField("离岗日期")
    status = models.CharField(
        "状态", max_length=16, choices=DepartureStatus.choices, default=DepartureStatus.OPEN
    )
    opened_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reminder_talk_on = models.DateField("提醒谈话日期", null=True, blank=True)
    reminder_talk_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name="离岗保密承诺书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Until the device ledger exists: the clerk's confirmation, with what was returned.
    devices_returned_on = models.DateField("设备交回日期", null=True, blank=True)
    devices_note = models.CharField("交回设备", max_length=500, blank=True)
    cooling_off_start = models.DateField("脱密期起", null=True, blank=True)
    cooling_off_end = models.DateField("脱密期止", null=True, blank=True)
    extension_reason = models.CharField("延长理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "离岗"
        verbose_name_plural = "离岗"
        ordering = ["person_id", "-end_date", "-id"]

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        return f"离岗 #{self.pk}（{self.person.name}）"


class PersonnelNote(models.Model):
    """A note for the personnel file (人事档案) (PER-6)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="personnel_notes")
    on = models.DateField("日期")
    text = models.CharField("内容", max_length=1000)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "人事档案记载"
        verbose_name_plural = "人事档案记载"
        ordering = ["person_id", "-on", "-id"]

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        return f"人事档案记载 #{self.pk}（{self.person.name}）"


class Move(models.Model):
    """A transfer or resignation asked during the 脱密期 (PER-6)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField("类型", max_length=16, choices=MoveKind.choices)
    reason = models.CharField("事由", max_length=500)
    request = models.OneToOneField(
        "approvals.Request", on_delete=models.PROTECT, related_name="personnel_move"
    )
    status = models.CharField(
        "状态", max_length=16, choices=MoveStatus.choices, default=MoveStatus.REQUESTED
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.ForeignKey(
        PersonnelNote, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "脱密期调动/辞职"
        verbose_name_plural = "脱密期调动/辞职"

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        return f"脱密期{self.get_kind_display()} #{self.pk}（{self.person.name}）"


class TravelAbroad(models.Model):
    """出国（境） (PER-7): approval, a briefing before leaving, a report after return."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="travels")
    destination = models.CharField("目的地", max_length=200)
    depart_on = models.DateField("出境日期")
    return_on = models.DateField("回国日期")
    purpose = models.CharField("事由", max_length=500)
    request = models.OneToOneField(
        "approvals.Request", on_delete=models.PROTECT, related_name="travel"
    )
    status = models.CharField(
        "状态", max_length=16, choices=TravelStatus.choices, default=TravelStatus.REQUESTED
    )
    briefed_on = models.DateField("行前保密教育日期", null=True, blank=True)
    briefed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departed_on = models.DateField("实际出境日期", null=True, blank=True)
    reported_on = models.DateField("回国报告日期", null=True, blank=True)
    report = models.TextField("回国报告", blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "出国（境）"
        verbose_name_plural = "出国（境）"
        ordering = ["-depart_on", "-id"]

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        return f"出国（境） #{self.pk}（{self.person.name}）"
