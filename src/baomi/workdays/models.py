"""The unit's corrections to the State Council's working-day calendar (CR-2, CL-14, SITE-3)."""

from __future__ import annotations

from django.db import models

from baomi.org.models import Person, Unit


class WorkdayOverride(models.Model):
    """One date the unit counts differently from the published calendar: a make-up day the
    library does not know yet, a local holiday, or a year the library has no data for.
    Changed only by `workdays.actions` (系统管理员 or 安全保密管理员)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="workday_overrides"
    )
    day = models.DateField("日期")
    is_working_day = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        Person, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="workday_override_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {'工作日' if self.is_working_day else '休息日'}"
