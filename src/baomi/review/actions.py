"""The only writers of reviews and term lists (REV-1, REV-2, REV-3, SCAN-1, SEC-5).

A submission is scanned automatically when it is submitted, before any person reviews it
(REV-3); a marking or a listed term found holds the item until a leader with the review authority
records a decision with a reason (命中判定); then the author's self-check, the department's first review and the leader's sign-off
(and the unit head's for 特别重要 items), each able to send it back (REV-1). Provision to outside
parties (对外提供) follows the same path (REV-2). Only an approved item can be marked published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.utils import timezone

from baomi.audit.trail import record
from baomi.classification.choices import Level
from baomi.lib import filestore
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.models import Department, Person, Unit
from baomi.review import policies
from baomi.review.choices import EDITABLE, Destination, Outcome, ReviewStatus, Stage
from baomi.review.models import (
    Review,
    ReviewFile,
    ReviewScan,
    ReviewStep,
    TermList,
    TermListVersion,
)
from baomi.review.scanning import scan_submission
from baomi.scanner.terms import parse_terms

MAX_FILE_BYTES = 50 << 20
MAX_FILES = 20
MAX_TERMS = 50_000
MAX_TERM_LENGTH = 100


@dataclass
class ReviewForm:
    """What the author fills in; `first_reviewer` is the 承办部门's first reviewer (部门初审)."""

    title: str
    destination: str
    department: Department
    first_reviewer: Person
    text: str = ""
    source: str = ""
    destination_detail: str = ""
    important: bool = False
    level: str = Level.PUBLIC


def _lock(review: Review) -> Review:
    # Two reviewers deciding at once must not both move the same stage.
    return Review.objects.select_for_update().get(pk=review.pk)


def _validate(actor: Person, form: ReviewForm) -> None:
    errors: dict[str, list[str]] = {}
    if not (form.title or "").strip():
        errors["title"] = ["标题不能为空"]
    if form.destination not in Destination.values:
        errors["destination"] = ["发布途径无效"]
    if form.level not in Level.values:
        errors["level"] = ["密级无效"]
    if form.department is None or form.department.unit_id != actor.unit_id:
        errors["department_id"] = ["承办部门须为本单位部门"]
    if form.first_reviewer is None or form.first_reviewer.unit_id != actor.unit_id:
        errors["first_reviewer_id"] = ["初审人须为本单位人员"]
    if errors:
        raise Invalid("输入有误，请按提示修改。", errors)
    if not actor.covers(form.level):
        raise RuleViolation(
            "PER-1", f"您的涉密等级不能处理{Level(form.level).label}内容（PER-1）。"
        )
    if form.first_reviewer.pk == actor.pk:
        raise RuleViolation("APR-1", "初审人不能是拟稿人本人（APR-1）。")
    if form.first_reviewer.department_id != form.department.pk:
        raise RuleViolation("REV-1", "部门初审须由承办部门的人员办理（REV-1）。")
    if not form.first_reviewer.covers(form.level) or not policies.is_business(form.first_reviewer):
        raise RuleViolation(
            "PER-1", f"初审人的涉密等级不能审查{Level(form.level).label}内容（PER-1）。"
        )


def _fields(form: ReviewForm) -> dict:
    return {
        "title": form.title.strip(),
        "text": form.text or "",
        "source": (form.source or "").strip(),
        "destination": form.destination,
        "destination_detail": (form.destination_detail or "").strip(),
        "department": form.department,
        "first_reviewer": form.first_reviewer,
        "important": bool(form.important),
        "level": form.level,
    }


def _snapshot(review: Review) -> dict:
    return {
        "status": review.status,
        "round": review.round,
        "level": review.level,
        "destination": review.destination,
        "important": review.important,
    }


@action("review.create")
def create_review(actor: Person, form: ReviewForm) -> Review:
    """A draft submission (REV-1/REV-2); it is scanned when submitted."""
    policies.require_business(actor)
    _validate(actor, form)
    review = Review.objects.create(unit_id=actor.unit_id, author=actor, **_fields(form))
    record("review.create", actor, review, after=_snapshot(review))
    return review


@action("review.update")
def update_review(actor: Person, review: Review, form: ReviewForm) -> Review:
    """The author revises a draft or a returned item (it is scanned again when resubmitted)."""
    review = _lock(review)
    _require_author_editing(actor, review)
    _validate(actor, form)
    for name, value in _fields(form).items():
        setattr(review, name, value)
    review.save()
    record("review.update", actor, review, after=_snapshot(review))
    return review


def _require_author_editing(actor: Person, review: Review) -> None:
    policies.require_business(actor)
    if actor.pk != review.author_id:
        raise Forbidden("只有拟稿人可以修改或提交稿件。")
    if review.status not in EDITABLE:
        raise InvalidState(
            f"稿件当前状态为“{review.get_status_display()}”，不能修改。",
            {"status": review.status},
        )


