"""A province-sized ledger for the benchmarks (`baomi bench generate --carriers N`).

Units with departments, people and places; carriers registered over several years in the status
mix of a real registry (most in the registry or archived, some out on loan, circulating or overdue,
older ones destroyed or recalled), each with its custody history, the approved requests its loans
and take-outs used, and one audit row per custody event — written in bulk (COPY on PostgreSQL).

The rows obey what the actions would have written: CR-3 (one holder or one place, checked by the
database), PER-1 (a holder's clearance covers the level), CR-15 (绝密 and 密码电报 in a safe),
numbers per unit and year. The audit rows go through the sequencer's batch shape: each chunk, in
its own transaction under the sequencer's lock, inserts its rows with their leaf hashes, their
leaves in order and one tree head, so `baomi audit verify` recomputes the whole log.
"""

from __future__ import annotations

import heapq
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from baomi.approvals.models import ApprovalStep, Request, RequestItem
from baomi.audit.merkle import Frontier, Tree
from baomi.audit.models import AuditEvent, AuditLeaf, AuditTreeHead
from baomi.audit.sequencer import LOCK_KEY, SealRefused, seal
from baomi.audit.trail import SEQUENCE, row_hash
from baomi.benchdata.tables import Table, reset_sequences
from baomi.benchdata.vocabulary import (
    CLEARANCE_MIX,
    DEPARTMENTS,
    FINAL_EVENT,
    GIVEN,
    ISSUERS,
    KIND_MIX,
    LEVEL_MIX,
    OLD_MIX,
    OUT_STATUSES,
    PERIOD_YEARS,
    SUBJECTS,
    SURNAMES,
    TOPICS,
    YOUNG_MIX,
)
from baomi.carriers.choices import CarrierKind, EventKind, PlaceKind, Source, Status
from baomi.carriers.models import Carrier, CustodyEvent, NumberSequence, Place
from baomi.classification.choices import LEVEL_RANK, Category, Clearance, Level
from baomi.org.models import Department, Person, Unit


@dataclass
class Scale:
    carriers: int
    units: int = 10
    main_share: float = 0.5  # the first unit's share: a big registry for the per-unit benchmarks
    years: int = 6
    seed: int = 13
    chunk: int = 20_000
    pending_request_every: int = 400


@dataclass
class UnitData:
    unit: Unit
    departments: list[int]
    clerks: list[Person]
    head: Person
    holders_by_level: dict[str, list[Person]]
    dept_of: dict[int, int]
    places: dict[str, list[int]]
    carriers: int
    counters: dict[int, int] = field(default_factory=dict)


@dataclass
class Result:
    units: int = 0
    people: int = 0
    carriers: int = 0
    custody_events: int = 0
    audit_events: int = 0
    requests: int = 0
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)


