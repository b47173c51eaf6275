"""Archive: dossiers marked from their contents (CL-6), archiving (CR-11), retrieval only with an
approval and for 绝密/leadership records only the leader's (ARC-1), every movement registered
(ARC-2)."""

from __future__ import annotations

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.archive import actions as archive
from baomi.archive.models import DossierItem
from baomi.archive.selectors import archive_movements
from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers.choices import EventKind, Status
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.destruction import actions as destruction
from baomi.org import actions as org
from tests.factories import approved, receive
from tests.lifecycle import approved_retrieval, archive_room, dossier, refused_all


def test_archive_moves_the_carrier_into_the_dossier(world):
    w = world
    d = dossier(w)
    c = receive(w, level=Level.CONFIDENTIAL)
    archive.archive(w.clerk, c, d)
    c.refresh_from_db()
    assert (c.status, c.place, c.holder) == (Status.ARCHIVED, archive_room(w), None)
    assert c.events.last().kind == EventKind.ARCHIVE
    assert AuditEvent.objects.filter(event_type="carrier.archive", object_id=c.pk).exists()


def test_r_cl_6_dossier_marking_follows_its_contents(world):
    w = world
    d = dossier(w, place=w.safe)
    assert d.level == Level.PUBLIC and d.marking == ""  # empty: nothing to mark
    a = receive(w, level=Level.CONFIDENTIAL, period=Period.of_years(5))
    b = receive(w, level=Level.SECRET, period=Period.of_years(10))
    t = receive(w, level=Level.TOP_SECRET, period=Period.of_years(30))
    archive.archive(w.clerk, a, d)
    d.refresh_from_db()
    assert d.marking == "秘密★5年"
    archive.archive(w.clerk, b, d)
    d.refresh_from_db()
    assert d.marking == "机密★10年"
    archive.archive(w.clerk, t, d)
    d.refresh_from_db()
    assert d.marking == "绝密★30年"
    # The 绝密 item leaves the dossier (listed for destruction): the marking drops again.
    destruction.create_list(w.clerk, [t])
    d.refresh_from_db()
    assert d.marking == "机密★10年"
    assert AuditEvent.objects.filter(event_type="dossier.marking", object_id=d.pk).count() == 4


def test_r_cl_6_longest_period_wins_not_the_period_of_the_highest_level(world):
    w = world
    d = dossier(w)
    archive.archive(w.clerk, receive(w, level=Level.SECRET, period=Period.of_years(5)), d)
    forever = receive(
        w, level=Level.CONFIDENTIAL, period=Period.indefinite(), basis="本单位保密事项目录第7项"
    )  # CL-3: 长期 rests on a named decision
    archive.archive(w.clerk, forever, d)
    d.refresh_from_db()
    assert d.level == Level.SECRET and d.period == Period.indefinite()


def test_r_cr_11_archiving_a_carrier_still_out_is_refused(world):
    w = world
    d = dossier(w)
    c = receive(w)
    carriers.circulate(w.clerk, c, w.zhang)
    with refused_all("CR-11"):
        archive.archive(w.clerk, c, d)


def test_r_cr_11_a_retrieved_carrier_goes_back_to_its_own_dossier(world):
    w = world
    d1, d2 = dossier(w), dossier(w, "2026-WS-002")
    c = receive(w)
    archive.archive(w.clerk, c, d1)
    archive.retrieve(w.clerk, c, approved_retrieval(w, [c]))
    with refused_all("CR-11"):
        archive.archive(w.clerk, c, d2)
    archive.archive(w.clerk, c, d1)  # back into its own dossier
    assert DossierItem.objects.filter(carrier=c).count() == 1


def test_r_arc_1_retrieval_without_approval_is_refused(world):
    w = world
    d = dossier(w)
    c = receive(w)
    archive.archive(w.clerk, c, d)
    with refused_all("ARC-1"):
        archive.retrieve(w.clerk, c, None)


def test_r_arc_1_retrieval_with_a_pending_request_is_refused(world):
    w = world
    c = receive(w)
    archive.archive(w.clerk, c, dossier(w))
    request = archive.request_retrieval(w.zhang, [c], reason="查阅", approver=w.leader)
    with refused_all("ARC-1"):
        archive.retrieve(w.clerk, c, request)


