"""Reconciling a count with the ledger (CR-14, 帐、卡、物相符) — set-based: a few queries whatever
the size of the count."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import QuerySet

from baomi.carriers.choices import AT_PLACE, WITH_HOLDER, Status
from baomi.carriers.models import Carrier
from baomi.org.models import Person
from baomi.stocktake.models import Stocktake

# What a label carries: 统一编号-份号, e.g. 2026-0001234-03, which a person can type; a printed
# label's QR code puts the unit's code in front (C01/2026-0001234-03), so a stocktake can tell
# another unit's carrier from one that was never registered. Scanners type it, then Enter.
LABEL_RE = re.compile(
    r"^(?:(?P<unit>[A-Za-z0-9._-]{1,20})/)?(?P<number>\d{4}-\d{1,10})-(?P<copy>\d{1,4})$"
)
UNIT_SEPARATOR = "/"

ROW_FIELDS = ("pk", "number", "copy_no", "level", "status", "place__name", "holder__name")


@dataclass(frozen=True)
class ScannedLabel:
    """A label as read: the unit's code when the label carried one, the number and the copy."""

    unit_code: str
    number: str
    copy_no: int

    def belongs_to(self, unit_code: str) -> bool:
        return not self.unit_code or self.unit_code == unit_code

    @property
    def code(self) -> str:
        """How the stocktake stores it: bare for this unit, qualified for another one."""
        bare = canonical(self.number, self.copy_no)
        return f"{self.unit_code}{UNIT_SEPARATOR}{bare}" if self.unit_code else bare


def read_label(text: str) -> ScannedLabel | None:
    """A typed or scanned label; None when it is not one. Full-width digits and dashes (a
    Chinese input method left on) are folded first."""
    folded = unicodedata.normalize("NFKC", text or "").strip().replace("—", "-").replace("－", "-")
    match = LABEL_RE.match(folded)
    if match is None:
        return None
    copy_no = int(match["copy"])
    if copy_no < 1:
        return None
    return ScannedLabel(match["unit"] or "", match["number"], copy_no)


def parse_label(text: str) -> tuple[str, int] | None:
    """(number, copy_no) of a typed or scanned label, whichever unit printed it."""
    label = read_label(text)
    return (label.number, label.copy_no) if label else None


def scan_code(unit_code: str, label: str) -> str:
    """What a printed label's QR code carries: the unit's code, then 统一编号-份号."""
    return f"{unit_code}{UNIT_SEPARATOR}{label}"


def canonical(number: str, copy_no: int) -> str:
    return f"{number}-{copy_no:02d}"


@dataclass
class Row:
    """One line of the reconciliation: a carrier (or an unknown number) and why it is there."""

    code: str
    carrier_id: int | None = None
    level: str = ""
    status: str = ""
    place: str = ""
    holder: str = ""
    reason: str = ""

    @property
    def level_display(self) -> str:
        from baomi.classification.choices import Level

        return Level(self.level).label if self.level else ""

    @property
    def status_display(self) -> str:
        return Status(self.status).label if self.status else ""


@dataclass
class Reconciliation:
    found: list[Row] = field(default_factory=list)  # expected here, and seen
    missing: list[Row] = field(default_factory=list)  # expected here, not seen
    unexpected: list[Row] = field(default_factory=list)  # seen, but not in the ledger here
    wrong_place: list[Row] = field(default_factory=list)  # in the registry, but elsewhere
    out_with_holders: list[Row] = field(default_factory=list)  # expected out (listed apart)
    scanned: int = 0

    @property
    def expected(self) -> int:
        return len(self.found) + len(self.missing)

    @property
    def balanced(self) -> bool:
        return not (self.missing or self.unexpected or self.wrong_place)

    def counts(self) -> dict:
        return {
            "expected": self.expected,
            "scanned": self.scanned,
            "found": len(self.found),
            "missing": len(self.missing),
            "unexpected": len(self.unexpected),
            "wrong_place": len(self.wrong_place),
            "out_with_holders": len(self.out_with_holders),
        }


