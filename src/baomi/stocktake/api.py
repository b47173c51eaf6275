"""JSON API: 清查 `stocktakes` (CR-14). Only the unit's registry clerks count; others get 404s
(the counts are not theirs to see). Numbers are labels (2026-0001234-03), never titles."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    paginate,
    ref,
    text,
)
from baomi.lib.errors import NotFound
from baomi.stocktake import actions
from baomi.stocktake.models import ScanSource, Stocktake
from baomi.stocktake.selectors import reconcile, stocktakes_visible_to

router = Router()


class StocktakeOut(Schema):
    id: int
    place: Ref | None = Field(description="清查位置；空为全单位")
    include_out: bool
    state: str
    state_display: str
    note: str
    started_by: Ref
    started_at: datetime
    closed_by: Ref | None
    closed_at: datetime | None
    summary: dict | None


class StocktakePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[StocktakeOut]


class RowOut(Schema):
    code: str = Field(description="统一编号-份号")
    carrier_id: int | None
    level: str
    status: str
    place: str
    holder: str
    reason: str


class ReconciliationOut(Schema):
    stocktake: StocktakeOut
    counts: dict[str, int]
    found: list[RowOut]
    missing: list[RowOut]
    unexpected: list[RowOut]
    wrong_place: list[RowOut]
    out_with_holders: list[RowOut]


class ScanResultOut(Schema):
    added: int
    duplicates: int
    invalid: list[str]
    counts: dict[str, int]


def stocktake_out(s: Stocktake) -> dict:
    return {
        "id": s.pk,
        "place": ref(s.place),
        "include_out": s.include_out,
        "state": s.state,
        "state_display": s.get_state_display(),
        "note": s.note,
        "started_by": ref(s.started_by),
        "started_at": s.started_at,
        "closed_by": ref(s.closed_by),
        "closed_at": s.closed_at,
        "summary": s.summary,
    }


def _row(r) -> dict:
    return {
        "code": r.code,
        "carrier_id": r.carrier_id,
        "level": r.level,
        "status": r.status,
        "place": r.place,
        "holder": r.holder,
        "reason": r.reason,
    }


def _visible(actor, stocktake_id: int) -> Stocktake:
    found = stocktakes_visible_to(actor).filter(pk=stocktake_id).first()
    if found is None:
        raise NotFound("清查不存在，或您无权查看。")
    return found


class StartIn(InputSchema):
    place_id: Id | None = Field(None, description="清查的存放位置；不填为全单位")
    include_out: bool = Field(False, description="同时列出在个人手中的载体")
    note: text(500) = ""


class ScansIn(InputSchema):
    codes: list[text(100)] = Field(min_length=1, max_length=actions.MAX_CODES_PER_BATCH)
    source: ScanSource = ScanSource.TYPED


class CloseIn(InputSchema):
    note: text(500) = ""


class ReportLostIn(InputSchema):
    carrier_id: Id
    note: text(500) = ""


@router.get("", response={200: StocktakePage, **READ_ERRORS}, summary="清查列表")
def list_stocktakes(request, query: Query[PageQuery]):
    return paginate(stocktakes_visible_to(request.auth), query, stocktake_out)


@router.post("", response={201: StocktakeOut, **WRITE_ERRORS}, summary="开始清查")
def start(request, payload: StartIn):
    actor = request.auth
    stocktake = actions.start(
        actor,
        place=lookups.place(actor, payload.place_id),
        include_out=payload.include_out,
        note=payload.note,
    )
    return 201, stocktake_out(stocktake)


@router.get("/{stocktake_id}", response={200: ReconciliationOut, **READ_ERRORS}, summary="清查结果")
def get_stocktake(request, stocktake_id: Id):
    """The count and its reconciliation: found, missing, unexpected, wrong place (CR-14)."""
    stocktake = _visible(request.auth, stocktake_id)
    result = reconcile(stocktake)
    return {
        "stocktake": stocktake_out(stocktake),
        "counts": result.counts(),
        "found": [_row(r) for r in result.found],
        "missing": [_row(r) for r in result.missing],
        "unexpected": [_row(r) for r in result.unexpected],
        "wrong_place": [_row(r) for r in result.wrong_place],
        "out_with_holders": [_row(r) for r in result.out_with_holders],
    }


@router.post(
    "/{stocktake_id}/scans", response={200: ScanResultOut, **WRITE_ERRORS}, summary="录入清查编号"
)
def scan(request, stocktake_id: Id, payload: ScansIn):
    """Numbers typed, scanned or uploaded; the same number twice counts once."""
    stocktake = _visible(request.auth, stocktake_id)
    result = actions.record_scans(request.auth, stocktake, payload.codes, source=payload.source)
    return {
        "added": result.added,
        "duplicates": result.duplicates,
        "invalid": result.invalid,
        "counts": reconcile(stocktake).counts(),
    }


@router.post(
    "/{stocktake_id}/close", response={200: StocktakeOut, **WRITE_ERRORS}, summary="结束清查"
)
def close(request, stocktake_id: Id, payload: CloseIn = None):
    payload = payload or CloseIn()
    stocktake = _visible(request.auth, stocktake_id)
    return stocktake_out(actions.close(request.auth, stocktake, note=payload.note))


@router.post(
    "/{stocktake_id}/report-lost",
    response={200: RowOut, **WRITE_ERRORS},
    summary="未找到的载体报失",
)
def report_lost(request, stocktake_id: Id, payload: ReportLostIn):
    """A carrier the count did not find becomes a loss report (CR-14 → INC-1)."""
    actor = request.auth
    stocktake = _visible(actor, stocktake_id)
    carrier = lookups.carriers(actor, [payload.carrier_id], "carrier_id")[0]
    carrier = actions.report_missing(actor, stocktake, carrier, note=payload.note)
    return {
        "code": carrier.label,
        "carrier_id": carrier.pk,
        "level": carrier.level,
        "status": carrier.status,
        "place": "",
        "holder": "",
        "reason": "已报失",
    }
