from baomi.approvals.choices import RequestKind
from baomi.audit.trail import verify
from baomi.carriers import actions
from baomi.carriers.choices import Status
from tests.factories import approved, receive


def test_receive_circulate_return_lend_copy_flow(world):
    w = world
    carrier = receive(w, copies=3)[0]
    assert carrier.marking == "机密★20年"
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.acknowledge(w.zhang, carrier)
    actions.return_to_registry(w.clerk, carrier)
    request = approved(w, RequestKind.LOAN, [carrier])
    actions.lend(w.clerk, carrier, request)
    carrier.refresh_from_db()
    assert carrier.status == Status.ON_LOAN and carrier.holder == w.zhang
    actions.return_to_registry(w.clerk, carrier)
    copy_request = approved(w, RequestKind.COPY, [carrier])
    made = actions.copy(w.clerk, carrier, copy_request, copies=2)
    assert [c.level for c in made] == [carrier.level] * 2
    assert verify().ok
