"""保密教育 (EDU-1, PER-4): training sessions and their attendance, the question bank, exams
generated from it and the attempts people make. Attendance and exam results land in the person's
own training record (personnel.TrainingRecord) — that record stays the one place a person's
training is kept; these rows point to it."""

from __future__ import annotations

from django.db import models

from baomi.org.models import Person, Unit
from baomi.training.choices import AttemptStatus, QuestionKind, QuestionLevel, SessionKind


class TrainingSession(models.Model):
    """A training session: concentrated (twice a year), induction (before taking a post), special."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="training_sessions"
    )
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=16, choices=SessionKind.choices)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    topic = models.CharField("内容", max_length=500, blank=True)
    organiser = models.ForeignKey(
        Person, verbose_name="组织人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "保密培训"
        verbose_name_plural = "保密培训"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_text(self) -> str:
        return f"培训 #{self.pk} {self.title}"[:200]


class Attendance(models.Model):
    """One person at a session; `record` is the line it wrote in the person's training record."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="attendances"
    )
    record = models.OneToOneField(
        "personnel.TrainingRecord", on_delete=models.PROTECT, related_name="attendance"
    )
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["session_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.person.name}"


class Question(models.Model):
    """A question of the unit's bank: single choice, multiple choice or true/false.

    `options` is the list of choice texts (A, B, C…; empty for true/false); `answer` is the
    letters of the right choices in order ("B", "ACD") or "T"/"F"."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="questions"
    )
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    text = models.TextField("题目")
    options = models.JSONField("选项", default=list, blank=True)
    answer = models.CharField("答案", max_length=16)
    level = models.CharField(
        "适用人员", max_length=16, choices=QuestionLevel.choices, default=QuestionLevel.ALL
    )
    topic = models.CharField("专题", max_length=50, blank=True)
    explanation = models.CharField("解析", max_length=1000, blank=True)
    active = models.BooleanField("在用", default=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("入库时间")

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "题库"
        ordering = ["unit_id", "topic", "id"]
        indexes = [models.Index(fields=["unit", "active", "level", "topic"])]

    def __str__(self) -> str:
        return f"试题 #{self.pk}"

    def audit_text(self) -> str:
        return f"试题 #{self.pk}（{self.get_kind_display()}）"


class Exam(models.Model):
    """An exam generated from the bank by level and topic, taken online within a time limit."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="exams"
    )
    title = models.CharField("名称", max_length=200)
    level = models.CharField("适用人员", max_length=16, choices=QuestionLevel.choices)
    topics = models.JSONField("专题", default=list, blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField("限时（分钟）")
    pass_score = models.PositiveSmallIntegerField("及格分", default=60)
    session = models.ForeignKey(
        TrainingSession,
        verbose_name="所属培训",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exams",
    )
    candidates = models.ManyToManyField(Person, verbose_name="考生", related_name="exams")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间")
    closed = models.BooleanField("已结束", default=False)

    class Meta:
        verbose_name = "保密考试"
        verbose_name_plural = "保密考试"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_text(self) -> str:
        return f"考试 #{self.pk} {self.title}"[:200]


class ExamQuestion(models.Model):
    """A question as it stands in one exam (frozen: editing the bank never changes a paper)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("题号")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    text = models.TextField("题目")
    options = models.JSONField("选项", default=list, blank=True)
    answer = models.CharField("答案", max_length=16)

    class Meta:
        ordering = ["exam_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "position"], name="exam_question_position")
        ]

    def __str__(self) -> str:
        return f"{self.exam} 第{self.position}题"


class ExamAttempt(models.Model):
    """One person's paper: started, answered within the time limit, scored automatically."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey(
        Person, verbose_name="考生", on_delete=models.PROTECT, related_name="exam_attempts"
    )
    status = models.CharField(
        "状态", max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.STARTED
    )
    started_at = models.DateTimeField("开始时间")
    deadline_at = models.DateTimeField("截止时间")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    answers = models.JSONField("作答", default=dict, blank=True)  # {"1": "B", "2": "ACD"}
    correct = models.PositiveSmallIntegerField("答对题数", null=True, blank=True)
    score = models.PositiveSmallIntegerField("成绩", null=True, blank=True)
    record = models.OneToOneField(
        "personnel.TrainingRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exam_attempt",
    )

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["exam_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["exam", "person"], name="attempt_once")]

    def __str__(self) -> str:
        return f"{self.exam} {self.person.name}"

    def audit_text(self) -> str:
        return f"答卷 #{self.pk}（{self.person.name}）"

    @property
    def passed(self) -> bool | None:
        return None if self.score is None else self.score >= self.exam.pass_score
