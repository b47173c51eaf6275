"""The carrier API's output shapes (what a carrier, its detail and its events look like in JSON),
shared by the ledger, the archive and every action's answer."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from baomi.api.schemas import PeriodOut, Ref, display, ref
from baomi.carriers.choices import WITH_HOLDER, CarrierKind, EventKind, Source, Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.carriers.policies import available_actions
from baomi.carriers.rules import today
from baomi.carriers.selectors import carriers_visible_to, scope_below_level
from baomi.classification.choices import Category, Level
from baomi.org.models import Person

# --- output -----------------------------------------------------------------------------------


class CarrierOut(Schema):
    id: int
    label: str = Field(description="统一编号-份号，如 2026-0001234-03")
    number: str
    copy_no: int
    unit_id: int
    kind: str
    kind_display: str
    title: str
    level: str
    level_display: str
    category: str
    category_display: str
    marking: str = Field(description="国家秘密标志（只读），如 机密★20年")
    status: str
    status_display: str
    holder: Ref | None
    place: Ref | None
    due_date: date | None
    overdue: bool
    acknowledged_at: datetime | None


class CarrierRef(Schema):
    id: int
    label: str


class CarrierDetailOut(CarrierOut):
    issuer: str
    doc_number: str
    doc_date: date
    pages: int
    remarks: str
    period: PeriodOut | None
    basis: str
    classifier: Ref | None
    classifier_name: str
    marking_reviewer: Ref | None
    scope_people: list[Ref]
    scope_departments: list[Ref]
    scope_below_level: list[Ref] = Field(
        description="知悉范围中涉密等级不能覆盖本载体密级的人员（PER-1：他们不能接触本载体）"
    )
    no_copy: bool
    source: str
    source_display: str
    original_id: int | None
    copy_stamp: str
    copies: list[CarrierRef] = Field(description="本载体的复制件（调用者可见的）")
    registered_by: Ref
    registered_at: datetime
    home_place: Ref
    handed_out_at: datetime | None
    out_request_id: int | None
    available_actions: list[str] = Field(description="调用者可以执行的操作（仍由规则最终判定）")


class CarrierPage(Schema):
    count: int = Field(description="条数；超过 10,000 条时为 10000，并且 count_is_estimate 为 true")
    count_is_estimate: bool = Field(description="true：实际条数多于 count（不再精确计数）")
    page: int
    page_size: int
    next: str | None = Field(description="下一页的地址（带 cursor 游标）；没有下一页时为 null")
    results: list[CarrierOut]


class EventOut(Schema):
    id: int
    kind: str
    kind_display: str
    at: datetime
    # When the system recorded it: later than `at` for events taken over from an imported ledger.
    recorded_at: datetime
    actor: Ref
    status_before: str
    status_before_display: str
    status_after: str
    status_after_display: str
    holder_before: Ref | None
    holder_after: Ref | None
    place_before: Ref | None
    place_after: Ref | None
    request_id: int | None
    due_date: date | None
    note: str
    correlation_id: str


class EventPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EventOut]


def carrier_out(c: Carrier) -> dict:
    return {
        "id": c.pk,
        "label": c.label,
        "number": c.number,
        "copy_no": c.copy_no,
        "unit_id": c.unit_id,
        "kind": c.kind,
        "kind_display": display(CarrierKind, c.kind),
        "title": c.title,
        "level": c.level,
        "level_display": display(Level, c.level),
        "category": c.category,
        "category_display": display(Category, c.category),
        "marking": c.marking,
        "status": c.status,
        "status_display": display(Status, c.status),
        "holder": ref(c.holder),
        "place": ref(c.place),
        "due_date": c.due_date,
        "overdue": bool(c.status in WITH_HOLDER and c.due_date and c.due_date < today()),
        "acknowledged_at": c.acknowledged_at,
    }


def carrier_detail(actor: Person, c: Carrier) -> dict:
    period = c.period
    return {
        **carrier_out(c),
        "issuer": c.issuer,
        "doc_number": c.doc_number,
        "doc_date": c.doc_date,
        "pages": c.pages,
        "remarks": c.remarks,
        "period": period.to_dict() if period else None,
        "basis": c.basis,
        "classifier": ref(c.classifier),
        "classifier_name": c.classifier_name,
        "marking_reviewer": ref(c.marking_reviewer),
        "scope_people": [ref(p) for p in c.scope_people.order_by("id")],
        "scope_departments": [ref(d) for d in c.scope_departments.order_by("id")],
        "scope_below_level": [ref(p) for p in scope_below_level(c)],
        "no_copy": c.no_copy,
        "source": c.source,
        "source_display": display(Source, c.source),
        "original_id": c.original_id,
        "copy_stamp": c.copy_stamp,
        "copies": [
            {"id": x.pk, "label": x.label}
            for x in carriers_visible_to(actor).filter(original=c).order_by("number", "copy_no")
        ],
        "registered_by": ref(c.registered_by),
        "registered_at": c.registered_at,
        "home_place": ref(c.home_place),
        "handed_out_at": c.handed_out_at,
        "out_request_id": c.out_request_id,
        "available_actions": [name.replace("_", "-") for name in available_actions(actor, c)],
    }


def event_out(e: CustodyEvent) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_display": display(EventKind, e.kind),
        "at": e.at,
        "recorded_at": e.recorded_at,
        "actor": ref(e.actor),
        "status_before": e.status_before,
        "status_before_display": display(Status, e.status_before),
        "status_after": e.status_after,
        "status_after_display": display(Status, e.status_after),
        "holder_before": ref(e.holder_before),
        "holder_after": ref(e.holder_after),
        "place_before": ref(e.place_before),
        "place_after": ref(e.place_after),
        "request_id": e.request_id,
        "due_date": e.due_date,
        "note": e.note,
        "correlation_id": e.correlation_id,
    }