@action("review.attach_file")
def attach_file(
    actor: Person, review: Review, *, name: str, data: bytes, content_type: str = ""
) -> ReviewFile:
    """Store an uploaded file encrypted at rest (SEC-5)."""
    review = _lock(review)
    _require_author_editing(actor, review)
    name = (name or "").replace("/", "_").replace("\\", "_").strip()[:255]
    if not name:
        raise Invalid("文件名不能为空。", {"file": ["文件名不能为空"]})
    if len(data) > MAX_FILE_BYTES:
        raise Invalid("文件过大。", {"file": [f"文件不能超过 {MAX_FILE_BYTES >> 20} MB"]})
    if review.files.filter(removed=False).count() >= MAX_FILES:
        raise Invalid("附件过多。", {"file": [f"最多 {MAX_FILES} 个附件"]})
    blob = filestore.save(data)
    attached = ReviewFile.objects.create(
        review=review,
        name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type[:100],
        blob=blob,
    )
    record(
        "review.attach_file",
        actor,
        review,
        after={"file": attached.pk, "size": attached.size, "sha256": attached.sha256},
    )
    return attached


@action("review.remove_file")
def remove_file(actor: Person, review: Review, attached: ReviewFile) -> ReviewFile:
    """Take a file off the submission (e.g. one the scanner could not read); the blob stays."""
    review = _lock(review)
    _require_author_editing(actor, review)
    if attached.review_id != review.pk or attached.removed:
        raise Invalid("附件不存在。", {"file_id": ["附件不存在"]})
    attached.removed = True
    attached.save(update_fields=["removed"])
    record("review.remove_file", actor, review, after={"file": attached.pk})
    return attached


def read_file(attached: ReviewFile) -> bytes:
    return filestore.read(attached.blob)


@action("review.submit")
def submit(actor: Person, review: Review) -> Review:
    """Submit (or resubmit) for review: the automatic scan runs first, with the unit's current
    term-list version (REV-3). A scan that could not read everything leaves the item in
    "自动检查未完成", from which no human review may start; a scan that found a marking or a
    listed term holds it for a leader's decision (a hit never counts as passed)."""
    review = _lock(review)
    _require_author_editing(actor, review)
    files = list(review.files.filter(removed=False))
    if not review.text.strip() and not files:
        raise Invalid("正文和附件不能都为空。", {"text": ["请填写正文或上传附件"]})
    version = (
        TermListVersion.objects.filter(term_list__unit_id=review.unit_id)
        .order_by("-number")
        .first()
    )
    contents = []
    unreadable = []
    for f in files:
        try:
            contents.append((f.name, read_file(f)))
        except filestore.FileStoreError as error:
            unreadable.append({"file": f.name, "code": "unreadable", "message": str(error)})
    outcome = scan_submission(
        review.title, review.text, contents, list(version.terms) if version else []
    )
    outcome.problems += unreadable
    review.round += 1
    review.submitted_at = timezone.now()
    hits = outcome.hit_count > 0 or bool(outcome.findings)
    if not outcome.ok:
        review.status, step_outcome = ReviewStatus.SCAN_FAILED, Outcome.FAILED
    elif hits:
        review.status, step_outcome = ReviewStatus.HITS_PENDING, Outcome.HITS
    else:
        review.status, step_outcome = ReviewStatus.SELF_CHECK, Outcome.PASSED
    review.save(update_fields=["round", "submitted_at", "status"])
    scan = ReviewScan.objects.create(
        review=review,
        round=review.round,
        term_version=version,
        ok=outcome.ok,
        hit_count=outcome.hit_count,
        findings=outcome.findings,
        problems=outcome.problems,
    )
    ReviewStep.objects.create(
        review=review,
        round=review.round,
        stage=Stage.SCAN,
        outcome=step_outcome,
        actor=None,
        actor_name="自动检查",
        comment=_scan_comment(scan, version),
    )
    record(
        "review.submit",
        actor,
        review,
        after={
            **_snapshot(review),
            "scan": scan.pk,
            "term_version": version.number if version else None,
            "hits": scan.hit_count,
            "problems": len(scan.problems),
        },
    )
    return review


def _scan_comment(scan: ReviewScan, version: TermListVersion | None) -> str:
    terms = f"敏感词表第{version.number}版" if version else "无敏感词表"
    text = f"{terms}；命中 {scan.hit_count} 处"
    if scan.problems:
        text += f"；{len(scan.problems)} 处无法检查，须修改后重新提交"
    elif scan.hit_count:
        text += "；须由有审查审批权限的领导判定并写明理由后方可继续（REV-3）"
    return text


