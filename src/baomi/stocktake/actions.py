"""清查 (CR-14): start a count, take numbers in (typed, scanned, uploaded), close it, and turn a
missing carrier into a loss report in one step. Only the unit's registry clerks count."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from baomi.audit.trail import record
from baomi.carriers import actions as carrier_actions
from baomi.carriers.models import Carrier, Place
from baomi.carriers.rules import require_clerk
from baomi.lib import bulk, clock
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person
from baomi.stocktake.models import ScanSource, Stocktake, StocktakeScan, StocktakeState
from baomi.stocktake.selectors import canonical, expected_carriers, read_label, reconcile

MAX_CODES_PER_BATCH = 50_000
# Bound the SQL parameters of one lookup (SQLite's limit is 32766).
CHUNK = 2000


@dataclass
class ScanResult:
    added: int = 0
    duplicates: int = 0
    invalid: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # the canonical codes taken in


@action("stocktake.start")
def start(
    actor: Person, *, place: Place | None = None, include_out: bool = False, note: str = ""
) -> Stocktake:
    """Open a count of one place, or of the whole unit when `place` is None (CR-14)."""
    require_clerk(actor, actor.unit_id, "发起清查")
    if place is not None and place.unit_id != actor.unit_id:
        raise Invalid("存放位置不属于本单位。", {"place": ["存放位置不属于本单位"]})
    _require_none_open(actor, place)
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal leaves the frame usable
            stocktake = Stocktake.objects.create(
                unit_id=actor.unit_id,
                place=place,
                include_out=include_out,
                note=(note or "").strip()[:500],
                started_by=actor,
                started_at=clock.now(),
            )
    except IntegrityError:
        # Another clerk opened the same count between our check and our insert.
        _require_none_open(actor, place)
        raise
    record(
        "stocktake.start",
        actor,
        stocktake,
        after={
            "place": place.pk if place else None,
            "include_out": include_out,
            "expected": expected_carriers(stocktake).count(),
        },
    )
    return stocktake


def _require_none_open(actor: Person, place: Place | None) -> None:
    """CR-14: one open count per place; a whole-unit count overlaps every place count."""
    open_counts = Stocktake.objects.filter(unit_id=actor.unit_id, state=StocktakeState.OPEN)
    if place is not None:
        open_counts = open_counts.filter(Q(place=place) | Q(place__isnull=True))
    found = open_counts.order_by("started_at").first()
    if found is not None:
        raise InvalidState(
            f"{found.scope_text}已有进行中的清查 #{found.pk}（{found.started_by.name}发起）："
            f"请在该清查中继续清点，或先结束它再发起新的清查（CR-14）。",
            {"state": found.state, "stocktake": found.pk},
        )


def _lock_open(actor: Person, stocktake: Stocktake, doing: str) -> Stocktake:
    require_clerk(actor, stocktake.unit_id, doing)
    # Two clerks scanning into one count serialise here; closing waits for the scans in flight.
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.state != StocktakeState.OPEN:
        raise RuleViolation(
            "CR-14",
            f"清查 #{stocktake.pk} 已于 {timezone.localtime(stocktake.closed_at):%Y-%m-%d %H:%M} "
            "结束，不能再录入或修改；如需复查请新建清查（CR-14：清查结果须如实、完整）。",
            {"state": stocktake.state},
        )
    return stocktake


@action("stocktake.scan")
def record_scans(
    actor: Person, stocktake: Stocktake, codes: list[str], *, source: str = ScanSource.TYPED
) -> ScanResult:
    """Take numbers in. Invalid ones are reported back (not stored); a number seen twice counts
    once. Set-based: one lookup per 2,000 numbers and one bulk insert."""
    stocktake = _lock_open(actor, stocktake, "录入清查结果")
    if source not in ScanSource.values:
        raise Invalid("录入方式无效。", {"source": ["录入方式无效"]})
    if len(codes) > MAX_CODES_PER_BATCH:
        raise Invalid(
            f"一次最多录入 {MAX_CODES_PER_BATCH} 个编号。",
            {"codes": [f"一次最多录入 {MAX_CODES_PER_BATCH} 个编号"]},
        )
    result, parsed = ScanResult(), {}
    own_code = stocktake.unit.code
    for raw in codes:
        if not (raw or "").strip():
            continue
        label = read_label(raw)
        if label is None:
            result.invalid.append(raw.strip()[:40])
            continue
        if label.belongs_to(own_code):
            parsed.setdefault(canonical(label.number, label.copy_no), (label.number, label.copy_no))
        else:  # another unit's carrier: kept under its qualified code, never matched to ours
            parsed.setdefault(label.code, None)
    if not parsed and result.invalid:
        raise Invalid(
            "没有可识别的载体编号（格式如 2026-0001234-03）。",
            {"codes": [f"无法识别：{'、'.join(result.invalid[:10])}"]},
        )
    codes_in = list(parsed)
    already = {
        code
        for (code,) in _rows_matching(
            StocktakeScan, ("code",), "stocktake_id", stocktake.pk, "code", codes_in
        )
    }
    new = [code for code in codes_in if code not in already]
    result.duplicates = len(codes_in) - len(new)
    carrier_of = _carriers_by_label(stocktake.unit_id, [parsed[c] for c in new if parsed[c]])
    now = clock.now()
    bulk.insert_values(
        StocktakeScan,
        [
            {
                "stocktake_id": stocktake.pk,
                "code": code,
                "carrier_id": carrier_of.get(parsed[code]),
                "source": source,
                "scanned_by_id": actor.pk,
                "scanned_at": now,
            }
            for code in new
        ],
    )
    result.added, result.codes = len(new), codes_in
    if new:
        record(
            "stocktake.scan",
            actor,
            stocktake,
            after={
                "source": source,
                "added": len(new),
                "duplicates": result.duplicates,
                "invalid": len(result.invalid),
                "codes": new[:200],
            },
        )
    return result


def _carriers_by_label(unit_id: int, labels: list[tuple[str, int]]) -> dict:
    """{(number, copy_no): carrier id} for the unit's carriers of those numbers."""
    numbers = sorted({number for number, _ in labels})
    rows = _rows_matching(
        Carrier, ("id", "number", "copy_no"), "unit_id", unit_id, "number", numbers
    )
    return {(number, copy_no): pk for pk, number, copy_no in rows}