def expected_carriers(stocktake: Stocktake) -> QuerySet[Carrier]:
    """What the ledger says is at the counted place (or anywhere in the unit's registry)."""
    carriers = Carrier.objects.filter(unit_id=stocktake.unit_id, status__in=AT_PLACE)
    if stocktake.place_id:
        carriers = carriers.filter(place_id=stocktake.place_id)
    return carriers


def _row(values: tuple, reason: str = "") -> Row:
    pk, number, copy_no, level, status, place, holder = values
    return Row(canonical(number, copy_no), pk, level, status, place or "", holder or "", reason)


def reconcile(stocktake: Stocktake) -> Reconciliation:
    """Found / missing / unexpected / wrong place, in four queries (CR-14)."""
    result = Reconciliation()
    expected = {
        values[0]: values for values in expected_carriers(stocktake).values_list(*ROW_FIELDS)
    }
    scans = list(stocktake.scans.values_list("code", "carrier_id"))
    result.scanned = len(scans)
    seen = {carrier_id for _, carrier_id in scans if carrier_id is not None}
    for pk, values in expected.items():
        (result.found if pk in seen else result.missing).append(_row(values))
    others = seen - expected.keys()
    if others:
        for values in Carrier.objects.filter(pk__in=others).values_list(*ROW_FIELDS):
            bucket, reason = _misplaced(values)
            getattr(result, bucket).append(_row(values, reason))
    for code, carrier_id in scans:
        if carrier_id is None:
            result.unexpected.append(Row(code, reason=_unknown_reason(code)))
    if stocktake.include_out:
        out = Carrier.objects.filter(unit_id=stocktake.unit_id, status__in=WITH_HOLDER)
        if stocktake.place_id:
            out = out.filter(home_place_id=stocktake.place_id)
        result.out_with_holders = [
            _row(v, "在个人手中" + (" — 已清点到" if v[0] in seen else ""))
            for v in out.values_list(*ROW_FIELDS)
        ]
    for rows in (result.found, result.missing, result.unexpected, result.wrong_place):
        rows.sort(key=lambda r: r.code)
    return result


def _unknown_reason(code: str) -> str:
    unit_code, separator, _ = code.rpartition(UNIT_SEPARATOR)
    if separator:
        return f"其他单位（代码 {unit_code}）的载体，不在本单位台账，应查明来源并交还该单位"
    return "台账中没有此编号（未登记，或是未带单位代码的其他单位标签）"


def _misplaced(values: tuple) -> tuple[str, str]:
    """A carrier of the ledger seen where the ledger does not put it: (bucket, reason)."""
    status, place = values[4], values[5]
    if status in AT_PLACE:
        return "wrong_place", f"台账登记在“{place}”"
    if status in WITH_HOLDER:
        return "unexpected", f"台账登记为“{Status(status).label}”，持有人 {values[6]}"
    return "unexpected", f"台账登记为“{Status(status).label}”"


def classify_scan(stocktake: Stocktake, code: str) -> tuple[str, str]:
    """Where one just-scanned number falls: ("found"|"wrong_place"|"unexpected", text)."""
    scan = stocktake.scans.filter(code=code).select_related("carrier__place").first()
    if scan is None or scan.carrier is None:
        return "unexpected", "台账中没有此编号"
    carrier = scan.carrier
    in_place = carrier.status in AT_PLACE and (
        not stocktake.place_id or carrier.place_id == stocktake.place_id
    )
    if in_place:
        return "found", "账物相符"
    if carrier.status in AT_PLACE:
        return "wrong_place", f"位置不符：台账登记在“{carrier.place.name}”"
    return "unexpected", f"台账登记为“{carrier.get_status_display()}”"


def stocktakes_visible_to(person: Person) -> QuerySet[Stocktake]:
    """Counts are the registry's work: the unit's clerks see them (labels and levels only)."""
    if person is None or person.has_system_role or not person.is_registry_clerk:
        return Stocktake.objects.none()
    return Stocktake.objects.filter(unit_id=person.unit_id).select_related(
        "place", "started_by", "closed_by"
    )
