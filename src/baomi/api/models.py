"""What the API remembers of a write sent with an `Idempotency-Key` (issue 10, item 7)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class IdempotentRequest(models.Model):
    """The first answer to (caller, key): a retry after a lost answer gets it again instead of
    doing the write twice. Stored in the same transaction as the write itself, so the two can
    never disagree; forgotten after BAOMI_IDEMPOTENCY_HOURS (24 h)."""

    caller = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="+", verbose_name="调用者"
    )
    key = models.CharField("幂等键", max_length=255)
    method = models.CharField("方法", max_length=10)
    path = models.CharField("路径", max_length=1000)
    body_sha256 = models.CharField("请求体 SHA-256", max_length=64)
    status = models.PositiveSmallIntegerField("状态码")
    content_type = models.CharField("内容类型", max_length=100)
    response = models.BinaryField("响应体")
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "幂等请求"
        verbose_name_plural = "幂等请求"
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="api_idempotency_per_caller")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
