"""The append-only, hash-chained audit trail (SEC-4). It holds no classified text."""

from django.db import models


class Outcome(models.TextChoices):
    DONE = "done", "已执行"
    REFUSED = "refused", "已拒绝"
    READ = "read", "已查阅"


class AuditEvent(models.Model):
    """One audited fact. `hash` covers `prev_hash` and the row's canonical content."""

    seq = models.BigIntegerField("序号", unique=True)
    event_type = models.CharField("事件", max_length=64, db_index=True)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    rule_id = models.CharField("规则", max_length=16, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    actor_id = models.BigIntegerField("操作人编号", null=True)
    actor_name = models.CharField("操作人", max_length=100)
    object_type = models.CharField("对象类型", max_length=32, blank=True)
    object_id = models.BigIntegerField("对象编号", null=True, db_index=True)
    object_text = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True)
    after = models.JSONField("变更后", null=True)
    at = models.DateTimeField("时间", db_index=True)
    correlation_id = models.CharField("关联号", max_length=64, blank=True, db_index=True)
    request_id = models.BigIntegerField("审批单号", null=True)
    algorithm = models.CharField("哈希算法", max_length=16)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type}"

    @property
    def event_label(self) -> str:
        """The Chinese name a user reads; the code stays in the chain (hashed)."""
        from baomi.audit.events import event_label

        return event_label(self.event_type)


class AuditHead(models.Model):
    """The chain's head: one row, locked by every writer so concurrent actions never fork it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"
