"""One import of an existing ledger (台帐): who imported which file when, and what it made.

The carriers it registered point back at it (`Carrier.import_batch`); their `source` stays
收文/本单位制发, so recalls and reports treat them as any other carrier."""

from __future__ import annotations

from django.db import models

from baomi.imports.choices import ImportKind
from baomi.org.models import Person, Unit


class ImportBatch(models.Model):
    """An all-or-nothing import of one file (people or carriers). Dry runs leave no batch."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="import_batches"
    )
    kind = models.CharField("导入内容", max_length=16, choices=ImportKind.choices)
    actor = models.ForeignKey(
        Person, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("导入时间")
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)
    header_row = models.PositiveIntegerField("表头所在行")
    row_count = models.PositiveIntegerField("数据行数")
    created_count = models.PositiveIntegerField("导入条数")
    # {field: header text as the file spells it}: what the import read from which column.
    mapping = models.JSONField("列对应关系", default=dict)
    # What the import decided for the user to know (new departments, 收文日期 standing in…).
    notes = models.JSONField("说明", default=list)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.audit_text()

    def audit_text(self) -> str:
        # The file name may carry a title: the audit trail names the batch by number only.
        return f"导入批次 #{self.pk}（{self.get_kind_display()}）"
