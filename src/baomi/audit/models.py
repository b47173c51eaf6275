"""The audit log (SEC-4): append-only rows sealed into an RFC 9162 Merkle tree.

An action inserts its `AuditEvent` in its own transaction, with nothing locked but its new row.
The sequencer (`baomi audit seal`) later gives committed rows their leaf index (`AuditLeaf`) and
writes one `AuditTreeHead` per batch; `AuditCheckpoint` keeps the signed notes it published.
Nothing here is ever updated: on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE on all
four tables. The log holds no classified text.
"""

from django.db import models


class Outcome(models.TextChoices):
    DONE = "done", "已执行"
    REFUSED = "refused", "已拒绝"
    READ = "read", "已查阅"


class AuditEvent(models.Model):
    """One audited fact. `hash` is its leaf hash: H(0x00 || canonical content), RFC 9162."""

    # Given at insert (a PostgreSQL sequence; on SQLite the next number under its write lock), so
    # the content hash covers it. It orders rows by insertion, not by commit: the leaf index does.
    seq = models.BigIntegerField("序号", unique=True)
    event_type = models.CharField("事件", max_length=64, db_index=True)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    rule_id = models.CharField("规则", max_length=16, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    actor_id = models.BigIntegerField("操作人编号", null=True)
    actor_name = models.CharField("操作人", max_length=100)
    # The actor's unit: one log per deployment, the auditor's views filter it by unit.
    unit_id = models.BigIntegerField("单位编号", null=True, db_index=True)
    object_type = models.CharField("对象类型", max_length=32, blank=True)
    object_id = models.BigIntegerField("对象编号", null=True, db_index=True)
    object_text = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True)
    after = models.JSONField("变更后", null=True)
    at = models.DateTimeField("时间", db_index=True)
    correlation_id = models.CharField("关联号", max_length=64, blank=True, db_index=True)
    request_id = models.BigIntegerField("审批单号", null=True)
    algorithm = models.CharField("哈希算法", max_length=16)
    hash = models.CharField("内容哈希", max_length=64)
    # PostgreSQL: the inserting transaction's id (pg_current_xact_id()). The sequencer seals only
    # rows whose transaction is older than every one still running (see audit/sequencer.py).
    xid = models.BigIntegerField("事务号", null=True, db_index=True)

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


class AuditLeaf(models.Model):
    """Leaf `index` of the tree is the event `event`: written once, by the sequencer."""

    index = models.BigIntegerField("叶子序号", primary_key=True)
    # No database constraint, DO_NOTHING: an audit row is never deleted; if one is (past the
    # trigger) its leaf stays and `verify` names the missing record.
    event = models.OneToOneField(
        AuditEvent,
        verbose_name="审计记录",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="leaf",
    )

    class Meta:
        verbose_name = "叶子"
        verbose_name_plural = "叶子"
        ordering = ["index"]

    def __str__(self) -> str:
        return f"leaf {self.index}"


class AuditTreeHead(models.Model):
    """The tree after one sequencer batch: its size, root and what the next batch extends."""

    size = models.BigIntegerField("树大小", unique=True)
    root = models.CharField("根哈希", max_length=64)
    algorithm = models.CharField("哈希算法", max_length=16)
    # Roots of the perfect subtrees (largest first), hex: the next batch extends the tree from
    # them without reading old leaves. `verify` recomputes them, so a forged frontier shows.
    frontier = models.JSONField("边界", default=list)
    # PostgreSQL: every row of a transaction older than this id is sealed (snapshot xmin);
    # SQLite: every row up to this seq is sealed.
    horizon = models.BigIntegerField("封存界限", default=0)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "树头"
        verbose_name_plural = "树头"
        ordering = ["size"]

    def __str__(self) -> str:
        return f"tree {self.size}"


class CheckpointReason(models.TextChoices):
    HOURLY = "hourly", "定时发布"
    MANUAL = "manual", "手动生成"
    DESTRUCTION = "destruction", "销毁证明"
    STOCKTAKE = "stocktake", "清查报告"
    YEARLY = "yearly", "年度报告"


class AuditCheckpoint(models.Model):
    """A signed checkpoint (C2SP signed-note) the deployment published; a superior keeps copies."""

    size = models.BigIntegerField("树大小")
    root = models.CharField("根哈希", max_length=64)
    origin = models.CharField("日志标识", max_length=200)
    note = models.TextField("签名检查点")
    reason = models.CharField("原因", max_length=16, choices=CheckpointReason.choices)
    subject = models.CharField("涉及", max_length=200, blank=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"
