"""JSON API: the carrier ledger and its custody actions (CR-1 … CR-17, CL-2 … CL-11, PER-1).

Every lookup goes through `carriers.selectors` (deny by default): a carrier the caller may not see
is a 404 and is absent from lists and counts; the three system roles see none (SEC-3). Every
change is one call of `carriers.actions`, which checks the rules and audits; this module only
parses, resolves ids and renders.

Ids: a carrier id in the path that is unknown or invisible → 404 `not_found`; an id in the body
(reader_id, place_id, request_id, classifier_id, scope_people …) that is unknown or not the
caller's to name → 422 `invalid` on that field (see `baomi.api.lookups`).

`lend`, `take-out` and `copy` take the approved request as `request_id`; without one the action
refuses with the rule that requires the approval (CR-6, CR-8, CR-7).
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    EmptyIn,
    Id,
    InputSchema,
    PageQuery,
    PeriodIn,
    ReasonIn,
    paginate,
    text,
)
from baomi.audit.trail import record_list_read, record_read
from baomi.carriers import actions
from baomi.carriers.api_out import (
    CarrierDetailOut,
    CarrierOut,
    CarrierPage,
    EventPage,
    carrier_detail,
    carrier_out,
    event_out,
)
from baomi.carriers.choices import CarrierKind, Status
from baomi.carriers.models import Carrier
from baomi.carriers.registration import MAX_COPIES_PER_REGISTRATION, Registration
from baomi.carriers.rules import today
from baomi.carriers.search import in_scope_of_department, matching
from baomi.carriers.selectors import carriers_visible_to, history_of, overdue
from baomi.classification.choices import Category, Level
from baomi.lib.errors import Invalid, NotFound
from baomi.lib.pagination import after, capped_count, decode_cursor, encode_cursor
from baomi.org.models import Person

router = Router()

# Reads of these levels are audited (SEC-4, 条例20: who came to know 机密 and above).
AUDITED_READ_LEVELS = (Level.SECRET, Level.TOP_SECRET)


# --- reads ------------------------------------------------------------------------------------

ORDERINGS = {
    "number": ("number", "copy_no"),
    "-number": ("-number", "-copy_no"),
    "registered_at": ("registered_at", "number", "copy_no"),
    "-registered_at": ("-registered_at", "number", "copy_no"),
    "due_date": ("due_date", "number", "copy_no"),
    "-due_date": ("-due_date", "number", "copy_no"),
    "title": ("title", "number", "copy_no"),
    "-title": ("-title", "number", "copy_no"),
}


# Orderings over non-null columns only: a cursor compares values, and NULL compares with nothing.
KEYSET_ORDERINGS = frozenset(o for o in ORDERINGS if "due_date" not in o)


class CarrierQuery(PageQuery):
    level: Level | None = None
    status: Status | None = None
    kind: CarrierKind | None = None
    department: Id | None = Field(None, description="知悉范围中的部门编号")
    holder: Id | None = Field(None, description="当前持有人编号")
    overdue: bool | None = Field(None, description="true：只看逾期未还的")
    q: text(100) | None = Field(None, description="统一编号、标题或文号中包含的文字")
    ordering: Literal[tuple(ORDERINGS)] = "-registered_at"  # type: ignore[valid-type]
    cursor: text(400) | None = Field(
        None, description="上一页响应中 next 所带的游标：深翻页用它，代替 page"
    )


@router.get("", response={200: CarrierPage, **READ_ERRORS}, summary="载体台帐")
def list_carriers(request, query: Query[CarrierQuery]):
    """The carriers the caller may see, filtered; what they may not see is not counted."""
    carriers = carriers_visible_to(request.auth).select_related("holder", "place")
    if query.level:
        carriers = carriers.filter(level=query.level)
    if query.status:
        carriers = carriers.filter(status=query.status)
    if query.kind:
        carriers = carriers.filter(kind=query.kind)
    if query.department:
        carriers = in_scope_of_department(carriers, query.department)
    if query.holder:
        carriers = carriers.filter(holder_id=query.holder)
    if query.overdue is True:
        carriers = overdue(carriers, today())
    elif query.overdue is False:
        carriers = carriers.exclude(pk__in=overdue(Carrier.objects.all(), today()).values("pk"))
    if query.q:
        carriers = matching(carriers, query.q)
    page = carrier_page(request, carriers, query)
    shown = page.pop("shown")
    # SEC-4 / 条例20: one audited read per response, naming the 机密/绝密 carriers it showed.
    record_list_read(
        request.auth,
        "carrier",
        [c.label for c in shown if c.level in AUDITED_READ_LEVELS],
        form="api",
    )
    return page


def carrier_page(request, carriers, query: CarrierQuery) -> dict:
    """One page: by `cursor` (an index range after the last row seen) or by `page` (OFFSET),
    with a capped count and a `next` link that always carries a cursor where the ordering has
    one, so a client that follows `next` never pays for an OFFSET."""
    fields = ORDERINGS[query.ordering]
    ordered = carriers.order_by(*fields)
    count, estimate = capped_count(carriers)
    keyset = query.ordering in KEYSET_ORDERINGS
    if query.cursor:
        if not keyset:
            raise Invalid("该排序方式不支持游标翻页。", {"cursor": ["该排序方式不支持游标翻页"]})
        values = decode_cursor(Carrier, query.cursor, query.ordering, fields)
        rows = list(after(ordered, fields, values)[: query.page_size + 1])
    else:
        start = (query.page - 1) * query.page_size
        rows = list(ordered[start : start + query.page_size + 1])
    more, rows = len(rows) > query.page_size, rows[: query.page_size]
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    if not more:
        link = None
    elif keyset:
        params["cursor"] = encode_cursor(query.ordering, rows[-1], fields)
        link = f"{request.path}?{params.urlencode()}"
    else:
        params["page"] = str(query.page + 1)
        link = f"{request.path}?{params.urlencode()}"
    return {
        "count": count,
        "count_is_estimate": estimate,
        "page": query.page,
        "page_size": query.page_size,
        "next": link,
        "results": [carrier_out(c) for c in rows],
        "shown": rows,
    }


class BatchReturnIn(InputSchema):
    note: text(500) = ""
    carrier_ids: list[Id] = Field(min_length=1, max_length=500, description="要归还的载体")
    place_id: Id | None = Field(None, description="默认各自回到固定存放位置")


class BatchReturnOut(Schema):
    count: int
    results: list[CarrierOut]


@router.post("/batch-return", response={200: BatchReturnOut, **WRITE_ERRORS}, summary="批量归还")
def return_batch(request, payload: BatchReturnIn):
    """Return many carriers at once, all or nothing: a refusal of one (CR-15, a carrier not out)
    rolls back the batch and names it; each returned carrier has its own custody event."""
    actor = request.auth
    chosen = lookups.carriers(actor, payload.carrier_ids, "carrier_ids")
    place = lookups.place(actor, payload.place_id)
    done = actions.return_many(actor, chosen, place=place, note=payload.note)
    return {"count": len(done), "results": [carrier_out(c) for c in done]}


@router.get("/{carrier_id}", response={200: CarrierDetailOut, **READ_ERRORS}, summary="载体详情")
def get_carrier(request, carrier_id: Id):
    """One carrier; a read of 机密/绝密 is recorded in the audit trail (SEC-4)."""
    carrier = lookups.visible_carrier(request.auth, carrier_id)
    if carrier.level in AUDITED_READ_LEVELS:
        record_read(request.auth, carrier)
    return carrier_detail(request.auth, carrier)


@router.get(
    "/{carrier_id}/events", response={200: EventPage, **READ_ERRORS}, summary="载体流转记录"
)
def list_carrier_events(request, carrier_id: Id, query: Query[PageQuery]):
    carrier = lookups.visible_carrier(request.auth, carrier_id)
    return paginate(history_of(carrier), query, event_out)


# --- registration -----------------------------------------------------------------------------


class RegisterIn(InputSchema):
    """收文/制发登记 (CR-1): one registration, `copies` carriers sharing one 统一编号."""

    kind: CarrierKind
    title: text(300, min_length=1)
    doc_date: Day
    level: Level
    source: Literal["received", "produced"]
    place_id: Id
    copies: int = Field(1, ge=1, le=MAX_COPIES_PER_REGISTRATION)
    category: Category | None = None
    period: PeriodIn | None = None
    issuer: text(100) = ""
    doc_number: text(100) = ""
    pages: int = Field(1, ge=1, le=1_000_000)
    basis: text(200) = ""
    catalogue_entry_id: Id | None = Field(
        None, description="保密事项目录条目（定密依据，并据以确定未填的保密期限，CL-7）"
    )
    classifier_id: Id | None = None
    classifier_name: text(100) = ""
    marking_reviewer_id: Id | None = None
    scope_people: list[Id] = Field(default_factory=list, max_length=1000)
    scope_departments: list[Id] = Field(default_factory=list, max_length=200)
    no_copy: bool = False
    remarks: text(500) = ""


def _catalogue_entry(actor, entry_id: int | None):
    if entry_id is None:
        return None
    from baomi.catalogue.selectors import current_entries

    entry = current_entries(actor.unit_id).filter(pk=entry_id).first()
    if entry is None:
        raise Invalid(
            "保密事项目录条目不存在。", {"catalogue_entry_id": [f"现行条目 #{entry_id} 不存在"]}
        )
    return entry


@router.post("", response={201: list[CarrierDetailOut], **WRITE_ERRORS}, summary="登记载体")
def register_carriers(request, payload: RegisterIn):
    """Register received or produced carriers; returns the created carriers (201)."""
    actor = request.auth
    registration = Registration(
        kind=payload.kind.value,
        title=payload.title,
        doc_date=payload.doc_date,
        level=payload.level.value,
        source=payload.source,
        place=lookups.place(actor, payload.place_id),
        copies=payload.copies,
        category=payload.category.value if payload.category else None,
        period=payload.period.to_period() if payload.period else None,
        issuer=payload.issuer,
        doc_number=payload.doc_number,
        pages=payload.pages,
        basis=payload.basis,
        catalogue_entry=_catalogue_entry(actor, payload.catalogue_entry_id),
        classifier=lookups.person(actor, payload.classifier_id, "classifier_id"),
        classifier_name=payload.classifier_name,
        marking_reviewer=lookups.person(actor, payload.marking_reviewer_id, "marking_reviewer_id"),
        scope_people=lookups.people(actor, payload.scope_people, "scope_people"),
        scope_departments=lookups.departments(
            actor, payload.scope_departments, "scope_departments"
        ),
        no_copy=payload.no_copy,
        remarks=payload.remarks,
    )
    made = actions.register(actor, registration)
    return 201, [carrier_detail(actor, c) for c in made]


# --- custody actions --------------------------------------------------------------------------


class NoteIn(InputSchema):
    note: text(500) = ""


class CirculateIn(NoteIn):
    reader_id: Id
    due_date: Day | None = None
    reading_place_id: Id | None = Field(
        None, description="阅读地点（机要室/阅览室）；绝密载体必填（CR-5）"
    )


class PlaceNoteIn(NoteIn):
    place_id: Id | None = Field(None, description="默认回到固定存放位置")


class FoundIn(PlaceNoteIn):
    incident_id: Id | None = Field(
        None, description="报失所在的失泄密事件；在事件中报失的须填写（INC-1）"
    )


class ApprovedIn(NoteIn):
    request_id: Id | None = Field(None, description="已批准的申请；缺少时按规则拒绝")
    due_date: Day | None = Field(None, description="默认为批准的期限")


class CopyIn(NoteIn):
    request_id: Id | None = Field(None, description="已批准的复制申请；缺少时按 CR-7 拒绝")
    copies: int = Field(ge=1, le=100)
    place_id: Id | None = None
    level: Level | None = Field(None, description="默认与原件相同；不得低于原件（CL-5）")


class RelocateIn(NoteIn):
    place_id: Id


class AmendChanges(BaseModel):
    """The descriptive fields that may be corrected. Other keys are passed on to the action,
    which refuses classification fields with CL-8 and anything else as not amendable.
    (A plain pydantic model: ninja's Schema reads known fields only and would drop the extras.)"""

    model_config = ConfigDict(extra="allow")

    # Typed without `| None`: an explicit null is refused, an absent key is simply not changed.
    title: text(300, min_length=1) = None  # type: ignore[assignment]
    issuer: text(100) = None  # type: ignore[assignment]
    doc_number: text(100) = None  # type: ignore[assignment]
    doc_date: Day = None  # type: ignore[assignment]
    pages: int = Field(None, ge=1, le=1_000_000)
    kind: CarrierKind = None  # type: ignore[assignment]
    remarks: text(500) = None  # type: ignore[assignment]


class AmendIn(InputSchema):
    changes: AmendChanges
    reason: text(500, min_length=1)


def _done(request, carrier: Carrier) -> dict:
    """The answer, from the carrier the action returned (locked, changed and saved inside its
    transaction) — no re-read after the commit, which once turned committed writes into 500s."""
    return carrier_detail(request.auth, carrier)


@router.post(
    "/{carrier_id}/circulate", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="传阅"
)
def circulate(request, carrier_id: Id, payload: CirculateIn):
    """传阅 to one reader in the 知悉范围 (CR-4, PER-1); back to the registry between readers."""
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    reader = lookups.person(actor, payload.reader_id, "reader_id")
    place = lookups.place(actor, payload.reading_place_id, "reading_place_id")
    carrier = actions.circulate(
        actor, carrier, reader, due_date=payload.due_date, note=payload.note, reading_place=place
    )
    return _done(request, carrier)


@router.post(
    "/{carrier_id}/return", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="归还"
)
def return_carrier(request, carrier_id: Id, payload: PlaceNoteIn = None):
    payload = payload or PlaceNoteIn()
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    carrier = actions.return_to_registry(
        actor, carrier, place=lookups.place(actor, payload.place_id), note=payload.note
    )
    return _done(request, carrier)


@router.post(
    "/{carrier_id}/acknowledge", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="签收"
)
def acknowledge(request, carrier_id: Id, payload: EmptyIn = None):
    """签收 by the current holder."""
    carrier = lookups.visible_carrier(request.auth, carrier_id)
    carrier = actions.acknowledge(request.auth, carrier)
    return _done(request, carrier)


def _approval(actor: Person, request_id: int | None):
    return lookups.visible_request(actor, request_id, "request_id") if request_id else None


@router.post("/{carrier_id}/lend", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="借出")
def lend(request, carrier_id: Id, payload: ApprovedIn = None):
    """借阅 against an approved loan request (CR-6); never 绝密 (CR-5); due back (CR-17)."""
    payload = payload or ApprovedIn()
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    approval = _approval(actor, payload.request_id)
    carrier = actions.lend(actor, carrier, approval, due_date=payload.due_date, note=payload.note)
    return _done(request, carrier)


@router.post(
    "/{carrier_id}/take-out", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="携带外出"
)
def take_out(request, carrier_id: Id, payload: ApprovedIn = None):
    """携带外出 against an approved take-out request (CR-8)."""
    payload = payload or ApprovedIn()
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    approval = _approval(actor, payload.request_id)
    carrier = actions.take_out(
        actor, carrier, approval, due_date=payload.due_date, note=payload.note
    )
    return _done(request, carrier)


@router.post(
    "/{carrier_id}/copy", response={201: list[CarrierDetailOut], **WRITE_ERRORS}, summary="复制"
)
def copy(request, carrier_id: Id, payload: CopyIn):
    """复制 against an approved copy request (CR-7); copies keep the level (CL-5). Returns the
    registered copies (201)."""
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    approval = _approval(actor, payload.request_id)
    made = actions.copy(
        actor,
        carrier,
        approval,
        copies=payload.copies,
        place=lookups.place(actor, payload.place_id),
        level=payload.level.value if payload.level else None,
        note=payload.note,
    )
    return 201, [carrier_detail(actor, c) for c in made]


@router.post(
    "/{carrier_id}/relocate", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="移库"
)
def relocate(request, carrier_id: Id, payload: RelocateIn):
    """移库; 绝密 and 密码电报 only into a safe (CR-15)."""
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    carrier = actions.relocate(
        actor, carrier, lookups.place(actor, payload.place_id), note=payload.note
    )
    return _done(request, carrier)


@router.post(
    "/{carrier_id}/amend", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="更正"
)
def amend(request, carrier_id: Id, payload: AmendIn):
    """更正 descriptive fields with a reason; level/period/scope go through CL-8 instead."""
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    changes = {
        name: value.value if isinstance(value, Enum) else value
        for name, value in payload.changes.model_dump(exclude_unset=True).items()
    }
    carrier = actions.amend(actor, carrier, changes, reason=payload.reason)
    return _done(request, carrier)


@router.post("/{carrier_id}/void", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="作废")
def void(request, carrier_id: Id, payload: ReasonIn):
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    carrier = actions.void(actor, carrier, reason=payload.reason)
    return _done(request, carrier)


@router.post(
    "/{carrier_id}/report-lost", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="报失"
)
def report_lost(request, carrier_id: Id, payload: NoteIn = None):
    payload = payload or NoteIn()
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    carrier = actions.report_lost(actor, carrier, note=payload.note)
    return _done(request, carrier)


@router.post(
    "/{carrier_id}/found", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="找回"
)
def found(request, carrier_id: Id, payload: FoundIn = None):
    """找回; a carrier lost in an incident needs `incident_id` (INC-1)."""
    from baomi.incidents.selectors import incident_for

    payload = payload or FoundIn()
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    incident = None
    if payload.incident_id is not None:
        incident = incident_for(actor, payload.incident_id)
        if incident is None:
            raise NotFound("事件不存在，或您无权查看。", {"incident_id": ["事件不存在"]})
    carrier = actions.found(
        actor,
        carrier,
        place=lookups.place(actor, payload.place_id),
        note=payload.note,
        incident=incident,
    )
    return _done(request, carrier)