def test_r_arc_1_retrieval_with_a_loan_approval_is_refused(world):
    w = world
    c = receive(w)
    loan = approved(w, RequestKind.LOAN, [c])
    archive.archive(w.clerk, c, dossier(w))
    with refused_all("APR-3"):
        archive.retrieve(w.clerk, c, loan)


def _deputy(w):
    """分管领导 who may approve retrievals of every level but is not the unit head."""
    deputy = org.create_person(w.system, w.unit, name="孙副主任", department=w.office)
    org.set_clearance(w.system, deputy, "core")
    org.grant_approval_authority(w.system, deputy, RequestKind.ARCHIVE_RETRIEVAL, Level.TOP_SECRET)
    return deputy


def test_r_arc_1_top_secret_retrieval_addressed_to_a_non_leader_is_refused(world):
    w = world
    c = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    archive.archive(w.clerk, c, dossier(w, place=w.safe))
    deputy = _deputy(w)
    with refused_all("ARC-1"):
        archive.request_retrieval(w.clerk, [c], reason="查阅", approver=deputy)


def test_r_arc_1_top_secret_retrieval_approved_by_a_non_leader_is_refused(world):
    """Even if a request reached a non-leader (e.g. by a policy path), retrieval refuses it."""
    w = world
    c = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    archive.archive(w.clerk, c, dossier(w, place=w.safe))
    deputy = _deputy(w)
    request = approvals.create_request(
        w.clerk,
        approvals.RequestForm(
            kind=RequestKind.ARCHIVE_RETRIEVAL,
            carriers=[c],
            reason="查阅",
            approver=deputy,
            beneficiary=w.leader,
        ),
    )
    approvals.approve(deputy, request, comment="同意")
    with refused_all("ARC-1"):
        archive.retrieve(w.clerk, c, request)


def test_r_arc_1_leadership_meeting_records_need_the_leader(world):
    w = world
    c = receive(w, level=Level.CONFIDENTIAL)
    archive.archive(w.clerk, c, dossier(w, leadership_meeting=True))
    deputy = _deputy(w)
    with refused_all("ARC-1"):
        archive.request_retrieval(w.zhang, [c], reason="查阅", approver=deputy)
    # The leader may: retrieval goes through.
    archive.retrieve(w.clerk, c, approved_retrieval(w, [c]))
    c.refresh_from_db()
    assert c.status == Status.IN_REGISTRY


def test_arc_1_approved_retrieval_returns_the_carrier_to_the_registry(world):
    w = world
    c = receive(w)
    archive.archive(w.clerk, c, dossier(w))
    request = approved_retrieval(w, [c])
    archive.retrieve(w.clerk, c, request)
    c.refresh_from_db()
    request.refresh_from_db()
    assert (c.status, c.place) == (Status.IN_REGISTRY, c.home_place)
    assert request.status == RequestStatus.CONSUMED
    assert c.events.last().kind == EventKind.RETRIEVE and c.events.last().request == request
    archive.archive(w.clerk, c, c.dossier_items.get().dossier)
    with refused_all("APR-3"):  # an approval is used once only
        archive.retrieve(w.clerk, c, request)


def test_r_arc_2_every_movement_in_and_out_is_registered(world):
    w = world
    d = dossier(w)
    a, b = receive(w), receive(w)
    archive.archive(w.clerk, a, d)
    archive.archive(w.clerk, b, d)
    archive.retrieve(w.clerk, a, approved_retrieval(w, [a]))
    destruction.create_list(w.clerk, [b])
    log = list(archive_movements(w.clerk))
    kinds = [(e.carrier_id, e.kind) for e in reversed(log)]
    assert kinds == [
        (a.pk, EventKind.ARCHIVE),
        (b.pk, EventKind.ARCHIVE),
        (a.pk, EventKind.RETRIEVE),
        (b.pk, EventKind.LIST_FOR_DESTRUCTION),
    ]
    # The uncleared see none of it.
    assert list(archive_movements(w.wang)) == []