def _decide(actor: Person, review: Review, stage: str) -> Review:
    review = _lock(review)
    refusal = policies.stage_refusal(actor, review, stage)
    if refusal is not None:
        raise refusal
    return review


def _step(review: Review, stage: str, outcome: str, actor: Person, comment: str) -> None:
    ReviewStep.objects.create(
        review=review,
        round=review.round,
        stage=stage,
        outcome=outcome,
        actor=actor,
        actor_name=actor.name,
        comment=comment,
    )


@action("review.self_check")
def self_check(actor: Person, review: Review, statement: str) -> Review:
    """The author's signed self-check (自查), the first human level (REV-1)."""
    review = _decide(actor, review, Stage.SELF_CHECK)
    if not (statement or "").strip():
        raise Invalid("请填写自查声明。", {"statement": ["请填写自查声明"]})
    _step(review, Stage.SELF_CHECK, Outcome.PASSED, actor, statement.strip())
    before = review.status
    review.status = ReviewStatus.FIRST_REVIEW
    review.save(update_fields=["status"])
    record("review.self_check", actor, review, before={"status": before}, after=_snapshot(review))
    return review


_NEXT = {
    Stage.HIT_DECISION: ReviewStatus.SELF_CHECK,
    Stage.FIRST_REVIEW: ReviewStatus.LEADER_REVIEW,
    Stage.LEADER: ReviewStatus.APPROVED,
    Stage.UNIT_HEAD: ReviewStatus.APPROVED,
}


DECIDING_STAGES = (Stage.HIT_DECISION, Stage.FIRST_REVIEW, Stage.LEADER, Stage.UNIT_HEAD)


@action("review.approve")
def approve(actor: Person, review: Review, stage: str, comment: str = "") -> Review:
    """Pass one level (命中判定, 部门初审, 领导签批, 单位负责人签批); levels cannot be skipped
    (REV-1). Letting hits through needs the reason written down (REV-3)."""
    if stage not in DECIDING_STAGES:
        raise Invalid("审查环节无效。", {"stage": ["审查环节无效"]})
    review = _decide(actor, review, stage)
    if stage == Stage.HIT_DECISION and not (comment or "").strip():
        raise Invalid(
            "判定自动检查命中不影响发布，须写明理由。",
            {"comment": ["请写明判定理由（如：命中内容为公开法规原文）"]},
        )
    _step(review, stage, Outcome.PASSED, actor, (comment or "").strip() or "同意")
    before = review.status
    status = _NEXT[stage]
    # 特别重要: the unit head signs too, unless the leader who signed is the unit head.
    if stage == Stage.LEADER and review.important and not actor.is_unit_head:
        status = ReviewStatus.UNIT_HEAD_REVIEW
    review.status = status
    if status == ReviewStatus.APPROVED:
        review.approved_at = timezone.now()
    review.save(update_fields=["status", "approved_at"])
    record(
        "review.approve",
        actor,
        review,
        before={"status": before},
        after={**_snapshot(review), "stage": stage},
    )
    return review


@action("review.send_back")
def send_back(actor: Person, review: Review, stage: str, comment: str) -> Review:
    """Any reviewing level (the hit decision too) may send the item back with comments."""
    if stage not in DECIDING_STAGES:
        raise Invalid("审查环节无效。", {"stage": ["审查环节无效"]})
    review = _decide(actor, review, stage)
    if not (comment or "").strip():
        raise Invalid("退回须写明意见。", {"comment": ["退回须写明意见"]})
    _step(review, stage, Outcome.RETURNED, actor, comment.strip())
    before = review.status
    review.status = ReviewStatus.RETURNED
    review.save(update_fields=["status"])
    record(
        "review.send_back",
        actor,
        review,
        before={"status": before},
        after={**_snapshot(review), "stage": stage},
    )
    return review


@action("review.publish")
def publish(actor: Person, review: Review, *, where: str, on: date) -> Review:
    """Mark an approved item published (or provided), with where and when (REV-1)."""
    review = _lock(review)
    policies.require_business(actor)
    if not policies.may_publish(actor, review):
        raise Forbidden("只有拟稿人或保密员可以登记发布。")
    if review.status == ReviewStatus.PUBLISHED:
        raise InvalidState("该稿件已登记发布。", {"status": review.status})
    if review.status != ReviewStatus.APPROVED:
        raise RuleViolation(
            "REV-1",
            f"未经保密审查批准的稿件不得发布或对外提供（当前：{review.get_status_display()}）"
            "（REV-1）。",
        )
    errors = {}
    if not (where or "").strip():
        errors["where"] = ["请填写发布位置（网站栏目、公开栏、媒体或接收单位）"]
    if on is None or on > timezone.localdate():
        errors["on"] = ["发布日期不能为空，也不能晚于今天"]
    if errors:
        raise Invalid("输入有误，请按提示修改。", errors)
    review.status = ReviewStatus.PUBLISHED
    review.published_where = where.strip()[:200]
    review.published_on = on
    review.published_by = actor
    review.save(update_fields=["status", "published_where", "published_on", "published_by"])
    _step(review, Stage.PUBLISH, Outcome.DONE, actor, f"{review.published_where}（{on:%Y-%m-%d}）")
    record(
        "review.publish",
        actor,
        review,
        before={"status": ReviewStatus.APPROVED},
        after={**_snapshot(review), "where": review.published_where, "on": on.isoformat()},
    )
    return review


