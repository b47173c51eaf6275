"""Sensitive-term lists (versioned) and the review before publication or provision (REV-1…3).

Written only by `review/actions.py`. A term-list version is never changed after it is made: an
edit or an import makes a new version, and every scan names the version it used (REV-3).
"""

from __future__ import annotations

from django.db import models

from baomi.classification.choices import Level
from baomi.review.choices import Destination, Outcome, ReviewStatus, Stage


class TermList(models.Model):
    """The unit's sensitive-term list (敏感词表); its content lives in versions."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="term_list"
    )
    name = models.CharField("名称", max_length=100, default="敏感词表")

    class Meta:
        verbose_name = "敏感词表"
        verbose_name_plural = "敏感词表"

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"

    @property
    def current(self) -> TermListVersion | None:
        return self.versions.order_by("-number").first()


class TermListVersion(models.Model):
    """One immutable version of a term list (each scan records which one it used)."""

    term_list = models.ForeignKey(
        TermList, verbose_name="敏感词表", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    terms = models.JSONField("敏感词", default=list)
    term_count = models.PositiveIntegerField("词数", default=0)
    note = models.CharField("说明", max_length=200, blank=True)
    source = models.CharField("来源", max_length=200, blank=True)  # "编辑" or the imported file
    created_by = models.ForeignKey(
        "org.Person", verbose_name="制作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "敏感词表版本"
        verbose_name_plural = "敏感词表版本"
        ordering = ["term_list_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term_list", "number"], name="term_version_unique")
        ]

    def __str__(self) -> str:
        return f"第{self.number}版（{self.term_count}词）"

    def audit_text(self) -> str:
        # The terms themselves may be sensitive: the audit names the version only.
        return f"敏感词表第{self.number}版"


class Review(models.Model):
    """A submission for 保密审查 before publication (REV-1) or provision to outsiders (REV-2)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="reviews"
    )
    author = models.ForeignKey(
        "org.Person", verbose_name="拟稿人", on_delete=models.PROTECT, related_name="reviews"
    )
    title = models.CharField("标题", max_length=200)
    source = models.CharField("信息来源", max_length=200, blank=True)
    text = models.TextField("正文", blank=True)
    destination = models.CharField("发布途径", max_length=20, choices=Destination.choices)
    destination_detail = models.CharField("具体去向", max_length=200, blank=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="承办部门", on_delete=models.PROTECT, related_name="+"
    )
    important = models.BooleanField("特别重要", default=False)
    level = models.CharField("内容密级", max_length=16, choices=Level.choices, default=Level.PUBLIC)
    first_reviewer = models.ForeignKey(
        "org.Person", verbose_name="部门初审人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    round = models.PositiveIntegerField("轮次", default=0)  # +1 at every submission
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("通过时间", null=True, blank=True)
    published_where = models.CharField("发布位置", max_length=200, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_by = models.ForeignKey(
        "org.Person",
        verbose_name="发布登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "保密审查"
        verbose_name_plural = "保密审查"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="review_unit_status")]

    def __str__(self) -> str:
        return f"审查 #{self.pk}"

    def audit_text(self) -> str:
        return f"保密审查 #{self.pk}"

    @property
    def last_scan(self) -> ReviewScan | None:
        return self.scans.order_by("-round", "-id").first()


class ReviewFile(models.Model):
    """An uploaded file; its bytes are in the encrypted file store (SEC-5), never served raw."""

    review = models.ForeignKey(
        Review, verbose_name="审查", on_delete=models.PROTECT, related_name="files"
    )
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100, blank=True)
    blob = models.CharField("存储标识", max_length=64, unique=True)
    added_at = models.DateTimeField("上传时间", auto_now_add=True)
    removed = models.BooleanField("已撤下", default=False)

    class Meta:
        verbose_name = "审查附件"
        verbose_name_plural = "审查附件"
        ordering = ["review_id", "id"]

    def __str__(self) -> str:
        return self.name


class ReviewScan(models.Model):
    """The automatic scan of one submission round (REV-3), with the term-list version it used."""

    review = models.ForeignKey(
        Review, verbose_name="审查", on_delete=models.PROTECT, related_name="scans"
    )
    round = models.PositiveIntegerField("轮次")
    term_version = models.ForeignKey(
        TermListVersion,
        verbose_name="敏感词表版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scans",
    )
    ok = models.BooleanField("检查完成", default=False)
    hit_count = models.PositiveIntegerField("命中数", default=0)
    findings = models.JSONField("命中", default=list)
    problems = models.JSONField("无法检查", default=list)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "自动检查"
        verbose_name_plural = "自动检查"
        ordering = ["review_id", "-round"]

    def __str__(self) -> str:
        return f"自动检查 #{self.pk}（第{self.round}轮）"


class ReviewStep(models.Model):
    """What one person (or the scanner) decided at one stage of one round."""

    review = models.ForeignKey(
        Review, verbose_name="审查", on_delete=models.PROTECT, related_name="steps"
    )
    round = models.PositiveIntegerField("轮次")
    stage = models.CharField("环节", max_length=16, choices=Stage.choices)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    actor = models.ForeignKey(
        "org.Person", verbose_name="办理人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("办理人姓名", max_length=50, blank=True)
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审查环节"
        verbose_name_plural = "审查环节"
        ordering = ["review_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.get_outcome_display()}"
