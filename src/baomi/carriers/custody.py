"""The one place a carrier's custody changes: row lock, transition, custody event, audit event."""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection, router
from django.db.models import BigIntegerField, BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.expressions import RawSQL

from baomi.audit.trail import SEQUENCE, record, record_many, rows_written
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import Carrier, CustodyEvent, Place
from baomi.lib import bulk, clock, compiled
from baomi.lib.context import correlation_id
from baomi.lib.errors import InvalidState
from baomi.org.models import Person


def lock(
    carrier: Carrier, *, conflict_if_moved: bool = False, scope_of: Person | None = None
) -> Carrier:
    """Re-read the carrier under a row lock (only its own row: locking the joined unit too would
    serialise every action of the unit): two clerks moving one copy at once serialise here,
    and the second sees the first's result instead of overwriting it.

    One statement brings what a custody action reads besides: the unit, holder and home place
    (joined, not loaded one by one), whether a disputed level is pending (CL-12), with
    `scope_of` whether that person is in the 知悉范围 (CR-4), and on PostgreSQL the number of the
    audit row the action will write (`trail.record` takes it from the carrier), so a custody
    action issues its floor of statements: this one, its UPDATE and its two INSERTs.

    `conflict_if_moved`: when the status changed between the caller's read and the lock, the
    caller lost a race (two clerks circulating one copy at once) — a state conflict, 409
    `invalid_state` with the current status (design.md), not a refusal under a rule the caller
    did not break."""
    if scope_of is None:
        shape, values = "none", [carrier.pk]
    elif scope_of.department_id:
        shape, values = "people+department", [carrier.pk, scope_of.pk, scope_of.department_id]
    else:
        shape, values = "people", [carrier.pk, scope_of.pk]
    locked = compiled.get(
        ("carrier-lock", shape), _lock_query, values, using=router.db_for_write(Carrier)
    )
    locked._audit_mark = rows_written()
    if scope_of is not None:
        locked._scope_answers = {scope_of.pk: locked._scope_answer}
    # What the row held when locked: `move` saves only the columns that differ from it.
    locked._locked_values = {f.attname: getattr(locked, f.attname) for f in _CONCRETE}
    if conflict_if_moved and carrier.status and locked.status != carrier.status:
        raise InvalidState(
            f"载体 {locked.label} 刚被他人办理，当前状态为“{locked.get_status_display()}”"
            "，请刷新后再试。",
            {
                "status": locked.status,
                "status_display": locked.get_status_display(),
                "was": carrier.status,
            },
        )
    return locked


_CONCRETE = [f for f in Carrier._meta.concrete_fields if not f.primary_key]


def _lock_query(carrier_id: int, person_id: int | None = None, department_id: int | None = None):
    """The locking read of `lock`, compiled once per shape (lib/compiled.py): with `person_id`
    it also answers whether that person is in the 知悉范围 — named, or (`department_id`) their
    department named: the question `policies.in_scope` asks."""
    from baomi.reclassification.models import UnclearItem, UnclearState

    extra = {
        "_pending_claim": Exists(
            UnclearItem.objects.filter(carrier_id=OuterRef("pk"), state=UnclearState.PENDING)
        )
    }
    if person_id is not None:
        scope = Q(
            Exists(
                Carrier.scope_people.through.objects.filter(
                    carrier_id=OuterRef("pk"), person_id=person_id
                )
            )
        )
        if department_id is not None:
            scope |= Q(
                Exists(
                    Carrier.scope_departments.through.objects.filter(
                        carrier_id=OuterRef("pk"), department_id=department_id
                    )
                )
            )
        extra["_scope_answer"] = ExpressionWrapper(scope, output_field=BooleanField())
    if connection.vendor == "postgresql":
        extra["_audit_seq"] = RawSQL(f"nextval('{SEQUENCE}')", (), output_field=BigIntegerField())
    return (
        Carrier.objects.select_for_update(of=("self",))
        # Its current place is never read by a move (only its id is recorded); the home place
        # is where a return puts it.
        .select_related("unit", "holder", "home_place")
        .annotate(**extra)
        .filter(pk=carrier_id)
    )


