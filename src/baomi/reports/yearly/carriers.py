"""Carrier figures of the yearly report (INS-4): holdings at year end and the year's movements,
by level, in 件 (distinct 统一编号) and 份 (carriers).

Everything is read from history, never from today's state:
- where a carrier stood on 31 December is the `status_after` of its last custody event before
  the year's end (a carrier destroyed the following January was still held);
- its level then is the `before` level of the first classification change (Reclassification)
  made after that moment, or its present level if none was — so a carrier downgraded next year
  still counts at the level it had.
Each function is one figure (one row, by level and in total) and writes down its own query."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, Count, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from baomi.carriers.choices import LIVE, EventKind, Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.classification.choices import Level
from baomi.reclassification.models import ChangeKind, Reclassification
from baomi.reports.yearly.base import Figure, Year

SECTION = "carriers"
LEVELS = tuple(Level)
LIVE_TEXT = "、".join(Status(s).label for s in LIVE)
COUNTING = "件 = 不同统一编号数，份 = 载体数"


def _level_after(carrier_ref: str, moment) -> Coalesce:
    """The carrier's level just before `moment` (an expression or a datetime)."""
    first_change = (
        Reclassification.objects.filter(carrier=OuterRef(carrier_ref), at__gte=moment)
        .order_by("at", "id")
        .annotate(level_before=KT("before__level"))
        .values("level_before")[:1]
    )
    own_level = F("level") if carrier_ref == "pk" else F("carrier__level")
    return Coalesce(Subquery(first_change), own_level, output_field=CharField())


LEVEL_RULE = (
    "密级取该时点的密级（其后如有密级变更，取其后第一条密级变更记录的“变更前”密级，否则取现密级）"
)


def _rows(
    key: str,
    label: str,
    queryset: QuerySet,
    level_expr,
    number: str,
    carrier: str,
    query: str,
    level_rule: str = LEVEL_RULE,
) -> list[Figure]:
    """One figure per level and a total: 件 = distinct `number`, 份 = distinct `carrier`."""
    counts = {
        row["lv"]: row
        for row in queryset.annotate(lv=level_expr)
        .values("lv")
        .annotate(docs=Count(number, distinct=True), copies=Count(carrier, distinct=True))
        .order_by()
    }
    figures = [
        Figure(
            key=f"{key}.{level.value}",
            section=SECTION,
            label=label,
            value=counts.get(level.value, {}).get("docs", 0),
            copies=counts.get(level.value, {}).get("copies", 0),
            measure="件",
            level=level.value,
            level_display=level.label,
            query=f"{query}；密级 = {level.label}（{level_rule}）；{COUNTING}",
        )
        for level in LEVELS
    ]
    total = queryset.aggregate(
        docs=Count(number, distinct=True), copies=Count(carrier, distinct=True)
    )
    figures.append(
        Figure(
            key=f"{key}.total",
            section=SECTION,
            label=label,
            value=total["docs"],
            copies=total["copies"],
            measure="件",
            level="total",
            level_display="合计",
            query=f"{query}；不分密级；{COUNTING}",
        )
    )
    return figures


def _status_at_end(y: Year) -> Subquery:
    return Subquery(
        CustodyEvent.objects.filter(carrier=OuterRef("pk"), at__lt=y.end)
        .order_by("-at", "-id")
        .values("status_after")[:1]
    )


def held_at_year_end(y: Year) -> list[Figure]:
    """在管载体（年末）: carriers whose last custody event before the year's end left them held."""
    carriers = (
        Carrier.objects.filter(unit_id=y.unit.pk)
        .annotate(status_at_end=_status_at_end(y))
        .filter(status_at_end__in=LIVE)
    )
    query = (
        f"涉密载体：{y.unit_text()}；取每件载体在 {y.year_end_text()} 的最后一条流转记录，"
        f"其“新状态” ∈ {{{LIVE_TEXT}}}"
    )
    return _rows(
        "held_at_end",
        "年末在管",
        carriers,
        _level_after("pk", y.end),
        "number",
        "id",
        query,
    )


def lost_at_year_end(y: Year) -> list[Figure]:
    """丢失未找回（年末）: the last custody event before the year's end left them lost."""
    carriers = (
        Carrier.objects.filter(unit_id=y.unit.pk)
        .annotate(status_at_end=_status_at_end(y))
        .filter(status_at_end=Status.LOST)
    )
    query = (
        f"涉密载体：{y.unit_text()}；取每件载体在 {y.year_end_text()} 的最后一条流转记录，"
        f"其“新状态” = {Status.LOST.label}"
    )
    return _rows(
        "lost_at_end", "年末丢失未找回", carriers, _level_after("pk", y.end), "number", "id", query
    )


