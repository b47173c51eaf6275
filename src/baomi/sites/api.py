"""JSON API: key places (`sites`), the visitor register (`visitors`), keys (`site-keys`) and the
closing checks (`closing-checks`) — SITE-1…4. Writes call `sites.actions`; what the caller may not
see is 404."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Query, Router, Schema
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
    text,
)
from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import Level
from baomi.lib.errors import NotFound
from baomi.sites import actions
from baomi.sites.choices import CHECK_ITEMS, CheckKind, IdKind, KeyEventKind, KeyKind, SiteKind
from baomi.sites.models import ClosingCheck, KeySite, SiteKey, Visit
from baomi.sites.selectors import (
    checks_visible_to,
    keys_visible_to,
    site_for,
    sites_visible_to,
    visits_visible_to,
)

router = Router()
visitors_router = Router()
keys_router = Router()
checks_router = Router()


# --- sites -----------------------------------------------------------------------------------


class Facilities(Schema):
    iron_door: bool = False
    iron_window: bool = False
    safe: bool = False
    alarm: bool = False
    cctv: bool = False
    fire_protection: bool = False


class SiteOut(Schema):
    id: int
    name: str
    kind: str
    kind_display: str
    level: str
    level_display: str
    department: Ref | None
    location: str
    responsible: Ref
    staff: list[Ref]
    places: list[Ref]
    facilities: Facilities
    facilities_note: str
    active: bool
    carriers_kept: int = Field(description="存放于本部位保险柜、文件柜、本人可见的在库载体数")


class SitePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[SiteOut]


def site_out(s: KeySite, viewer) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "kind": s.kind,
        "kind_display": display(SiteKind, s.kind),
        "level": s.level,
        "level_display": display(Level, s.level),
        "department": ref(s.department),
        "location": s.location,
        "responsible": ref(s.responsible),
        "staff": [ref(p) for p in s.staff.all()],
        "places": [ref(p) for p in s.places.all()],
        "facilities": {name: getattr(s, name) for name in actions.FACILITIES},
        "facilities_note": s.facilities_note,
        "active": s.active,
        # Counted among what the viewer may see: a count is a read too (PER-1).
        "carriers_kept": carriers_visible_to(viewer).filter(place__in=s.places.all()).count(),
    }


def _site(actor, site_id: int) -> KeySite:
    found = site_for(actor, site_id)
    if found is None:
        raise NotFound("要害部位不存在，或您无权查看。")
    return found


@router.get("", response={200: SitePage, **READ_ERRORS}, summary="要害部门部位")
def list_sites(request, query: Query[PageQuery]):
    rows = sites_visible_to(request.auth).select_related("responsible", "department")
    viewer = request.auth
    return paginate(rows.prefetch_related("staff", "places"), query, lambda s: site_out(s, viewer))


class SiteIn(InputSchema):
    name: text(100, min_length=1)
    kind: SiteKind
    level: Level
    responsible_id: Id
    department_id: Id | None = None
    location: text(200) = ""
    staff_ids: list[Id] = Field(default_factory=list, max_length=200)
    place_ids: list[Id] = Field(default_factory=list, max_length=200)
    facilities: Facilities = Field(default_factory=Facilities)
    facilities_note: text(500) = ""
    active: bool = True


def _site_form(actor, payload: SiteIn) -> actions.SiteForm:
    places = [lookups.place(actor, pid, "place_ids") for pid in payload.place_ids]
    return actions.SiteForm(
        name=payload.name,
        kind=payload.kind.value,
        level=payload.level.value,
        responsible=lookups.person(actor, payload.responsible_id, "responsible_id"),
        department=lookups.departments(actor, [payload.department_id], "department_id")[0]
        if payload.department_id
        else None,
        location=payload.location,
        staff=lookups.people(actor, payload.staff_ids, "staff_ids"),
        places=places,
        facilities=payload.facilities.model_dump(),
        facilities_note=payload.facilities_note,
    )


@router.post("", response={201: SiteOut, **WRITE_ERRORS}, summary="登记要害部门部位")
def create_site(request, payload: SiteIn):
    actor = request.auth
    site = actions.create_site(actor, _site_form(actor, payload))
    return 201, site_out(_site(actor, site.pk), actor)


@router.get("/{site_id}", response={200: SiteOut, **READ_ERRORS}, summary="要害部位详情")
def get_site(request, site_id: Id):
    return site_out(_site(request.auth, site_id), request.auth)


@router.put("/{site_id}", response={200: SiteOut, **WRITE_ERRORS}, summary="修改要害部位")
def update_site(request, site_id: Id, payload: SiteIn):
    actor = request.auth
    site = _site(actor, site_id)
    actions.update_site(actor, site, _site_form(actor, payload), active=payload.active)
    return site_out(_site(actor, site_id), actor)


# --- visitors (SITE-2) -------------------------------------------------------------------------


class VisitOut(Schema):
    id: int
    site: Ref
    visitor_name: str
    organisation: str
    id_kind: str
    id_kind_display: str
    id_number: str = Field(description="证件号码（中间几位隐去）")
    id_checked: bool
    purpose: str
    host: Ref
    escort: Ref
    entered_at: datetime
    left_at: datetime | None


class VisitPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[VisitOut]


def visit_out(v: Visit) -> dict:
    return {
        "id": v.pk,
        "site": ref(v.site),
        "visitor_name": v.visitor_name,
        "organisation": v.organisation,
        "id_kind": v.id_kind,
        "id_kind_display": display(IdKind, v.id_kind),
        "id_number": v.id_number_masked,
        "id_checked": v.id_checked,
        "purpose": v.purpose,
        "host": ref(v.host),
        "escort": ref(v.escort),
        "entered_at": v.entered_at,
        "left_at": v.left_at,
    }


class VisitQuery(PageQuery):
    site_id: Id | None = None
    inside: bool | None = Field(None, description="true：仅列出尚未离开的来访人员")


@visitors_router.get("", response={200: VisitPage, **READ_ERRORS}, summary="来访登记")
def list_visits(request, query: Query[VisitQuery]):
    rows = visits_visible_to(request.auth)
    if query.site_id:
        rows = rows.filter(site_id=query.site_id)
    if query.inside is not None:
        rows = rows.filter(left_at__isnull=query.inside)
    return paginate(rows, query, visit_out)


class VisitIn(InputSchema):
    site_id: Id
    visitor_name: text(50, min_length=1)
    organisation: text(100, min_length=1)
    id_kind: IdKind
    id_number: text(40, min_length=1)
    id_checked: bool = Field(description="已核验身份证件（SITE-2）")
    purpose: text(200, min_length=1)
    host_id: Id
    escort_id: Id | None = Field(None, description="陪同人：本部位责任人或工作人员（SITE-2）")
    entered_at: datetime | None = None


@visitors_router.post("", response={201: VisitOut, **WRITE_ERRORS}, summary="来访人员进入登记")
def admit(request, payload: VisitIn):
    """SITE-2: refused without an escort of the place's own people, or without identity checked."""
    actor = request.auth
    site = site_for(actor, payload.site_id)
    if site is None:
        raise NotFound(
            "要害部位不存在，或您无权使用。", {"site_id": [f"要害部位 #{payload.site_id} 不存在"]}
        )
    visit = actions.admit_visitor(
        actor,
        site,
        actions.VisitForm(
            visitor_name=payload.visitor_name,
            organisation=payload.organisation,
            id_kind=payload.id_kind.value,
            id_number=payload.id_number,
            id_checked=payload.id_checked,
            purpose=payload.purpose,
            host=lookups.person(actor, payload.host_id, "host_id"),
            escort=lookups.person(actor, payload.escort_id, "escort_id"),
            entered_at=payload.entered_at,
        ),
    )
    return 201, visit_out(visit)


