"""Destinations, statuses and stages of the review before publication or provision (REV-1…3)."""

from django.db import models

# What kind of approval authority (org.ApprovalAuthority.kind, a free string) makes a person a
# leader who may sign off reviews, besides the unit head.
REVIEW_AUTHORITY = "review"


class Destination(models.TextChoices):
    """发布途径 / 提供对象: REV-1 (publication) and REV-2 (provision to outside parties)."""

    WEBSITE = "website", "门户网站"
    PUBLIC_BOARD = "public_board", "公开栏"
    MEDIA = "media", "新闻媒体"
    OUTSIDE_PARTY = "outside_party", "对外提供（合作单位等）"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SCAN_FAILED = "scan_failed", "自动检查未完成"
    # The scan found a marking or a listed term: nothing moves until a leader with the review
    # authority decides, with a reason, that the hits do not stand in the way (REV-3).
    HITS_PENDING = "hits_pending", "自动检查有命中，待领导判定"
    SELF_CHECK = "self_check", "待本人自查"
    FIRST_REVIEW = "first_review", "待部门初审"
    LEADER_REVIEW = "leader_review", "待领导签批"
    UNIT_HEAD_REVIEW = "unit_head_review", "待单位负责人签批"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "审查通过"
    PUBLISHED = "published", "已发布"


class Stage(models.TextChoices):
    SCAN = "scan", "自动检查"
    HIT_DECISION = "hit_decision", "命中判定"
    SELF_CHECK = "self_check", "本人自查"
    FIRST_REVIEW = "first_review", "部门初审"
    LEADER = "leader", "领导签批"
    UNIT_HEAD = "unit_head", "单位负责人签批"
    PUBLISH = "publish", "发布"


class Outcome(models.TextChoices):
    PASSED = "passed", "通过"
    HITS = "hits", "有命中，待判定"
    RETURNED = "returned", "退回"
    FAILED = "failed", "未完成"
    DONE = "done", "已办理"


# The human stages in order (the hit decision only when the scan found something), and the status an item waits in for each.
WAITING_FOR = {
    ReviewStatus.HITS_PENDING: Stage.HIT_DECISION,
    ReviewStatus.SELF_CHECK: Stage.SELF_CHECK,
    ReviewStatus.FIRST_REVIEW: Stage.FIRST_REVIEW,
    ReviewStatus.LEADER_REVIEW: Stage.LEADER,
    ReviewStatus.UNIT_HEAD_REVIEW: Stage.UNIT_HEAD,
}
# The author may still revise an item held by its hits (take the marking out, resubmit).
EDITABLE = (
    ReviewStatus.DRAFT,
    ReviewStatus.RETURNED,
    ReviewStatus.SCAN_FAILED,
    ReviewStatus.HITS_PENDING,
)
