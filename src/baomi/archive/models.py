"""Dossiers (卷宗) of the archive store (CR-11, CL-6, ARC-1, ARC-2).

A dossier's marking is not typed in: it is recomputed from what it holds (CL-6) by
`archive.actions.recompute_marking` whenever its contents change. Every movement of a carrier in
or out of the archive is a custody event (ARCHIVE / RETRIEVE) — that is the ARC-2 register.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from baomi.carriers.models import Carrier, Place
from baomi.classification.choices import Category, Level, PeriodKind
from baomi.classification.periods import Period
from baomi.lib.markings import render_marking
from baomi.org.models import Person, Unit


class Dossier(models.Model):
    """卷宗: filed carriers with reference value; marked with the highest level and longest
    period of its contents (CL-6)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="dossiers"
    )
    number = models.CharField("卷宗号", max_length=40)
    title = models.CharField("案卷题名", max_length=300)
    year = models.PositiveSmallIntegerField("归档年度")
    place = models.ForeignKey(
        Place, verbose_name="存放位置", on_delete=models.PROTECT, related_name="dossiers"
    )
    # ARC-1: leadership-meeting records need the leader's approval to be looked up.
    leadership_meeting = models.BooleanField("领导班子会议记录", default=False)
    created_by = models.ForeignKey(
        Person, verbose_name="立卷人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("立卷时间")
    # CL-6: recomputed from the contents, never typed in.
    level = models.CharField("密级", max_length=16, choices=Level.choices, default=Level.PUBLIC)
    category = models.CharField(
        "类别", max_length=16, choices=Category.choices, default=Category.STATE
    )
    period_kind = models.CharField(
        "期限形式", max_length=16, choices=PeriodKind.choices, blank=True
    )
    period_years = models.PositiveSmallIntegerField("期限（年）", null=True, blank=True)
    period_months = models.PositiveSmallIntegerField("期限（月）", null=True, blank=True)
    period_until = models.DateField("期限（至）", null=True, blank=True)
    period_condition = models.CharField("解密条件", max_length=50, blank=True)

    class Meta:
        verbose_name = "卷宗"
        verbose_name_plural = "卷宗"
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="dossier_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def audit_text(self) -> str:
        # The title may itself be classified: number and level only (SEC-4).
        return f"卷宗 {self.number} {self.get_level_display()}"

    @property
    def period(self) -> Period | None:
        if not self.period_kind:
            return None
        return Period(
            kind=PeriodKind(self.period_kind),
            years=self.period_years,
            months=self.period_months,
            until=self.period_until,
            condition=self.period_condition or None,
        )

    @property
    def marking(self) -> str:
        return render_marking(self.level, self.category, self.period)


class DossierItem(models.Model):
    """A carrier filed in a dossier. It stays filed while retrieved for reading (the dossier
    still owns it); `removed_at` is set when it leaves the dossier for good (destruction list)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="items")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="dossier_items")
    added_at = models.DateTimeField("归档时间")
    added_by = models.ForeignKey(
        Person, verbose_name="归档人", on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField("移出时间", null=True, blank=True)

    class Meta:
        verbose_name = "卷内载体"
        verbose_name_plural = "卷内载体"
        ordering = ["added_at", "id"]
        constraints = [
            # A carrier is filed in at most one dossier at a time.
            models.UniqueConstraint(
                fields=["carrier"],
                condition=Q(removed_at__isnull=True),
                name="dossier_item_one_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.carrier_id}"
