"""保密事项目录 (CL-7): the unit's catalogue of secret matters — matter, level, period, scope,
source document — used as 定密依据 (CL-2) and as the "other decision" that allows a period
above the CL-3 maximum or 长期.

Versioned: an entry is never edited in place. A change writes a new version of the same code and
retires the previous one, so a carrier registered on version 2 keeps pointing at what version 2
said (its basis text names the version)."""

from __future__ import annotations

from django.db import models

from baomi.classification.choices import Level, PeriodKind
from baomi.classification.periods import Period, render_period
from baomi.org.models import Person, Unit


class CatalogueEntry(models.Model):
    """One version of one 保密事项 of a unit's catalogue."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="catalogue_entries"
    )
    code = models.CharField("条目编号", max_length=20)
    version = models.PositiveSmallIntegerField("版本")
    matter = models.CharField("保密事项", max_length=300)
    level = models.CharField("密级", max_length=16, choices=Level.choices)
    period_kind = models.CharField("保密期限形式", max_length=16, choices=PeriodKind.choices)
    period_years = models.PositiveSmallIntegerField("期限（年）", null=True, blank=True)
    period_months = models.PositiveSmallIntegerField("期限（月）", null=True, blank=True)
    period_until = models.DateField("期限（至）", null=True, blank=True)
    period_condition = models.CharField("解密条件", max_length=50, blank=True)
    scope = models.CharField("知悉范围", max_length=300)
    source_document = models.CharField("依据文件", max_length=300)
    current = models.BooleanField("现行", default=True)
    retired = models.BooleanField("已废止", default=False)
    note = models.CharField("修订说明", max_length=500, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = "保密事项目录条目"
        verbose_name_plural = "保密事项目录"
        ordering = ["unit_id", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code", "version"], name="catalogue_entry_version_unique"
            ),
            # At most one current version of a code.
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=models.Q(current=True),
                name="catalogue_entry_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.matter}（{self.get_level_display()}★{self.period_text}）"

    def audit_text(self) -> str:
        return f"保密事项目录 {self.code} 第{self.version}版"

    @property
    def period(self) -> Period:
        return Period(
            kind=PeriodKind(self.period_kind),
            years=self.period_years,
            months=self.period_months,
            until=self.period_until,
            condition=self.period_condition or None,
        )

    @property
    def period_text(self) -> str:
        return render_period(self.period)

    @property
    def basis_text(self) -> str:
        """What a carrier's 定密依据 says when it rests on this entry (CL-2)."""
        return f"保密事项目录 {self.code}（第{self.version}版）：{self.matter}"[:200]
