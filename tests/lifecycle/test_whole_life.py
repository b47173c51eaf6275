"""The whole life of a classified carrier, through the actions only: received, circulated on a
传阅单 by two readers, lent and returned, copied, archived into a dossier, retrieved, listed with its
copy, checked, approved and destroyed under two witnesses — and its twin recalled to the issuer.
At the end: the ledger, each carrier's custody history in order, one custody event and one audit
event per change (CR-3, SEC-4), and `baomi audit verify`."""

from __future__ import annotations

import itertools
from io import StringIO

from django.core.management import call_command

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.archive import actions as archive
from baomi.archive.models import DossierItem
from baomi.audit.models import AuditEvent, Outcome
from baomi.carriers import actions as carriers
from baomi.carriers import slips
from baomi.carriers.choices import EventKind, Source, Status
from baomi.carriers.models import Carrier, CirculationSlip, CustodyEvent
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.destruction import actions as destruction
from baomi.destruction.models import ListStatus, Method
from baomi.dispatch import actions as dispatch
from baomi.dispatch.models import RecallItem
from tests.factories import approved, receive
from tests.lifecycle import approved_retrieval, archive_room, dossier

ISSUER = "XX省人民政府办公厅"
K = EventKind


def history(carrier: Carrier) -> list[str]:
    return list(carrier.events.order_by("at", "id").values_list("kind", flat=True))


def audited(carrier: Carrier) -> list[str]:
    """The `done` audit rows about this carrier's custody, in chain order."""
    return list(
        AuditEvent.objects.filter(
            object_type="carrier",
            object_id=carrier.pk,
            event_type__startswith="carrier.",
            outcome=Outcome.DONE,
        )
        .order_by("seq")
        .values_list("event_type", flat=True)
    )


