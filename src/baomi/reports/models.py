"""The yearly 保密工作情况 report's draft (INS-4): one per unit and year.

Only the narrative is kept while it is a draft — the figures are computed afresh from the ledgers
each time it is shown. Finalising freezes both, with the audit checkpoint they rest on; after that
nothing of it changes."""

from __future__ import annotations

from django.db import models

from baomi.org.models import Person, Unit

# The narrative sections, in the order of the report: (field, heading).
NARRATIVE = (
    ("overview", "一、概述"),
    ("main_work", "二、主要工作"),
    ("problems", "三、存在问题"),
    ("next_plan", "四、下一步工作计划"),
)


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    FINAL = "final", "已定稿"


class YearlyReport(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="yearly_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField(
        "状态", max_length=8, choices=ReportState.choices, default=ReportState.DRAFT
    )
    overview = models.TextField("概述", blank=True)
    main_work = models.TextField("主要工作", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_plan = models.TextField("下一步工作计划", blank=True)
    updated_by = models.ForeignKey(
        Person, verbose_name="最后修改人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("最后修改时间")
    finalised_by = models.ForeignKey(
        Person,
        verbose_name="定稿人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    # Frozen at finalisation: the figures (with their queries) as they were then.
    figures = models.JSONField("定稿数字", null=True, blank=True)
    checkpoint = models.ForeignKey(
        "audit.AuditCheckpoint",
        verbose_name="审计检查点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度保密工作情况报告"
        verbose_name_plural = "年度保密工作情况报告"
        ordering = ["-year", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="yearly_report_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year} 年度保密工作情况报告"

    def audit_text(self) -> str:
        return f"年度保密工作情况报告 {self.unit.code} {self.year}"

    @property
    def final(self) -> bool:
        return self.state == ReportState.FINAL

    def narrative(self) -> dict[str, str]:
        return {name: getattr(self, name) for name, _ in NARRATIVE}
