"""Requests and their approval steps (APR-1, APR-2, APR-3).

A request names exactly what it covers (carriers, copies, person, due date); each carrier item is
consumed by the one action it authorises. Steps are rows so that multi-step paths fit later.
"""

from __future__ import annotations

from django.db import models

from baomi.approvals.choices import PolicyRole, RequestKind, RequestStatus, StepOutcome
from baomi.classification.choices import Level
from baomi.org.models import Person, Unit


class Request(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="requests"
    )
    kind = models.CharField("类型", max_length=32, choices=RequestKind.choices)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    requester = models.ForeignKey(
        Person, verbose_name="申请人", on_delete=models.PROTECT, related_name="requests_made"
    )
    # The person the carriers go to (a loan or take-out); usually the requester.
    beneficiary = models.ForeignKey(
        Person, verbose_name="使用人", on_delete=models.PROTECT, related_name="requests_for"
    )
    reason = models.CharField("事由", max_length=500)
    due_date = models.DateField("归还期限", null=True, blank=True)
    copies = models.PositiveSmallIntegerField("份数", null=True, blank=True)
    destination = models.CharField("外出地点", max_length=200, blank=True)
    # CR-8: carried to a leader's residence (送领导住所) — back the same day, never overnight.
    to_residence = models.BooleanField("送领导住所", default=False)
    # CR-7: the issuing authority's written consent to copy (绝密, 不准复印, and 机密 by setting).
    issuer_consent_doc = models.CharField("制文机关同意文号", max_length=100, blank=True)
    issuer_consent_date = models.DateField("制文机关同意日期", null=True, blank=True)
    # APR-3: what a RECLASSIFICATION / SCOPE_WIDENING approval allows, exactly — the new level,
    # category and period (or declassify), or the people and departments added/removed.
    proposed_change = models.JSONField("拟变更内容", null=True, blank=True)
    created_at = models.DateTimeField("申请时间")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    expires_at = models.DateTimeField("批准失效时间", null=True, blank=True)
    carriers = models.ManyToManyField(
        "carriers.Carrier", through="RequestItem", related_name="requests"
    )

    class Meta:
        verbose_name = "审批申请"
        verbose_name_plural = "审批申请"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}申请 #{self.pk}"

    def audit_text(self) -> str:
        return f"{self.get_kind_display()}申请 #{self.pk}"

    def get_kind_display(self) -> str:
        """The Chinese name of the kind, built-in or registered by a domain app (`kinds`)."""
        from baomi.approvals.kinds import label

        return label(self.kind) or self.kind

    @property
    def related_url(self) -> str:
        """For a registered kind: the page of what the request is about (its meeting, device…)."""
        from baomi.approvals.kinds import spec_of

        spec = spec_of(self.kind)
        if spec is None or spec.url_of is None:
            return ""
        return spec.url_of(self.proposed_change or {})

    @property
    def proposed_change_text(self) -> str:
        """拟变更为：秘密★5年 / 拟解密 / 拟增加知悉范围：张三 (APR-3)."""
        from baomi.approvals.changes import describe
        from baomi.approvals.kinds import spec_of

        spec = spec_of(self.kind)
        if spec is not None:
            return spec.describe(self.proposed_change or {})
        return describe(self.proposed_change)


class RequestItem(models.Model):
    """One carrier named by a request; `consumed_at` is set by the action it authorised."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="items")
    carrier = models.ForeignKey(
        "carriers.Carrier", on_delete=models.PROTECT, related_name="request_items"
    )
    consumed_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "carrier"], name="request_item_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.request_id}/{self.carrier_id}"


class ApprovalStep(models.Model):
    """One step of a request's path, addressed to one approver."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序", default=1)
    approver = models.ForeignKey(
        Person, verbose_name="审批人", on_delete=models.PROTECT, related_name="approval_steps"
    )
    outcome = models.CharField(
        "意见", max_length=16, choices=StepOutcome.choices, default=StepOutcome.PENDING
    )
    comment = models.CharField("审批意见", max_length=500, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    # The policy role this step stands for ("" for a single-step request without a policy).
    role = models.CharField("环节", max_length=32, choices=PolicyRole.choices, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "order"], name="step_unique_order")
        ]

    def __str__(self) -> str:
        return f"#{self.request_id} 第{self.order}步"


class ApprovalPolicy(models.Model):
    """A unit's approval path for one kind of request at one level (the highest level of the
    carriers the request names). No row: the request goes to the one approver it names."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="approval_policies"
    )
    kind = models.CharField("申请类型", max_length=32, choices=RequestKind.choices)
    level = models.CharField("密级", max_length=16, choices=Level.choices)

    class Meta:
        verbose_name = "审批路径"
        verbose_name_plural = "审批路径"
        ordering = ["unit_id", "kind", "level"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "level"], name="policy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.get_level_display()}"

    def audit_text(self) -> str:
        return f"审批路径 {self.get_kind_display()}·{self.get_level_display()}"


class PolicyStep(models.Model):
    """One ordered step of a policy: a role, or a named person (role = person)."""

    policy = models.ForeignKey(ApprovalPolicy, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    role = models.CharField("环节", max_length=32, choices=PolicyRole.choices)
    person = models.ForeignKey(
        Person,
        verbose_name="指定人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "order"], name="policy_step_unique"),
            models.CheckConstraint(
                name="policy_step_person_iff_role_person",
                condition=(
                    models.Q(role=PolicyRole.PERSON, person__isnull=False)
                    | (~models.Q(role=PolicyRole.PERSON) & models.Q(person__isnull=True))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} 第{self.order}步 {self.get_role_display()}"


def step_states(steps, *, open_request: bool = True) -> list[tuple[ApprovalStep, str]]:
    """Each step with what a reader should see: 同意/不同意 once decided; of the pending ones the
    first is 待审批 and the later ones 等待前一步 — the order is the approval path's. Once the
    request is decided or withdrawn, an undecided step is 未审批."""
    rows, waiting_seen = [], False
    for step in sorted(steps, key=lambda s: s.order):
        if step.outcome == StepOutcome.PENDING and not open_request:
            rows.append((step, "未审批"))
        elif step.outcome != StepOutcome.PENDING:
            rows.append((step, step.get_outcome_display()))
        elif waiting_seen:
            rows.append((step, "等待前一步"))
        else:
            rows.append((step, "待审批"))
            waiting_seen = True
    return rows