def _events(y: Year, kinds: Iterable[str]) -> QuerySet[CustodyEvent]:
    return CustodyEvent.objects.filter(
        carrier__unit_id=y.unit.pk, kind__in=list(kinds), at__gte=y.start, at__lt=y.end
    )


def _movement(
    y: Year, key: str, label: str, kinds: tuple[str, ...], *, unless_voided: bool = False
) -> list[Figure]:
    names = "、".join(EventKind(k).label for k in kinds)
    query = (
        f"流转记录：{y.unit_text()}（载体所属单位）；事件 ∈ {{{names}}}；{y.window_text()}"
        "；密级按事件发生时"
    )
    events = _events(y, kinds)
    if unless_voided:
        # 作废 cancels a wrong registration: it was never a carrier of the unit.
        voided = CustodyEvent.objects.filter(
            carrier=OuterRef("carrier_id"), kind=EventKind.VOID, at__lt=y.end
        )
        events = events.exclude(Exists(voided))
        query += f"；不含在 {y.year_end_text()} 已作废的登记"
    return _rows(
        key,
        label,
        events,
        _level_after("carrier_id", OuterRef("at")),
        "carrier__number",
        "carrier_id",
        query,
    )


def registered(y: Year) -> list[Figure]:
    """本年登记（收文、本单位制发）."""
    return _movement(y, "registered", "本年登记", (EventKind.REGISTER,), unless_voided=True)


def copied(y: Year) -> list[Figure]:
    """本年复制产生的载体."""
    return _movement(y, "copied", "本年复制", (EventKind.COPY,), unless_voided=True)


def dispatched(y: Year) -> list[Figure]:
    return _movement(y, "dispatched", "本年发出", (EventKind.DISPATCH,))


def recalled(y: Year) -> list[Figure]:
    """本年清退（退回制文机关）."""
    return _movement(y, "recalled", "本年清退", (EventKind.RECALL,))


def destroyed(y: Year) -> list[Figure]:
    return _movement(y, "destroyed", "本年销毁", (EventKind.DESTROY,))


def reported_lost(y: Year) -> list[Figure]:
    return _movement(y, "reported_lost", "本年报失", (EventKind.REPORT_LOST,))


def lent_or_taken_out(y: Year) -> list[Figure]:
    """本年借出、携带外出（人次按载体计）."""
    return _movement(y, "lent", "本年借出、携带外出", (EventKind.LEND, EventKind.TAKE_OUT))


def _changes(y: Year, key: str, label: str, kinds: tuple[str, ...]) -> list[Figure]:
    names = "、".join(ChangeKind(k).label for k in kinds)
    changes = Reclassification.objects.filter(
        unit_id=y.unit.pk, kind__in=list(kinds), at__gte=y.start, at__lt=y.end
    )
    query = f"密级变更记录：{y.unit_text()}；类型 ∈ {{{names}}}；{y.window_text()}"
    return _rows(
        key,
        label,
        changes,
        KT("before__level"),
        "carrier__number",
        "carrier_id",
        query,
        level_rule="变更记录的“变更前”密级",
    )


def reclassified(y: Year) -> list[Figure]:
    """本年变更密级（提高或降低）."""
    return _changes(y, "reclassified", "本年变更密级", (ChangeKind.CHANGE, ChangeKind.DOWNGRADE))


def period_extended(y: Year) -> list[Figure]:
    return _changes(y, "extended", "本年延长保密期限", (ChangeKind.EXTEND,))


def declassified(y: Year) -> list[Figure]:
    """本年解密（含期满自行解密）."""
    return _changes(
        y, "declassified", "本年解密", (ChangeKind.DECLASSIFY, ChangeKind.AUTO_DECLASSIFY)
    )


FIGURES = (
    held_at_year_end,
    lost_at_year_end,
    registered,
    copied,
    lent_or_taken_out,
    dispatched,
    recalled,
    destroyed,
    reported_lost,
    reclassified,
    period_extended,
    declassified,
)


def carrier_figures(y: Year) -> list[Figure]:
    return [figure for function in FIGURES for figure in function(y)]
