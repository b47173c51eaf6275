"""The one place a carrier's custody changes: row lock, transition, custody event, audit event."""

from __future__ import annotations

from datetime import date, datetime

from baomi.audit.trail import record, record_many
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import Carrier, CustodyEvent, Place
from baomi.lib import clock
from baomi.lib.context import correlation_id
from baomi.lib.errors import InvalidState
from baomi.org.models import Person


def lock(carrier: Carrier, *, conflict_if_moved: bool = False) -> Carrier:
    """Re-read the carrier under a row lock (only its own row: locking the joined unit too would
    serialise every action of the unit): two clerks moving one copy at once serialise here,
    and the second sees the first's result instead of overwriting it.

    `conflict_if_moved`: when the status changed between the caller's read and the lock, the
    caller lost a race (two clerks circulating one copy at once) — a state conflict, 409
    `invalid_state` with the current status (design.md), not a refusal under a rule the caller
    did not break."""
    locked = (
        Carrier.objects.select_for_update(of=("self",)).select_related("unit").get(pk=carrier.pk)
    )
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
        holder_before=carrier.holder,
        place_before=carrier.place,
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
    carrier.save()
    event.save()
    record(
        f"carrier.{kind}",
        actor,
        carrier,
        before=before,
        after={**carrier.custody_snapshot(), **(audit_extra or {})},
        request_id=getattr(request, "pk", None),
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
    events = [
        CustodyEvent(
            carrier=carrier,
            kind=kind,
            at=carrier.registered_at,
            actor=actor,
            status_before="",
            status_after=carrier.status,
            place_after=carrier.place,
            correlation_id=cid,
        )
        for carrier in carriers
    ]
    CustodyEvent.objects.bulk_create(events, batch_size=500)
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
