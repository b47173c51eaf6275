"""保密工作考核 (INS-3): scoring sheets, the yearly assessment of departments or subordinate units,
each score with the ledger facts behind it, and the rewards and penalties (奖惩记录) that follow.

A sheet is frozen once an assessment uses it: later changes are a new version, so a finalised
assessment always reads against the items it was scored with. Figures are counts only (ORG-4)."""

from __future__ import annotations

from django.db import models

from baomi.assessments.choices import AssessmentStatus, Decision, Source, Target
from baomi.org.models import Department, Person, Unit

POINTS = {"max_digits": 6, "decimal_places": 1}


class ScoringSheet(models.Model):
    """考核评分表: items with their maximum points and where the points come from."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="scoring_sheets"
    )
    name = models.CharField("名称", max_length=100)
    target = models.CharField("考核对象", max_length=16, choices=Target.choices)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    # Set when an assessment first uses the sheet; a frozen sheet's items never change.
    frozen = models.BooleanField("已锁定", default=False)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "考核评分表"
        verbose_name_plural = "考核评分表"
        ordering = ["unit_id", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "version"], name="scoring_sheet_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    def audit_text(self) -> str:
        return f"考核评分表 #{self.pk} {self.name} v{self.version}"[:200]

    @property
    def total_points(self):
        return sum(item.max_points for item in self.items.all())


class SheetItem(models.Model):
    """One scored item. Deducting sources take `points_each` per occurrence down to zero; rate
    sources give `max_points` × the rate; manual items are scored by the assessor."""

    sheet = models.ForeignKey(ScoringSheet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("考核内容", max_length=300)
    max_points = models.DecimalField("分值", **POINTS)
    source = models.CharField("计分来源", max_length=32, choices=Source.choices)
    points_each = models.DecimalField("每次扣分", default=0, **POINTS)
    rule_id = models.CharField("规则编号", max_length=16, blank=True)

    class Meta:
        verbose_name = "考核项"
        verbose_name_plural = "考核项"
        ordering = ["sheet_id", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}（{self.max_points}分）"


class Assessment(models.Model):
    """One year's assessment run by `unit` with one sheet; final once the assessor signs it off."""

    unit = models.ForeignKey(
        Unit, verbose_name="考核单位", on_delete=models.PROTECT, related_name="assessments"
    )
    sheet = models.ForeignKey(
        ScoringSheet, verbose_name="评分表", on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField(
        "状态", max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    computed_on = models.DateField("数据截至")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    finalised_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)

    class Meta:
        verbose_name = "保密工作考核"
        verbose_name_plural = "保密工作考核"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "sheet", "year"], name="assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度保密工作考核（{self.sheet.name}）"

    def audit_text(self) -> str:
        return f"考核 #{self.pk} {self.year}年度"


class Score(models.Model):
    """The points of one department or subordinate unit for one item: what the ledgers gave
    (`computed_points`, with `fact` and `basis`) and what stands (`points`, with a reason when the
    assessor changed it)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(SheetItem, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fact = models.DecimalField("台帐数据", max_digits=8, decimal_places=3, null=True, blank=True)
    basis = models.CharField("计分依据", max_length=500, blank=True)
    computed_points = models.DecimalField("系统计分", null=True, blank=True, **POINTS)
    points = models.DecimalField("得分", null=True, blank=True, **POINTS)
    reason = models.CharField("调整理由", max_length=500, blank=True)
    adjusted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adjusted_at = models.DateTimeField("调整时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["assessment_id", "department_id", "subject_unit_id", "item__position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=True) ^ models.Q(subject_unit__isnull=True),
                name="score_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.item.text}：{self.points}"

    @property
    def subject_name(self) -> str:
        return self.department.name if self.department_id else self.subject_unit.name

    @property
    def adjusted(self) -> bool:
        return self.computed_points is not None and self.points != self.computed_points


class RewardPenalty(models.Model):
    """奖惩记录 (INS-3): a reward or penalty for a department, a subordinate unit or a person."""

    unit = models.ForeignKey(
        Unit, verbose_name="决定单位", on_delete=models.PROTECT, related_name="rewards_penalties"
    )
    year = models.PositiveSmallIntegerField("年度")
    decision = models.CharField("类别", max_length=16, choices=Decision.choices)
    assessment = models.ForeignKey(
        Assessment,
        verbose_name="依据考核",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rewards_penalties",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_unit = models.ForeignKey(
        Unit,
        verbose_name="下级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField("奖惩内容", max_length=500)
    decided_on = models.DateField("决定日期")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "奖惩记录"
        verbose_name_plural = "奖惩记录"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.subject_name}"

    def audit_text(self) -> str:
        return f"奖惩记录 #{self.pk} {self.get_decision_display()}"

    @property
    def subject_name(self) -> str:
        names = [x.name for x in (self.subject_unit, self.department, self.person) if x]
        return " · ".join(names)