class SignOutIn(InputSchema):
    left_at: datetime | None = None


@visitors_router.post(
    "/{visit_id}/sign-out", response={200: VisitOut, **WRITE_ERRORS}, summary="来访人员离开登记"
)
def sign_out(request, visit_id: Id, payload: SignOutIn = None):
    actor = request.auth
    visit = visits_visible_to(actor).filter(pk=visit_id).first()
    if visit is None:
        raise NotFound("来访记录不存在，或您无权查看。")
    visit = actions.sign_out_visitor(actor, visit, left_at=payload.left_at if payload else None)
    return visit_out(visit)


# --- keys (SITE-4) ----------------------------------------------------------------------------


class KeyEventOut(Schema):
    kind: str
    kind_display: str
    at: datetime
    actor: Ref
    holder_before: Ref | None
    holder_after: Ref | None
    note: str


class KeyOut(Schema):
    id: int
    site: Ref
    name: str
    kind: str
    kind_display: str
    place: Ref | None
    holder: Ref | None
    copies: int
    lost: bool
    retired: bool
    events: list[KeyEventOut]


def key_out(k: SiteKey) -> dict:
    return {
        "id": k.pk,
        "site": ref(k.site),
        "name": k.name,
        "kind": k.kind,
        "kind_display": display(KeyKind, k.kind),
        "place": ref(k.place),
        "holder": ref(k.holder),
        "copies": k.copies,
        "lost": k.lost,
        "retired": k.retired,
        "events": [
            {
                "kind": e.kind,
                "kind_display": display(KeyEventKind, e.kind),
                "at": e.at,
                "actor": ref(e.actor),
                "holder_before": ref(e.holder_before),
                "holder_after": ref(e.holder_after),
                "note": e.note,
            }
            for e in k.events.select_related("actor", "holder_before", "holder_after")
        ],
    }


