"""Who may do what in a review (REV-1, REV-3, APR-1, PER-1): used by the actions (to refuse) and
by the pages (to offer only what the viewer may do).

Who reviews (decision, until org has a department-head field): the submission names its first
reviewer, who must be in the 承办部门 and not the author. The leader's sign-off needs the unit head
(`Person.is_unit_head`) or an `ApprovalAuthority` of kind "review" whose level covers the item. An
item marked 特别重要 needs the unit head too; if the leader who signed is the unit head, that one
signature counts for both.

A scan that found a marking or a listed term holds the item (REV-3) until somebody who could sign
it off — and whose level covers the highest level the hits name — decides, with a reason, whether
it may go on (the hits are quotations, a false alarm…) or goes back to the author.
"""

from __future__ import annotations

from baomi.classification.choices import Level, rank
from baomi.lib.errors import BaomiError, Forbidden, InvalidState, RuleViolation
from baomi.org.models import Person
from baomi.review.choices import EDITABLE, REVIEW_AUTHORITY, WAITING_FOR, ReviewStatus, Stage


def is_business(person: Person) -> bool:
    return person is not None and person.active and not person.has_system_role


def require_business(person: Person) -> None:
    if not is_business(person):
        raise Forbidden("三员及不在岗人员不参与保密审查（SEC-3）。")


def may_sign_off(person: Person, level: str) -> bool:
    """The leader's sign-off: the unit head, or an approval authority for reviews."""
    if person.is_unit_head:
        return True
    return any(
        rank(a.max_level) >= rank(level)
        for a in person.authorities.all()
        if a.kind == REVIEW_AUTHORITY
    )


def hit_level(review) -> str:
    """The level a hit decision needs: the item's own, or the highest a found marking names."""
    scan = review.last_scan
    levels = [review.level]
    if scan is not None:
        levels += [f["level"] for f in scan.findings if f.get("level") in Level.values]
    return max(levels, key=rank)


def may_manage_terms(person: Person) -> bool:
    """The sensitive-term list is kept by the unit's 保密员 (or the unit head)."""
    return is_business(person) and (person.is_registry_clerk or person.is_unit_head)


def may_publish(person: Person, review) -> bool:
    return is_business(person) and (person.pk == review.author_id or person.is_registry_clerk)


def stage_refusal(person: Person, review, stage: str) -> BaomiError | None:
    """Why `person` may not decide `stage` of `review` now, or None."""
    if not is_business(person):
        return Forbidden("三员及不在岗人员不参与保密审查（SEC-3）。")
    if review.status in (ReviewStatus.DRAFT, ReviewStatus.SCAN_FAILED):
        return RuleViolation(
            "REV-3",
            "该稿件未通过自动检查（未提交，或有文件无法检查），不能进入人工审查（REV-3）。",
        )
    if review.status == ReviewStatus.HITS_PENDING and stage != Stage.HIT_DECISION:
        return RuleViolation(
            "REV-3",
            "自动检查发现密级标志或敏感词，须先由有审查审批权限的领导判定并写明理由，"
            "才能继续审查、发布或对外提供（REV-3）。",
        )
    waiting = WAITING_FOR.get(review.status)
    if waiting is None:
        return InvalidState(
            f"该稿件当前状态为“{ReviewStatus(review.status).label}”，没有待办的审查环节。",
            {"status": review.status},
        )
    if stage != waiting:
        return RuleViolation(
            "REV-1",
            f"不得越级或重复审查：当前环节为“{Stage(waiting).label}”，"
            f"不是“{Stage(stage).label}”（REV-1）。",
        )
    if stage == Stage.SELF_CHECK:
        if person.pk != review.author_id:
            return RuleViolation("REV-1", "本人自查须由拟稿人本人签署（REV-1）。")
        return None
    if person.pk == review.author_id:
        return RuleViolation("APR-1", "不得审查本人提交的稿件（APR-1）。")
    if not person.covers(review.level):
        return RuleViolation(
            "PER-1",
            f"您的涉密等级不能审查{review.get_level_display()}内容（PER-1）。",
        )
    if stage == Stage.HIT_DECISION:
        level = hit_level(review)
        if not person.covers(level) or not may_sign_off(person, level):
            return RuleViolation(
                "REV-3",
                "自动检查发现密级标志或敏感词：须由单位负责人或具有保密审查审批权限、"
                f"涉密等级覆盖{Level(level).label}的领导判定（REV-3）。",
            )
        return None
    if stage == Stage.FIRST_REVIEW and person.pk != review.first_reviewer_id:
        return RuleViolation("REV-1", "部门初审须由本稿件指定的承办部门初审人办理（REV-1）。")
    if stage == Stage.LEADER and not may_sign_off(person, review.level):
        return RuleViolation(
            "REV-1", "领导签批须由单位负责人或具有保密审查审批权限的领导办理（REV-1）。"
        )
    if stage == Stage.UNIT_HEAD and not person.is_unit_head:
        return RuleViolation("REV-1", "特别重要的稿件须经单位负责人签批（REV-1）。")
    return None


def waiting_stage(review) -> str | None:
    return WAITING_FOR.get(review.status)


def offered_stage(person: Person, review) -> str | None:
    """The stage the viewer may decide now (for the page), or None."""
    stage = waiting_stage(review)
    if stage is None or stage_refusal(person, review, stage) is not None:
        return None
    return stage


def may_edit(person: Person, review) -> bool:
    return person.pk == review.author_id and review.status in EDITABLE