def _save_changes(carrier: Carrier) -> None:
    """Save what changed since `lock` (all columns for a carrier not read through it)."""
    loaded = getattr(carrier, "_locked_values", None)
    if loaded is None:
        carrier.save()
        return
    changed = [name for name, value in loaded.items() if getattr(carrier, name) != value]
    if changed:
        carrier.save(update_fields=changed)
        loaded.update((name, getattr(carrier, name)) for name in changed)


def reserved_seq(carrier: Carrier) -> int | None:
    """The audit row number `lock` drew with the carrier, handed out once, and only while no
    other audit row was written since (a copy's rows come before the original's: numbers in
    the order the rows are written). None: `record` draws one."""
    seq = carrier.__dict__.pop("_audit_seq", None)
    return seq if carrier.__dict__.pop("_audit_mark", None) == rows_written() else None


def require_status(carrier: Carrier, allowed, action_name: str) -> None:
    if carrier.status not in allowed:
        raise InvalidState(
            f"载体 {carrier.label} 当前状态为“{carrier.get_status_display()}”，不能{action_name}。",
            {"status": carrier.status, "status_display": carrier.get_status_display()},
        )


def move(
    actor: Person,
    carrier: Carrier,
    kind: EventKind,
    *,
    status: Status,
    holder: Person | None = None,
    place: Place | None = None,
    due_date: date | None = None,
    request=None,
    note: str = "",
    audit_extra: dict | None = None,
    at: datetime | None = None,
) -> CustodyEvent:
    """Apply one transition; writes exactly one custody event and one audit event (CR-3).
    `at` is when it happened, for a move taken over from an imported ledger (default: now)."""
    before = carrier.custody_snapshot()
    event = CustodyEvent(
        carrier=carrier,
        kind=kind,
        at=at or clock.now(),
        actor=actor,
        status_before=carrier.status,
        holder_before_id=carrier.holder_id,
        place_before_id=carrier.place_id,
        status_after=status,
        holder_after=holder,
        place_after=place,
        request=request,
        due_date=due_date,
        note=note[:500],
        correlation_id=correlation_id(),
    )
    handing_out = holder is not None and holder.pk != carrier.holder_id
    carrier.status, carrier.holder, carrier.place, carrier.due_date = (
        status,
        holder,
        place,
        due_date,
    )
    if handing_out:
        carrier.handed_out_at, carrier.acknowledged_at = event.at, None
    elif holder is None:
        carrier.handed_out_at = carrier.acknowledged_at = None
    if request is not None:
        carrier.out_request = request
    elif holder is None:
        carrier.out_request = None
    _save_changes(carrier)
    event.save()
    record(
        f"carrier.{kind}",
        actor,
        carrier,
        before=before,
        after={**carrier.custody_snapshot(), **(audit_extra or {})},
        request_id=getattr(request, "pk", None),
        seq=reserved_seq(carrier),
    )
    return event


def note_event(
    actor: Person,
    carrier: Carrier,
    kind: EventKind,
    *,
    note: str = "",
    request=None,
    before: dict | None = None,
    after: dict | None = None,
) -> CustodyEvent:
    """An event that changes no custody (签收, 更正, 复制 of the original): still one of each."""
    event = CustodyEvent.objects.create(
        carrier=carrier,
        kind=kind,
        at=clock.now(),
        actor=actor,
        status_before=carrier.status,
        status_after=carrier.status,
        holder_before=carrier.holder,
        holder_after=carrier.holder,
        place_before=carrier.place,
        place_after=carrier.place,
        request=request,
        due_date=carrier.due_date,
        note=note[:500],
        correlation_id=correlation_id(),
    )
    record(
        f"carrier.{kind}",
        actor,
        carrier,
        before=before if before is not None else carrier.custody_snapshot(),
        after=after if after is not None else carrier.custody_snapshot(),
        request_id=getattr(request, "pk", None),
        seq=reserved_seq(carrier),
    )
    return event