def test_one_carrier_from_receipt_to_destruction_and_its_twin_recalled(world):
    w = world
    # 收文: two copies of a 机密 document from the provincial office.
    doc, twin = receive(w, level=Level.SECRET, copies=2, period=Period.of_years(10), issuer=ISSUER)
    assert doc.status == Status.IN_REGISTRY and doc.place == w.cabinet

    # 传阅单 (CR-4): two readers in turn, each signs and returns it to the registry.
    slip = slips.create_slip(w.clerk, doc, [w.zhang, w.classifier])
    for reader in (w.zhang, w.classifier):
        slips.send_next(w.clerk, slip)
        doc.refresh_from_db()
        assert (doc.status, doc.holder, doc.place) == (Status.CIRCULATING, reader, None)
        slips.acknowledge(reader, slip)
        slips.take_back(w.clerk, slip)
        doc.refresh_from_db()
        assert (doc.status, doc.holder, doc.place) == (Status.IN_REGISTRY, None, w.cabinet)
    slip.refresh_from_db()
    assert slip.state == CirculationSlip.State.DONE
    read = slip.readers.order_by("order")
    assert [r.reader for r in read] == [w.zhang, w.classifier]
    assert all(r.sent_at and r.acknowledged_at and r.returned_at for r in read)

    # 借阅 against an approved loan, then back.
    loan = approved(w, RequestKind.LOAN, [doc])
    carriers.lend(w.clerk, doc, loan)
    doc.refresh_from_db()
    assert (doc.status, doc.holder) == (Status.ON_LOAN, w.zhang)
    carriers.acknowledge(w.zhang, doc)
    carriers.return_to_registry(w.clerk, doc)
    loan.refresh_from_db()
    assert loan.status == RequestStatus.CONSUMED

    # 复制 against an approved copy request: one copy, same level and period (CL-5).
    copy_request = approved(w, RequestKind.COPY, [doc], copies=1)
    (copy,) = carriers.copy(w.clerk, doc, copy_request, copies=1)
    assert (copy.source, copy.original, copy.level) == (Source.COPY, doc, Level.SECRET)
    assert copy.period == doc.period

    # 归档 (CR-11): the dossier takes the document's marking (CL-6).
    d = dossier(w)
    assert d.marking == ""
    archive.archive(w.clerk, doc, d)
    doc.refresh_from_db()
    d.refresh_from_db()
    assert (doc.status, doc.place, doc.holder) == (Status.ARCHIVED, archive_room(w), None)
    assert d.level == Level.SECRET and d.marking == doc.marking == "机密★10年"

    # 调阅 (ARC-1): against an approved ARCHIVE_RETRIEVAL request.
    retrieval = approved_retrieval(w, [doc])
    assert retrieval.kind == RequestKind.ARCHIVE_RETRIEVAL
    archive.retrieve(w.clerk, doc, retrieval)
    doc.refresh_from_db()
    assert (doc.status, doc.place) == (Status.IN_REGISTRY, doc.home_place)

    # 销毁 (CR-12): listed with its copy, checked item by item, approved, destroyed under two
    # different cleared witnesses, neither of them the clerk who listed and submitted it.
    dlist = destruction.create_list(w.clerk, [doc, copy], reason="已办结无保存价值")
    for c in (doc, copy):
        c.refresh_from_db()
        assert c.status == Status.PENDING_DESTRUCTION
        destruction.check_item(w.clerk, dlist, c)
    request = destruction.submit(w.clerk, dlist, approver=w.leader)
    approvals.approve(w.leader, request, comment="同意销毁")
    destruction.destroy(
        w.clerk,
        dlist,
        method=Method.SHRED,
        place="机要室碎纸机",
        witnesses=[w.zhang, w.classifier],
    )
    dlist.refresh_from_db()
    assert dlist.status == ListStatus.DESTROYED
    assert set(dlist.witnesses.all()) == {w.zhang, w.classifier}
    assert w.clerk not in dlist.witnesses.all() and request.requester == w.clerk
    # The destroyed document is no longer the dossier's content: its marking follows (CL-6).
    assert not DossierItem.objects.filter(carrier=doc, removed_at__isnull=True).exists()
    d.refresh_from_db()
    assert d.marking == ""

    # 清退 (CR-10): the twin goes back to the issuer.
    dispatch.recall(w.clerk, twin, issuer=ISSUER, received_by="省办机要处刘某")
    assert RecallItem.objects.filter(carrier=twin, issuer=ISSUER).exists()

    # --- the ledger -------------------------------------------------------------------------
    for c, status in ((doc, Status.DESTROYED), (copy, Status.DESTROYED), (twin, Status.RETURNED)):
        c.refresh_from_db()
        assert (c.status, c.holder, c.place, c.due_date) == (status, None, None, None), c.label
    for r in (loan, copy_request, retrieval, request):
        r.refresh_from_db()
        assert r.status == RequestStatus.CONSUMED, r.kind

    # --- the custody history, in order ------------------------------------------------------
    reading = [K.CIRCULATE, K.ACKNOWLEDGE, K.RETURN]
    assert history(doc) == [
        K.REGISTER,
        K.SLIP,
        *reading,
        *reading,
        K.LEND,
        K.ACKNOWLEDGE,
        K.RETURN,
        K.COPY,
        K.ARCHIVE,
        K.RETRIEVE,
        K.LIST_FOR_DESTRUCTION,
        K.DESTROY,
    ]
    assert history(copy) == [K.COPY, K.LIST_FOR_DESTRUCTION, K.DESTROY]
    assert history(twin) == [K.REGISTER, K.RECALL]

    # --- one custody event and one audit event per change, and an unbroken chain --------------
    for c in (doc, copy, twin):
        events = list(c.events.order_by("at", "id"))
        assert audited(c) == [f"carrier.{e.kind}" for e in events], c.label
        assert len({e.correlation_id for e in events}) == len(events), c.label
        for previous, event in itertools.pairwise(events):
            assert event.status_before == previous.status_after, (c.label, event.kind)
            assert event.holder_before_id == previous.holder_after_id, (c.label, event.kind)
            assert event.place_before_id == previous.place_after_id, (c.label, event.kind)
        last = events[-1]
        assert (last.status_after, last.holder_after_id, last.place_after_id) == (
            c.status,
            None,
            None,
        )
    assert (
        CustodyEvent.objects.count()
        == AuditEvent.objects.filter(
            event_type__startswith="carrier.", outcome=Outcome.DONE
        ).count()
    )
    assert not AuditEvent.objects.filter(outcome=Outcome.REFUSED).exists()

    out = StringIO()
    call_command("audit", "verify", stdout=out)  # exits 1 on a broken log
    assert "审计日志完整" in out.getvalue()