# --- sensitive-term lists ------------------------------------------------------------------------


def clean_terms(terms) -> list[str]:
    """Trimmed, without blanks, comments and duplicates, in the given order."""
    seen: dict[str, None] = {}
    for term in terms:
        term = str(term).strip()
        if term and not term.startswith("#"):
            seen.setdefault(term, None)
    return list(seen)


def parse_term_file(filename: str, data: bytes) -> list[str]:
    """Terms from an uploaded file: xlsx (first column of every sheet) or text (one a line)."""
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _xlsx_terms(data)
    return parse_terms(data)


_HEADERS = {"敏感词", "词语", "关键词", "term", "terms"}


def _xlsx_terms(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise Invalid("不是有效的 xlsx 文件。", {"file": ["不是有效的 xlsx 文件"]}) from error
    terms = []
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(max_col=1, values_only=True):
                value = row[0] if row else None
                if value is None:
                    continue
                text = str(value).strip()
                if text.lower() in _HEADERS:
                    continue
                terms.append(text)
    finally:
        book.close()
    return terms


def _check_terms(terms: list[str]) -> None:
    if len(terms) > MAX_TERMS:
        raise Invalid("敏感词过多。", {"terms": [f"最多 {MAX_TERMS} 个敏感词"]})
    long = [t for t in terms if len(t) > MAX_TERM_LENGTH]
    if long:
        raise Invalid(
            "敏感词过长。", {"terms": [f"每个敏感词不超过 {MAX_TERM_LENGTH} 字：{long[0][:20]}…"]}
        )
    if any(ord(c) < 32 and c != "\t" for t in terms for c in t):
        raise Invalid("敏感词不能包含控制字符。", {"terms": ["敏感词不能包含控制字符"]})


@action("term_list.save")
def save_terms(
    actor: Person, unit: Unit, terms: list[str], *, note: str = "", source: str = "编辑"
) -> TermListVersion:
    """A new version of the unit's sensitive-term list; versions are never changed afterwards,
    so every scan's recorded version still says what it looked for."""
    _require_term_keeper(actor, unit)
    return _save_terms(actor, unit, terms, note=note, source=source)


@action("term_list.import")
def import_terms(
    actor: Person, unit: Unit, *, filename: str, data: bytes, replace: bool = True, note: str = ""
) -> TermListVersion:
    """Import a text or xlsx file as a new version (replacing the list, or added to it)."""
    _require_term_keeper(actor, unit)
    terms = parse_term_file(filename, data)
    if not replace:
        current = TermListVersion.objects.filter(term_list__unit=unit).order_by("-number").first()
        terms = [*(current.terms if current else []), *terms]
    return _save_terms(actor, unit, terms, note=note, source=f"导入：{filename}"[:200])


def _require_term_keeper(actor: Person, unit: Unit) -> None:
    if not policies.may_manage_terms(actor) or actor.unit_id != unit.pk:
        raise Forbidden("只有本单位保密员或单位负责人可以维护敏感词表。")


def _save_terms(actor: Person, unit: Unit, terms, *, note: str, source: str) -> TermListVersion:
    terms = clean_terms(terms)
    _check_terms(terms)
    term_list, _ = TermList.objects.get_or_create(unit=unit)
    # The lock on the list row serialises version numbers.
    term_list = TermList.objects.select_for_update().get(pk=term_list.pk)
    current = term_list.versions.order_by("-number").first()
    if current is not None and list(current.terms) == terms:
        raise Invalid("与当前版本相同，未生成新版本。", {"terms": ["与当前版本相同"]})
    version = TermListVersion.objects.create(
        term_list=term_list,
        number=(current.number + 1) if current else 1,
        terms=terms,
        term_count=len(terms),
        note=(note or "").strip()[:200],
        source=(source or "")[:200],
        created_by=actor,
    )
    record(
        "term_list.save",
        actor,
        version,
        before={"version": current.number if current else None},
        after={"version": version.number, "terms": version.term_count, "source": version.source},
    )
    return version