def _key(actor, key_id: int) -> SiteKey:
    found = keys_visible_to(actor).filter(pk=key_id).first()
    if found is None:
        raise NotFound("钥匙不存在，或您无权查看。")
    return found


@keys_router.get("", response={200: list[KeyOut], **READ_ERRORS}, summary="钥匙登记")
def list_keys(request, site_id: Id | None = None):
    rows = keys_visible_to(request.auth)
    if site_id:
        rows = rows.filter(site_id=site_id)
    return [key_out(k) for k in rows[:1000]]


class KeyIn(InputSchema):
    site_id: Id
    name: text(100, min_length=1)
    kind: KeyKind
    holder_id: Id
    place_id: Id | None = None
    copies: int = Field(1, ge=1, le=20)


@keys_router.post("", response={201: KeyOut, **WRITE_ERRORS}, summary="登记钥匙")
def register_key(request, payload: KeyIn):
    actor = request.auth
    site = site_for(actor, payload.site_id)
    if site is None:
        raise NotFound(
            "要害部位不存在，或您无权使用。", {"site_id": [f"要害部位 #{payload.site_id} 不存在"]}
        )
    key = actions.register_key(
        actor,
        site,
        name=payload.name,
        kind=payload.kind.value,
        holder=lookups.person(actor, payload.holder_id, "holder_id"),
        place=lookups.place(actor, payload.place_id),
        copies=payload.copies,
    )
    return 201, key_out(key)


class HandOverKeyIn(InputSchema):
    receiver_id: Id
    note: text(500) = ""


@keys_router.post("/{key_id}/hand-over", response={200: KeyOut, **WRITE_ERRORS}, summary="移交钥匙")
def hand_over(request, key_id: Id, payload: HandOverKeyIn):
    actor = request.auth
    key = actions.hand_over_key(
        actor,
        _key(actor, key_id),
        lookups.person(actor, payload.receiver_id, "receiver_id"),
        note=payload.note,
    )
    return key_out(key)


class KeyNoteIn(InputSchema):
    note: text(500, min_length=1)


@keys_router.post(
    "/{key_id}/report-lost", response={200: KeyOut, **WRITE_ERRORS}, summary="钥匙丢失"
)
def report_lost(request, key_id: Id, payload: KeyNoteIn):
    actor = request.auth
    return key_out(actions.report_key_lost(actor, _key(actor, key_id), note=payload.note))


# --- closing checks (SITE-3) -------------------------------------------------------------------


class CheckOut(Schema):
    id: int
    site: Ref
    day: date
    kind: str
    kind_display: str
    holiday: str
    checked_by: Ref
    checked_at: datetime
    power_off: bool
    alarm_on: bool
    windows_closed: bool
    doors_locked: bool
    safes_locked: bool
    all_ok: bool
    note: str


class CheckPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CheckOut]


def check_out(c: ClosingCheck) -> dict:
    return {
        "id": c.pk,
        "site": ref(c.site),
        "day": c.day,
        "kind": c.kind,
        "kind_display": display(CheckKind, c.kind),
        "holiday": c.holiday,
        "checked_by": ref(c.checked_by),
        "checked_at": c.checked_at,
        **{name: getattr(c, name) for name, _ in CHECK_ITEMS},
        "all_ok": c.all_ok,
        "note": c.note,
    }


class CheckQuery(PageQuery):
    site_id: Id | None = None
    day: Day | None = None


@checks_router.get("", response={200: CheckPage, **READ_ERRORS}, summary="下班安全检查")
def list_checks(request, query: Query[CheckQuery]):
    rows = checks_visible_to(request.auth)
    if query.site_id:
        rows = rows.filter(site_id=query.site_id)
    if query.day:
        rows = rows.filter(day=query.day)
    return paginate(rows, query, check_out)


class CheckIn(InputSchema):
    site_id: Id
    kind: CheckKind = CheckKind.DAILY
    day: Day | None = None
    holiday: text(50) = ""
    power_off: bool = False
    alarm_on: bool = False
    windows_closed: bool = False
    doors_locked: bool = False
    safes_locked: bool = False
    note: text(500) = ""


@checks_router.post("", response={201: CheckOut, **WRITE_ERRORS}, summary="登记下班安全检查")
def record_check(request, payload: CheckIn):
    """SITE-3: by the last person out; anything not in order needs a note."""
    actor = request.auth
    site = site_for(actor, payload.site_id)
    if site is None:
        raise NotFound(
            "要害部位不存在，或您无权使用。", {"site_id": [f"要害部位 #{payload.site_id} 不存在"]}
        )
    check = actions.record_closing_check(
        actor,
        site,
        items={name: getattr(payload, name) for name, _ in CHECK_ITEMS},
        kind=payload.kind.value,
        day=payload.day,
        holiday=payload.holiday,
        note=payload.note,
    )
    return 201, check_out(check)