def _pick(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def make_org(scale: Scale, rng: random.Random) -> list[UnitData]:
    """Units, departments, people and places, through the ORM (a few thousand rows)."""
    first = (Unit.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    shares = [scale.main_share] + [(1 - scale.main_share) / max(scale.units - 1, 1)] * (
        scale.units - 1
    )
    if scale.units == 1:
        shares = [1.0]
    units = []
    for i, share in enumerate(shares):
        n = first + i
        unit = Unit.objects.create(
            name=f"规模测试单位{n:04d}",
            code=f"BENCH{n:04d}",
            classification_authority="secret" if i == 0 else "none",
        )
        carriers = max(1, round(scale.carriers * share))
        depts = Department.objects.bulk_create(
            Department(unit=unit, name=name) for name in DEPARTMENTS
        )
        people_count = max(30, min(5000, carriers // 25))
        people = []
        for k in range(people_count):
            clerk = k < 2
            clearance = Clearance.CORE if k < 3 else _pick(rng, CLEARANCE_MIX)
            people.append(
                Person(
                    unit=unit,
                    department=depts[6 if clerk else rng.randrange(len(depts))],
                    name=_name(rng),
                    number=f"P{k + 1:05d}",
                    post="保密员" if clerk else ("单位负责人" if k == 2 else "工作人员"),
                    clearance=clearance,
                    is_registry_clerk=clerk,
                    is_unit_head=k == 2,
                    is_classifier=k == 2,
                )
            )
        people = Person.objects.bulk_create(people)
        places = {
            PlaceKind.ROOM: [Place.objects.create(unit=unit, name="机要室", kind="room").pk],
            PlaceKind.CABINET: [
                Place.objects.create(unit=unit, name=f"{c}号文件柜", kind="cabinet").pk
                for c in range(1, 9)
            ],
            PlaceKind.SAFE: [
                Place.objects.create(unit=unit, name=f"{c}号保险柜", kind="safe").pk
                for c in range(1, 4)
            ],
            PlaceKind.ARCHIVE: [Place.objects.create(unit=unit, name="档案室", kind="archive").pk],
        }
        staff = [p for p in people[3:]]
        holders = {
            level: [p for p in staff if LEVEL_RANK[Level(p.max_level)] >= rank]
            for level, rank in LEVEL_RANK.items()
        }
        units.append(
            UnitData(
                unit=unit,
                departments=[d.pk for d in depts],
                clerks=people[:2],
                head=people[2],
                holders_by_level=holders,
                dept_of={p.pk: p.department_id for p in people},
                places=places,
                carriers=carriers,
            )
        )
    return units


def _snapshot(status, holder: Person | None, place, due) -> dict:
    return {
        "status": str(status),
        "holder": holder.pk if holder else None,
        "holder_name": holder.name if holder else None,
        "place": place,
        "due_date": due.isoformat() if due else None,
    }


class Generator:
    """Writes carriers chunk by chunk; each chunk one transaction with its audit rows sealed."""

    def __init__(self, scale: Scale, units: list[UnitData], rng: random.Random):
        self.scale, self.units, self.rng = scale, units, rng
        self.now = timezone.now().replace(microsecond=0)
        self.start = self.now - timedelta(days=365 * scale.years)
        self.tables = {
            m: Table(m)
            for m in (
                Carrier,
                CustodyEvent,
                AuditEvent,
                AuditLeaf,
                Request,
                RequestItem,
                ApprovalStep,
                Carrier.scope_departments.through,
            )
        }
        self.result = Result(units=len(units))
        self.algorithm = settings.BAOMI_AUDIT_HASH

    # --- the timeline ---------------------------------------------------------------------

    def registrations(self):
        """(time, unit index, copies) in time order across all units, lazily."""

        def of_unit(index: int, data: UnitData):
            rng = random.Random(self.scale.seed * 1000 + index)
            registrations = data.carriers / 1.4  # 1.4 copies a registration on average
            mean_gap = (self.now - self.start).total_seconds() / registrations
            t, left = self.start, data.carriers
            while left > 0:
                t += timedelta(seconds=rng.expovariate(1 / mean_gap))
                if t >= self.now - timedelta(hours=1):
                    t = self.now - timedelta(hours=1)
                copies = min(left, rng.choices((1, 2, 3), weights=(75, 15, 10))[0])
                left -= copies
                yield t, index, copies

        return heapq.merge(*(of_unit(i, u) for i, u in enumerate(self.units)))

    def run(self) -> Result:
        began = time.monotonic()
        seal()  # rows already written go into the tree first, so every chunk extends it in order
        batch: list = []
        for registration in self.registrations():
            batch.append(registration)
            if sum(r[2] for r in batch) >= self.scale.chunk:
                self.write_chunk(batch)
                batch = []
        if batch:
            self.write_chunk(batch)
        with transaction.atomic():
            for data in self.units:
                NumberSequence.objects.bulk_create(
                    NumberSequence(unit=data.unit, year=year, last=last)
                    for year, last in sorted(data.counters.items())
                )
            reset_sequences(self.tables.values())
        self.result.seconds = time.monotonic() - began
        return self.result

    # --- one chunk ------------------------------------------------------------------------

    def write_chunk(self, registrations: list) -> None:
        rows = {name: [] for name in ("carrier", "scope", "event", "request", "item", "step")}
        audits: list[dict] = []
        for t, index, copies in registrations:
            data = self.units[index]
            year = t.year
            data.counters[year] = data.counters.get(year, 0) + 1
            number = f"{year}-{data.counters[year]:07d}"
            shared = self._registration(data, t)
            for copy_no in range(1, copies + 1):
                self._carrier(data, number, copy_no, t, shared, rows, audits)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            self.tables[Carrier].write(rows["carrier"])
            self.tables[Carrier.scope_departments.through].write(rows["scope"])
            self.tables[Request].write(rows["request"])
            self.tables[RequestItem].write(rows["item"])
            self.tables[ApprovalStep].write(rows["step"])
            self.tables[CustodyEvent].write(rows["event"])
            self._write_audit(audits)
        self.result.carriers += len(rows["carrier"])
        self.result.custody_events += len(rows["event"])
        self.result.requests += len(rows["request"])

    def _registration(self, data: UnitData, t: datetime) -> dict:
        rng = self.rng
        level = _pick(rng, LEVEL_MIX)
        kind = _pick(rng, KIND_MIX)
        if kind == CarrierKind.TELEGRAM and level in (Level.PUBLIC, Level.INTERNAL):
            level = Level.SECRET
        issuer = rng.choice(ISSUERS)
        years = PERIOD_YEARS.get(level)
        return {
            "level": level,
            "kind": kind,
            "title": rng.choice(TOPICS).format(rng.choice(SUBJECTS)),
            "issuer": issuer,
            "doc_number": f"{issuer[:2]}发〔{t.year}〕{rng.randint(1, 300)}号",
            "doc_date": (t - timedelta(days=rng.randint(0, 20))).date(),
            "pages": rng.randint(1, 60),
            "category": Category.STATE if years else Category.WORK,
            "period_kind": "years" if years else "",
            "period_years": years,
            "source": Source.PRODUCED if issuer == "本单位" else Source.RECEIVED,
            "departments": rng.sample(data.departments, rng.choice((1, 1, 2, 3))),
        }

    def _carrier(self, data, number, copy_no, t, shared, rows, audits) -> None:
        rng = self.rng
        cid = self.tables[Carrier].new_id()
        level = shared["level"]
        safe = level == Level.TOP_SECRET or shared["kind"] == CarrierKind.TELEGRAM
        home = rng.choice(data.places[PlaceKind.SAFE if safe else PlaceKind.CABINET])
        clerk = rng.choice(data.clerks)
        age = (self.now - t) / (self.now - self.start)
        status = _pick(rng, OLD_MIX if age > 0.5 else YOUNG_MIX)
        holders = data.holders_by_level[level]
        if status in OUT_STATUSES and (level == Level.TOP_SECRET or not holders):
            status = Status.IN_REGISTRY  # 绝密 goes back the same day (CR-17)
        label = f"{number}-{copy_no:02d}"
        audit_text = f"{label} {Level(level).label}"
        state = {"status": Status.IN_REGISTRY, "holder": None, "place": home, "due": None}
        events: list[dict] = []

        def move(kind, at, status_after, holder, place, due=None, request=None, note=""):
            before = _snapshot(state["status"], state["holder"], state["place"], state["due"])
            events.append(
                {
                    "id": self.tables[CustodyEvent].new_id(),
                    "carrier_id": cid,
                    "kind": kind,
                    "at": at,
                    "recorded_at": at,
                    "actor_id": clerk.pk,
                    "status_before": state["status"],
                    "status_after": status_after,
                    "holder_before_id": state["holder"].pk if state["holder"] else None,
                    "holder_after_id": holder.pk if holder else None,
                    "place_before_id": state["place"],
                    "place_after_id": place,
                    "request_id": request,
                    "due_date": due,
                    "note": note,
                }
            )
            state.update(status=status_after, holder=holder, place=place, due=due)
            after = _snapshot(status_after, holder, place, due)
            audits.append(
                self._audit(
                    f"carrier.{kind}", clerk, data, cid, audit_text, before, after, at, request
                )
            )

        # Registration.
        events.append(
            {
                "id": self.tables[CustodyEvent].new_id(),
                "carrier_id": cid,
                "kind": EventKind.REGISTER,
                "at": t,
                "recorded_at": t,
                "actor_id": clerk.pk,
                "status_before": "",
                "status_after": Status.IN_REGISTRY,
                "place_after_id": home,
            }
        )
        audits.append(
            self._audit(
                "carrier.register",
                clerk,
                data,
                cid,
                audit_text,
                None,
                {
                    **_snapshot(Status.IN_REGISTRY, None, home, None),
                    "level": level,
                    "source": shared["source"],
                    "original": None,
                },
                t,
                None,
            )
        )
        # Past loans and circulations, each back in the registry.
        span_end = max(self.now - timedelta(days=rng.randint(1, 60)), t + timedelta(hours=1))
        cycles = (
            0
            if status == Status.VOIDED or not holders
            else rng.choices((0, 1, 2, 3, 5), (25, 30, 25, 12, 8))[0]
        )
        if level == Level.TOP_SECRET or span_end - t < timedelta(days=2):
            cycles = 0
        span = max((span_end - t).total_seconds(), 3600.0)
        at = t
        for k in range(cycles):
            out_at = t + timedelta(seconds=span * (k + 0.3) / (cycles + 1))
            holder = rng.choice(holders)
            back = out_at + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 8))
            due = (out_at + timedelta(days=30)).date()
            if rng.random() < 0.4:
                request = self._request(data, cid, holder, "loan", out_at, due, rows, consumed=True)
                move(EventKind.LEND, out_at, Status.ON_LOAN, holder, None, due, request)
            else:
                move(EventKind.CIRCULATE, out_at, Status.CIRCULATING, holder, None, due)
            # Back before the next cycle starts (or the final move): the history stays in order.
            back = min(back, t + timedelta(seconds=span * (k + 1) / (cycles + 1)))
            move(EventKind.RETURN, back, Status.IN_REGISTRY, None, home)
            at = back
        final_at = max(span_end, at + timedelta(hours=1))
        final_at = min(final_at, self.now - timedelta(minutes=5))
        handed_out = acknowledged = out_request = None
        if status in OUT_STATUSES:
            holder = rng.choice(holders)
            days = 7 if status == Status.TAKEN_OUT else 30
            due = (final_at + timedelta(days=days)).date()
            request = None
            if status != Status.CIRCULATING:
                kind = "loan" if status == Status.ON_LOAN else "take_out"
                request = self._request(data, cid, holder, kind, final_at, due, rows, consumed=True)
            move(FINAL_EVENT[status], final_at, status, holder, None, due, request)
            handed_out, out_request = final_at, request
            if rng.random() < 0.8:
                acknowledged = final_at + timedelta(hours=1)
        elif status == Status.ARCHIVED:
            move(EventKind.ARCHIVE, final_at, status, None, data.places[PlaceKind.ARCHIVE][0])
        elif status == Status.PENDING_DESTRUCTION:
            move(EventKind.LIST_FOR_DESTRUCTION, final_at, status, None, home)
        elif status == Status.DESTROYED:
            move(
                EventKind.LIST_FOR_DESTRUCTION,
                final_at - timedelta(days=3),
                Status.PENDING_DESTRUCTION,
                None,
                home,
            )
            move(EventKind.DESTROY, final_at, status, None, None, note="监销人：保密办两人")
        elif status in FINAL_EVENT:
            move(FINAL_EVENT[status], final_at, status, None, None)
        elif status == Status.IN_REGISTRY and rng.random() < 1 / self.scale.pending_request_every:
            holder = rng.choice(holders) if holders else data.head
            self._request(
                data,
                cid,
                holder,
                "loan",
                self.now - timedelta(hours=rng.randint(1, 72)),
                (self.now + timedelta(days=14)).date(),
                rows,
                consumed=False,
            )
        rows["event"].extend(events)
        for dept in shared["departments"]:
            rows["scope"].append({"carrier_id": cid, "department_id": dept})
        holder = state["holder"]
        if holder is not None and data.dept_of[holder.pk] not in shared["departments"]:
            rows["scope"].append({"carrier_id": cid, "department_id": data.dept_of[holder.pk]})
            shared["departments"] = [*shared["departments"], data.dept_of[holder.pk]]
        rows["carrier"].append(
            {
                "id": cid,
                "unit_id": data.unit.pk,
                "number": number,
                "copy_no": copy_no,
                **{k: v for k, v in shared.items() if k != "departments"},
                "registered_by_id": clerk.pk,
                "registered_at": t,
                "status": state["status"],
                "holder_id": holder.pk if holder else None,
                "place_id": state["place"],
                "home_place_id": home,
                "due_date": state["due"],
                "handed_out_at": handed_out,
                "acknowledged_at": acknowledged,
                "out_request_id": out_request,
            }
        )
        self.result.by_status[state["status"]] = self.result.by_status.get(state["status"], 0) + 1

    def _request(self, data, cid, holder, kind, at, due, rows, *, consumed: bool) -> int:
        rid = self.tables[Request].new_id()
        created = at - timedelta(hours=self.rng.randint(2, 30))
        decided = created + timedelta(hours=1) if consumed else None
        rows["request"].append(
            {
                "id": rid,
                "unit_id": data.unit.pk,
                "kind": kind,
                "status": "consumed" if consumed else "pending",
                "requester_id": holder.pk,
                "beneficiary_id": holder.pk,
                "reason": "工作需要",
                "due_date": due,
                "destination": "省会议中心" if kind == "take_out" else "",
                "created_at": created,
                "decided_at": decided,
                "expires_at": decided + timedelta(days=7) if decided else None,
            }
        )
        rows["item"].append(
            {
                "id": self.tables[RequestItem].new_id(),
                "request_id": rid,
                "carrier_id": cid,
                "consumed_at": at if consumed else None,
            }
        )
        rows["step"].append(
            {
                "id": self.tables[ApprovalStep].new_id(),
                "request_id": rid,
                "order": 1,
                "approver_id": data.head.pk,
                "outcome": "approved" if consumed else "pending",
                "decided_at": decided,
                "role": "unit_head",
            }
        )
        return rid

    def _audit(self, event_type, actor, data, cid, text, before, after, at, request) -> dict:
        return {
            "event_type": event_type,
            "outcome": "done",
            "rule_id": "",
            "message": "",
            "actor_id": actor.pk,
            "actor_name": actor.name,
            "unit_id": data.unit.pk,
            "object_type": "carrier",
            "object_id": cid,
            "object_text": text,
            "before": before,
            "after": after,
            "at": at,
            "correlation_id": "",
            "request_id": request,
            "algorithm": self.algorithm,
        }

    def _write_audit(self, audits: list[dict]) -> None:
        """The chunk's audit rows in time order, each with its leaf, and one tree head — what a
        sequencer batch writes — inside the chunk's transaction and under the sequencer's lock."""
        audits.sort(key=lambda row: row["at"])
        seqs, xid = _reserve_seqs(len(audits))
        table = self.tables[AuditEvent]
        head = AuditTreeHead.objects.order_by("-size").first()
        size = head.size if head else 0
        if AuditLeaf.objects.filter(index__gte=size).exists():
            raise SealRefused("审计日志的树头与叶子不符：请先运行 baomi audit verify")
        tree = Tree(head.algorithm if head else self.algorithm)
        frontier = Frontier(tree, size, [bytes.fromhex(h) for h in head.frontier] if head else ())
        leaves = []
        for seq, row in zip(seqs, audits, strict=True):
            row["seq"] = seq
            row["hash"] = digest = row_hash(row)
            row["xid"] = xid
            row["id"] = table.new_id()
            frontier.append(bytes.fromhex(digest))
            leaves.append({"index": frontier.size - 1, "event_id": row["id"]})
        table.write(audits)
        self.tables[AuditLeaf].write(leaves)
        if connection.vendor == "postgresql":
            horizon = head.horizon if head else 0  # rows of other transactions: the sequencer's
        else:
            horizon = seqs[-1] if seqs else (head.horizon if head else 0)
        if audits:
            AuditTreeHead.objects.create(
                size=frontier.size,
                root=frontier.root().hex(),
                algorithm=tree.algorithm,
                frontier=[h.hex() for h in frontier.hashes],
                horizon=horizon,
                at=timezone.now(),
            )
        self.result.audit_events += len(audits)


def _reserve_seqs(count: int) -> tuple[list[int], int | None]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval('{SEQUENCE}') FROM generate_series(1, %s)", [count])
            seqs = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            return seqs, cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_auditevent")
        start = cursor.fetchone()[0]
        return list(range(start + 1, start + count + 1)), None


def generate(scale: Scale) -> Result:
    rng = random.Random(scale.seed)
    with transaction.atomic():
        units = make_org(scale, rng)
    result = Generator(scale, units, rng).run()
    result.people = sum(len(u.dept_of) for u in units)
    return result
