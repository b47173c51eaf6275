"""JSON API: reviews before publication or provision (REV-1…3) and the sensitive-term list.

`reviews`: a review id in the path that is unknown or above the caller's level is 404 (PER-1:
reviewers never see submissions above their level); ids in the body that are unknown are 422.
`term-lists/current` serves the unit's current terms as `{"terms": [...], "version": n}`, the shape
`baomi scan --terms-url` reads.
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import File, Form, Query, Router, Schema, UploadedFile
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
)
from baomi.api.schemas import (
    text as bounded,
)
from baomi.classification.choices import Level
from baomi.lib.errors import Forbidden, Invalid, NotFound
from baomi.review import actions, policies, selectors
from baomi.review.choices import Destination, Outcome, ReviewStatus, Stage
from baomi.review.models import Review, TermListVersion

router = Router()
terms_router = Router()


class ReviewFileOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    added_at: datetime


class ScanFindingOut(Schema):
    file: str
    kind: str
    part: str
    line: int
    text: str
    before: str
    after: str
    level: str
    level_display: str
    marking: str


class ScanProblemOut(Schema):
    file: str
    code: str
    message: str


class ReviewScanOut(Schema):
    id: int
    round: int
    ok: bool
    term_list_version: int | None
    hit_count: int
    findings: list[ScanFindingOut]
    problems: list[ScanProblemOut]
    at: datetime


class ReviewStepOut(Schema):
    round: int
    stage: str
    stage_display: str
    outcome: str
    outcome_display: str
    actor: Ref | None
    actor_name: str
    comment: str
    at: datetime


class ReviewOut(Schema):
    id: int
    title: str
    source: str
    text: str
    destination: str
    destination_display: str
    destination_detail: str
    department: Ref
    important: bool
    level: str
    level_display: str
    author: Ref
    first_reviewer: Ref
    status: str
    status_display: str
    waiting_stage: str | None
    round: int
    created_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    published_where: str
    published_on: date | None
    files: list[ReviewFileOut]
    scans: list[ReviewScanOut]
    steps: list[ReviewStepOut]


class ReviewSummaryOut(Schema):
    id: int
    title: str
    destination: str
    destination_display: str
    department: Ref
    important: bool
    level: str
    level_display: str
    author: Ref
    status: str
    status_display: str
    round: int
    hit_count: int | None
    created_at: datetime


class ReviewPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ReviewSummaryOut]


def _scan(s) -> dict:
    return {
        "id": s.pk,
        "round": s.round,
        "ok": s.ok,
        "term_list_version": s.term_version.number if s.term_version_id else None,
        "hit_count": s.hit_count,
        "findings": [{**_blank_finding(), **f} for f in s.findings],
        "problems": s.problems,
        "at": s.at,
    }


def _blank_finding() -> dict:
    keys = ("part", "text", "before", "after", "level", "level_display", "marking")
    return {k: "" for k in keys} | {"line": 0}


def review_out(r: Review) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "source": r.source,
        "text": r.text,
        "destination": r.destination,
        "destination_display": display(Destination, r.destination),
        "destination_detail": r.destination_detail,
        "department": ref(r.department),
        "important": r.important,
        "level": r.level,
        "level_display": display(Level, r.level),
        "author": ref(r.author),
        "first_reviewer": ref(r.first_reviewer),
        "status": r.status,
        "status_display": display(ReviewStatus, r.status),
        "waiting_stage": policies.waiting_stage(r),
        "round": r.round,
        "created_at": r.created_at,
        "submitted_at": r.submitted_at,
        "approved_at": r.approved_at,
        "published_where": r.published_where,
        "published_on": r.published_on,
        "files": [
            {"id": f.pk, "name": f.name, "size": f.size, "sha256": f.sha256, "added_at": f.added_at}
            for f in r.files.filter(removed=False)
        ],
        "scans": [_scan(s) for s in r.scans.select_related("term_version").order_by("-round")],
        "steps": [
            {
                "round": s.round,
                "stage": s.stage,
                "stage_display": display(Stage, s.stage),
                "outcome": s.outcome,
                "outcome_display": display(Outcome, s.outcome),
                "actor": ref(s.actor),
                "actor_name": s.actor_name,
                "comment": s.comment,
                "at": s.at,
            }
            for s in r.steps.select_related("actor").order_by("id")
        ],
    }


def summary_out(r: Review) -> dict:
    scan = max(r.scans.all(), key=lambda s: s.round, default=None)
    return {
        "id": r.pk,
        "title": r.title,
        "destination": r.destination,
        "destination_display": display(Destination, r.destination),
        "department": ref(r.department),
        "important": r.important,
        "level": r.level,
        "level_display": display(Level, r.level),
        "author": ref(r.author),
        "status": r.status,
        "status_display": display(ReviewStatus, r.status),
        "round": r.round,
        "hit_count": scan.hit_count if scan else None,
        "created_at": r.created_at,
    }


def visible_review(actor, review_id: int) -> Review:
    review = selectors.review_for(actor, review_id)
    if review is None:
        raise NotFound("审查稿件不存在，或您无权查看。")
    return review


class ReviewQuery(PageQuery):
    status: ReviewStatus | None = None
    destination: Destination | None = None
    to_review: bool | None = Field(None, description="true：当前等待本人办理的")


@router.get("", response={200: ReviewPage, **READ_ERRORS}, summary="保密审查列表")
def list_reviews(request, query: Query[ReviewQuery]):
    actor = request.auth
    reviews = selectors.reviews_visible_to(actor).select_related("author", "department")
    reviews = reviews.prefetch_related("scans")
    if query.status:
        reviews = reviews.filter(status=query.status)
    if query.destination:
        reviews = reviews.filter(destination=query.destination)
    if query.to_review:
        ids = [r.pk for r in reviews if policies.offered_stage(actor, r)]
        reviews = reviews.filter(pk__in=ids)
    return paginate(reviews.order_by("-created_at", "-id"), query, summary_out)


class ReviewIn(InputSchema):
    title: bounded(200, min_length=1)
    text: bounded(200_000) = ""
    source: bounded(200) = ""
    destination: Destination
    destination_detail: bounded(200) = ""
    department_id: Id
    first_reviewer_id: Id
    important: bool = False
    level: Level = Level.PUBLIC


def _form(actor, payload: ReviewIn) -> actions.ReviewForm:
    return actions.ReviewForm(
        title=payload.title,
        text=payload.text,
        source=payload.source,
        destination=payload.destination,
        destination_detail=payload.destination_detail,
        department=lookups.departments(actor, [payload.department_id], "department_id")[0],
        first_reviewer=lookups.person(actor, payload.first_reviewer_id, "first_reviewer_id"),
        important=payload.important,
        level=payload.level,
    )


@router.post("", response={201: ReviewOut, **WRITE_ERRORS}, summary="新建审查稿件（草稿）")
def create_review(request, payload: ReviewIn):
    """A draft; upload files with `POST /reviews/{id}/files`, then `POST /reviews/{id}/submit`."""
    actor = request.auth
    review = actions.create_review(actor, _form(actor, payload))
    return 201, review_out(review)


@router.get(
    "/{review_id}", response={200: ReviewOut, **READ_ERRORS}, summary="审查详情（含自动检查命中）"
)
def get_review(request, review_id: Id):
    return review_out(visible_review(request.auth, review_id))


@router.post("/{review_id}/revise", response={200: ReviewOut, **WRITE_ERRORS}, summary="修改稿件")
def revise(request, review_id: Id, payload: ReviewIn):
    actor = request.auth
    review = visible_review(actor, review_id)
    return review_out(actions.update_review(actor, review, _form(actor, payload)))


@router.post(
    "/{review_id}/files", response={201: ReviewFileOut, **WRITE_ERRORS}, summary="上传附件"
)
def upload_file(request, review_id: Id, file: UploadedFile = File(...)):  # noqa: B008
    actor = request.auth
    review = visible_review(actor, review_id)
    if file.size and file.size > actions.MAX_FILE_BYTES:
        raise Invalid("文件过大。", {"file": [f"文件不能超过 {actions.MAX_FILE_BYTES >> 20} MB"]})
    attached = actions.attach_file(
        actor,
        review,
        name=file.name or "",
        data=file.read(),
        content_type=file.content_type or "",
    )
    return 201, {
        "id": attached.pk,
        "name": attached.name,
        "size": attached.size,
        "sha256": attached.sha256,
        "added_at": attached.added_at,
    }


@router.post(
    "/{review_id}/submit", response={200: ReviewOut, **WRITE_ERRORS}, summary="提交（先自动检查）"
)
def submit(request, review_id: Id):
    actor = request.auth
    return review_out(actions.submit(actor, visible_review(actor, review_id)))


class ReviewSelfCheckIn(InputSchema):
    statement: bounded(2000, min_length=1)


@router.post(
    "/{review_id}/self-check", response={200: ReviewOut, **WRITE_ERRORS}, summary="本人自查"
)
def self_check(request, review_id: Id, payload: ReviewSelfCheckIn):
    actor = request.auth
    review = visible_review(actor, review_id)
    return review_out(actions.self_check(actor, review, payload.statement))


class ReviewDecisionIn(InputSchema):
    stage: Stage = Field(
        description="hit_decision（自动检查命中判定，comment 须写明理由）、first_review（部门初审）、"
        "leader（领导签批）、unit_head（单位负责人签批）"
    )
    comment: bounded(2000) = ""


@router.post(
    "/{review_id}/approve", response={200: ReviewOut, **WRITE_ERRORS}, summary="审查通过本环节"
)
def approve(request, review_id: Id, payload: ReviewDecisionIn):
    actor = request.auth
    review = visible_review(actor, review_id)
    return review_out(actions.approve(actor, review, payload.stage, payload.comment))


@router.post(
    "/{review_id}/send-back", response={200: ReviewOut, **WRITE_ERRORS}, summary="退回修改"
)
def send_back(request, review_id: Id, payload: ReviewDecisionIn):
    actor = request.auth
    review = visible_review(actor, review_id)
    return review_out(actions.send_back(actor, review, payload.stage, payload.comment))


class ReviewPublishIn(InputSchema):
    where: bounded(200, min_length=1)
    on: Day


@router.post("/{review_id}/publish", response={200: ReviewOut, **WRITE_ERRORS}, summary="登记发布")
def publish(request, review_id: Id, payload: ReviewPublishIn):
    actor = request.auth
    review = visible_review(actor, review_id)
    return review_out(actions.publish(actor, review, where=payload.where, on=payload.on))


# --- term lists ----------------------------------------------------------------------------------


class TermVersionOut(Schema):
    number: int
    term_count: int
    note: str
    source: str
    created_by: Ref
    created_at: datetime
    used: bool


class TermVersionDetailOut(TermVersionOut):
    terms: list[str]


class TermListOut(Schema):
    id: int
    name: str
    unit: Ref
    current_version: int | None
    term_count: int


class CurrentTermsOut(Schema):
    version: int
    term_count: int
    terms: list[str]


def _require_reader(actor) -> None:
    if not policies.is_business(actor):
        raise Forbidden("三员及不在岗人员不使用敏感词表（SEC-3）。")


def _version(v: TermListVersion, *, terms: bool = False) -> dict:
    out = {
        "number": v.number,
        "term_count": v.term_count,
        "note": v.note,
        "source": v.source,
        "created_by": ref(v.created_by),
        "created_at": v.created_at,
        "used": bool(getattr(v, "used", v.scans.exists())),
    }
    if terms:
        out["terms"] = list(v.terms)
    return out


@terms_router.get("", response={200: list[TermListOut], **READ_ERRORS}, summary="敏感词表")
def list_term_lists(request):
    actor = request.auth
    _require_reader(actor)
    term_list = selectors.term_list_of(actor.unit_id)
    if term_list is None:
        return []
    current = term_list.current
    return [
        {
            "id": term_list.pk,
            "name": term_list.name,
            "unit": ref(actor.unit),
            "current_version": current.number if current else None,
            "term_count": current.term_count if current else 0,
        }
    ]


@terms_router.get(
    "/current",
    response={200: CurrentTermsOut, **READ_ERRORS},
    summary="当前敏感词（供 baomi scan --terms-url）",
)
def current_terms(request):
    actor = request.auth
    _require_reader(actor)
    version = selectors.current_version(actor.unit_id)
    if version is None:
        return {"version": 0, "term_count": 0, "terms": []}
    return {"version": version.number, "term_count": version.term_count, "terms": version.terms}


@terms_router.get(
    "/versions", response={200: list[TermVersionOut], **READ_ERRORS}, summary="版本列表"
)
def list_versions(request):
    actor = request.auth
    _require_reader(actor)
    return [_version(v) for v in selectors.versions_of(actor.unit_id)]


@terms_router.get(
    "/versions/{number}", response={200: TermVersionDetailOut, **READ_ERRORS}, summary="某一版本"
)
def get_version(request, number: Id):
    actor = request.auth
    _require_reader(actor)
    version = selectors.versions_of(actor.unit_id).filter(number=number).first()
    if version is None:
        raise NotFound("该版本不存在。")
    return _version(version, terms=True)


class TermVersionIn(InputSchema):
    terms: list[bounded(100)] = Field(max_length=actions.MAX_TERMS)
    note: bounded(200) = ""


@terms_router.post(
    "/versions", response={201: TermVersionDetailOut, **WRITE_ERRORS}, summary="保存为新版本"
)
def save_version(request, payload: TermVersionIn):
    actor = request.auth
    version = actions.save_terms(actor, actor.unit, payload.terms, note=payload.note)
    return 201, _version(version, terms=True)


@terms_router.post(
    "/import",
    response={201: TermVersionDetailOut, **WRITE_ERRORS},
    summary="从文本或 xlsx 文件导入",
)
def import_terms(
    request,
    file: UploadedFile = File(...),  # noqa: B008
    replace: bool = Form(True),
    note: str = Form(""),
):
    actor = request.auth
    if file.size and file.size > 20 << 20:
        raise Invalid("文件过大。", {"file": ["文件不能超过 20 MB"]})
    version = actions.import_terms(
        actor, actor.unit, filename=file.name or "", data=file.read(), replace=replace, note=note
    )
    return 201, _version(version, terms=True)