def enter_ledger(actor: Person, carrier: Carrier, kind: EventKind, *, request) -> CustodyEvent:
    """A carrier's first event (registration, or being made as a copy): one custody event and
    one audit event, like every later move."""
    event = CustodyEvent.objects.create(
        carrier=carrier,
        kind=kind,
        at=carrier.registered_at,
        actor=actor,
        status_before="",
        status_after=carrier.status,
        # A paper declared by the person who brought it back enters the ledger in their hands.
        holder_after=carrier.holder,
        place_after=carrier.place,
        request=request,
        correlation_id=correlation_id(),
    )
    record(
        f"carrier.{kind}",
        actor,
        carrier,
        before=None,
        after={
            **carrier.custody_snapshot(),
            "level": carrier.level,
            "source": carrier.source,
            "original": carrier.original_id,
        },
        request_id=getattr(request, "pk", None),
    )
    return event


def enter_ledger_many(actor: Person, carriers: list[Carrier], kind: EventKind) -> None:
    """`enter_ledger` for many saved carriers at once (a ledger import): the custody events in
    bulk, then each carrier's audit event — the same rows as one `enter_ledger` per carrier."""
    cid = correlation_id()
    bulk.insert_values(
        CustodyEvent,
        [
            {
                "carrier_id": carrier.pk,
                "kind": kind,
                "at": carrier.registered_at,
                "actor_id": actor.pk,
                "status_before": "",
                "status_after": carrier.status,
                "place_after_id": carrier.place_id,
                "correlation_id": cid,
            }
            for carrier in carriers
        ],
    )
    record_many(
        f"carrier.{kind}",
        actor,
        (
            (
                carrier,
                None,
                {
                    **carrier.custody_snapshot(),
                    "level": carrier.level,
                    "source": carrier.source,
                    "original": carrier.original_id,
                },
            )
            for carrier in carriers
        ),
    )


def hand_over_many(actor: Person, moves, *, audit_extra: dict) -> None:
    """`move(kind=HANDOVER, status=CIRCULATING)` for many carriers of one import at once:
    `moves` is `(carrier, holder, at, note)` for carriers just entered into the ledger and not yet
    moved — the same custody events and audit rows as one `move` each, written in bulk (the
    carriers' changed columns by one UPDATE per batch)."""
    moves = list(moves)
    if not moves:
        return
    cid, events, entries = correlation_id(), [], []
    for carrier, holder, at, note in moves:
        before = carrier.custody_snapshot()
        events.append(
            CustodyEvent(
                carrier=carrier,
                kind=EventKind.HANDOVER,
                at=at,
                actor=actor,
                status_before=carrier.status,
                holder_before_id=carrier.holder_id,
                place_before_id=carrier.place_id,
                status_after=Status.CIRCULATING,
                holder_after=holder,
                place_after=None,
                note=note[:500],
                correlation_id=cid,
            )
        )
        carrier.status, carrier.holder, carrier.place, carrier.due_date = (
            Status.CIRCULATING,
            holder,
            None,
            None,
        )
        carrier.handed_out_at, carrier.acknowledged_at, carrier.out_request = at, None, None
        entries.append((carrier, before, {**carrier.custody_snapshot(), **audit_extra}))
    Carrier.objects.bulk_update(
        [move[0] for move in moves],
        [
            "status",
            "holder",
            "place",
            "due_date",
            "handed_out_at",
            "acknowledged_at",
            "out_request",
        ],
        batch_size=bulk.BATCH,
    )
    bulk.insert(CustodyEvent, events)
    record_many(f"carrier.{EventKind.HANDOVER}", actor, entries)