def _rows_matching(model, columns, owner: str, owner_id: int, key: str, values: list) -> list:
    """`columns` of `model`'s rows of `owner` whose `key` is one of `values`: on PostgreSQL one
    query with the values as one array parameter (an upload of 50,000 numbers as IN lists
    spent seconds building and parsing their SQL text), elsewhere one query per 2,000."""
    if not values:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {names} FROM {table} WHERE {owner} = %s AND {key} = ANY(%s)",
                [owner_id, values],
            )
            return cursor.fetchall()
        found = []
        for i in range(0, len(values), CHUNK):
            chunk = values[i : i + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {names} FROM {table} WHERE {owner} = %s AND {key} IN ({marks})",
                [owner_id, *chunk],
            )
            found += cursor.fetchall()
        return found


@action("stocktake.close")
def close(actor: Person, stocktake: Stocktake, *, note: str = "") -> Stocktake:
    """End the count; its figures are frozen in `summary` and in the audit trail, and items
    missing open an incident draft listing them (CR-14)."""
    stocktake = _lock_open(actor, stocktake, "结束清查")
    summary = reconcile(stocktake)
    stocktake.state = StocktakeState.CLOSED
    stocktake.closed_by, stocktake.closed_at = actor, clock.now()
    stocktake.summary = {
        **summary.counts(),
        "missing_codes": [r.code for r in summary.missing[:500]],
        "unexpected_codes": [r.code for r in summary.unexpected[:500]],
        "wrong_place_codes": [r.code for r in summary.wrong_place[:500]],
    }
    if note.strip():
        stocktake.note = f"{stocktake.note}\n结束：{note.strip()}".strip()[:500]
    stocktake.save()
    record(
        "stocktake.close",
        actor,
        stocktake,
        before={"state": StocktakeState.OPEN},
        after={"state": stocktake.state, **summary.counts()},
    )
    if summary.missing:
        # CR-14: missing items become an incident — a draft the 保密办 confirms (INC-1).
        from baomi.incidents.actions import open_stocktake_draft_in

        ids = [r.carrier_id for r in summary.missing]
        missing = [
            carrier
            for i in range(0, len(ids), CHUNK)
            for carrier in Carrier.objects.filter(pk__in=ids[i : i + CHUNK])
        ]
        open_stocktake_draft_in(actor, stocktake, missing)
    return stocktake


@action("stocktake.report_lost")
def report_missing(actor: Person, stocktake: Stocktake, carrier: Carrier, *, note: str = ""):
    """A carrier the count did not find becomes a loss report in one step (CR-14 → INC-1)."""
    require_clerk(actor, stocktake.unit_id, "报失")
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.scans.filter(carrier_id=carrier.pk).exists():
        raise RuleViolation(
            "CR-14",
            f"载体 {carrier.label} 在清查 #{stocktake.pk} 中已清点到，不能按丢失上报（CR-14）。",
        )
    if not expected_carriers(stocktake).filter(pk=carrier.pk).exists():
        raise RuleViolation(
            "CR-14",
            f"载体 {carrier.label} 不在清查 #{stocktake.pk} 的应有清单中，不能从本次清查报失"
            "（CR-14）。",
        )
    text = f"清查 #{stocktake.pk}（{stocktake.scope_text}）未找到"
    return carrier_actions.report_lost(
        actor, carrier, note=f"{text}：{note.strip()}" if note.strip() else text
    )
