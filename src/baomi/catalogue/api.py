"""JSON API `catalogue` (保密事项目录, CL-7): current entries (and, with `?history=true`, every
version), publish, revise (a new version), retire. Registration takes `catalogue_entry_id`."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    InputSchema,
    PageQuery,
    PeriodIn,
    PeriodOut,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.catalogue import actions
from baomi.catalogue.models import CatalogueEntry
from baomi.catalogue.selectors import entries_visible_to
from baomi.classification.choices import Level
from baomi.lib.errors import NotFound

router = Router()


class EntryOut(Schema):
    id: int
    code: str
    version: int
    matter: str
    level: str
    level_display: str
    period: PeriodOut
    period_display: str
    scope: str
    source_document: str
    current: bool
    retired: bool
    note: str
    basis_text: str = Field(description="作为定密依据时的文字")
    created_by: Ref
    created_at: datetime


def entry_out(e: CatalogueEntry) -> dict:
    return {
        "id": e.pk,
        "code": e.code,
        "version": e.version,
        "matter": e.matter,
        "level": e.level,
        "level_display": display(Level, e.level),
        "period": e.period.to_dict(),
        "period_display": e.period_text,
        "scope": e.scope,
        "source_document": e.source_document,
        "current": e.current,
        "retired": e.retired,
        "note": e.note,
        "basis_text": e.basis_text,
        "created_by": ref(e.created_by),
        "created_at": e.created_at,
    }


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EntryOut]


class EntryQuery(PageQuery):
    history: bool = Field(False, description="true：含历史版本和已废止条目")
    code: text(20) | None = None


def _entry(actor, entry_id: int) -> CatalogueEntry:
    found = entries_visible_to(actor).select_related("created_by").filter(pk=entry_id).first()
    if found is None:
        raise NotFound("目录条目不存在，或您无权查看。")
    return found


@router.get("", response={200: EntryPage, **READ_ERRORS}, summary="保密事项目录")
def list_entries(request, query: Query[EntryQuery]):
    rows = entries_visible_to(request.auth).select_related("created_by")
    if not query.history:
        rows = rows.filter(current=True)
    if query.code:
        rows = rows.filter(code=query.code)
    return paginate(rows, query, entry_out)


class EntryIn(InputSchema):
    matter: text(300, min_length=1)
    level: Level
    period: PeriodIn
    scope: text(300, min_length=1)
    source_document: text(300, min_length=1)
    note: text(500) = ""


class NewEntryIn(EntryIn):
    code: text(20, min_length=1)


def _form(payload: EntryIn, code: str) -> actions.EntryForm:
    return actions.EntryForm(
        code=code,
        matter=payload.matter,
        level=payload.level.value,
        period=payload.period.to_period(),
        scope=payload.scope,
        source_document=payload.source_document,
        note=payload.note,
    )


@router.post("", response={201: EntryOut, **WRITE_ERRORS}, summary="发布目录条目")
def publish(request, payload: NewEntryIn):
    entry = actions.publish_entry(request.auth, _form(payload, payload.code))
    return 201, entry_out(entry)


@router.get("/{entry_id}", response={200: EntryOut, **READ_ERRORS}, summary="目录条目")
def get_entry(request, entry_id: Id):
    return entry_out(_entry(request.auth, entry_id))


@router.post(
    "/{entry_id}/revise", response={201: EntryOut, **WRITE_ERRORS}, summary="修订（生成新版本）"
)
def revise(request, entry_id: Id, payload: EntryIn):
    entry = _entry(request.auth, entry_id)
    revised = actions.revise_entry(request.auth, entry, _form(payload, entry.code))
    return 201, entry_out(revised)


class RetireIn(InputSchema):
    note: text(500, min_length=1)


@router.post("/{entry_id}/retire", response={200: EntryOut, **WRITE_ERRORS}, summary="废止条目")
def retire(request, entry_id: Id, payload: RetireIn):
    entry = actions.retire_entry(request.auth, _entry(request.auth, entry_id), note=payload.note)
    return entry_out(entry)
