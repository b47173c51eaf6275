"""The publication register (信息发布审查登记) with its official columns, for xlsx and PDF."""

from __future__ import annotations

from baomi.classification.choices import LEVEL_RANK, Level
from baomi.review.choices import Outcome, ReviewStatus, Stage

COLUMNS = [
    "序号",
    "标题",
    "信息来源",
    "承办部门",
    "发布途径",
    "部门初审意见",
    "专业审核人意见",
    "单位领导签批意见",
    "发布时间",
]


def _opinion(step) -> str:
    if step is None:
        return ""
    return f"{step.comment}（{step.actor_name}，{step.at:%Y-%m-%d}）"


def row_of(review) -> dict:
    """Columns from the last round's passed steps. 专业审核人 = the leader who signed off
    (unit head or holder of the "review" authority); 单位领导签批 = the unit head's signature
    (for 特别重要 items, or when the unit head signed the leader step)."""
    passed = {
        s.stage: s
        for s in sorted(review.steps.all(), key=lambda s: s.pk)
        if s.round == review.round and s.outcome == Outcome.PASSED
    }
    leader = passed.get(Stage.LEADER)
    head = passed.get(Stage.UNIT_HEAD)
    if head is None and leader is not None and leader.actor and leader.actor.is_unit_head:
        head = leader
    where = review.get_destination_display()
    if review.published_where:
        where += f"：{review.published_where}"
    return {
        "title": review.title,
        "source": review.source or review.author.name,
        "department": review.department.name,
        "destination": where,
        "first": _opinion(passed.get(Stage.FIRST_REVIEW)),
        "professional": _opinion(leader),
        "head": _opinion(head) if head else ("—" if leader else ""),
        "published_on": review.published_on.isoformat() if review.published_on else "",
        "level": review.level,
    }


def register_rows(reviews) -> list[dict]:
    reviews = (
        reviews.filter(status__in=[ReviewStatus.APPROVED, ReviewStatus.PUBLISHED])
        .select_related("author", "department")
        .prefetch_related("steps__actor")
    )
    return [row_of(r) for r in reviews.order_by("approved_at", "id")]


def highest_level(rows) -> str | None:
    levels = [r["level"] for r in rows if r["level"] != Level.PUBLIC]
    if not levels:
        return None
    return Level(max(levels, key=lambda lv: LEVEL_RANK[Level(lv)])).label
