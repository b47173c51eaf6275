from django.db import models


class DecisionStatus(models.TextChoices):
    """PER-2: 部门提出 → 部门负责人审核 → 单位负责人批准."""

    PROPOSED = "proposed", "部门已提出"
    CHECKED = "checked", "负责人已审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未通过"


class VettingResult(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class CommitmentKind(models.TextChoices):
    ON_POST = "on_post", "保密承诺书（上岗）"
    DEPARTURE = "departure", "离岗保密承诺书"
    AFTER_TRANSFER = "after_transfer", "脱密期调动/辞职后保密承诺书"


class DepartureKind(models.TextChoices):
    POST_CHANGE = "post_change", "调离涉密岗位"
    TRANSFER = "transfer", "调出本单位"
    RESIGNATION = "resignation", "辞职"
    RETIREMENT = "retirement", "退休"


class DepartureStatus(models.TextChoices):
    OPEN = "open", "办理中"
    COMPLETED = "completed", "已离岗"


class MoveKind(models.TextChoices):
    """PER-6: what a person in the 脱密期 asks for."""

    TRANSFER = "transfer", "调动"
    RESIGNATION = "resignation", "辞职"


class MoveStatus(models.TextChoices):
    REQUESTED = "requested", "待审批"
    COMPLETED = "completed", "已办结"


class TravelStatus(models.TextChoices):
    REQUESTED = "requested", "待审批"
    BRIEFED = "briefed", "已行前教育"
    ABROAD = "abroad", "已出境"
    REPORTED = "reported", "已回国报告"
