"""CR-2 through the actions: papers brought back from a meeting elsewhere are declared (已申报) in
the hands of the person who brought them, and may not be circulated, lent, copied or taken out
until the office registers them; an attendance without a declaration alerts after 2 working
days of the State Council calendar."""

from __future__ import annotations

from datetime import date

import pytest

from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers import slips
from baomi.carriers.choices import EventKind, Source, Status
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.dispatch.recall import recallable
from baomi.lib.errors import Forbidden, InvalidState
from baomi.outside_meetings import actions
from baomi.outside_meetings.alerts import attendance_not_declared, declared_papers_waiting
from baomi.outside_meetings.models import BroughtBackPaper
from baomi.workdays import actions as workdays
from tests.factories import approved, receive, refused

pytestmark = pytest.mark.django_db


def attend(w, who=None, held_on=date(2026, 9, 30), level=Level.SECRET):
    return actions.record_attendance(
        who or w.zhang,
        meeting_title="全省保密工作会议",
        organiser="XX省保密局",
        held_on=held_on,
        level=level,
    )


def declare(w, attendance, who=None, level=Level.SECRET, title="会议材料之一"):
    papers = [actions.PaperSpec(title=title, level=level, original_copy_no="017")]
    return actions.declare_papers(who or w.zhang, attendance, papers)[0]


def test_cr_2_declared_paper_is_held_by_the_declarer(world):
    """CR-2/CR-3: the declared paper is a carrier on the ledger, in the declarer's hands."""
    w = world
    attendance = attend(w)
    paper = declare(w, attendance)
    paper.refresh_from_db()
    assert paper.status == Status.DECLARED and paper.holder_id == w.zhang.pk
    assert paper.place_id is None and paper.source == Source.OUTSIDE_MEETING
    assert list(paper.scope_people.all()) == [w.zhang]
    assert BroughtBackPaper.objects.get(carrier=paper).attendance == attendance
    event = paper.events.get()
    assert (event.kind, event.holder_after_id) == (EventKind.DECLARE, w.zhang.pk)
    assert AuditEvent.objects.filter(event_type="carrier.declare").count() == 1
    attendance.refresh_from_db()
    assert attendance.declared and not attendance.declared_none


@pytest.mark.parametrize("doing", ["circulate", "slip", "lend", "take_out", "copy", "return"])
def test_cr_2_using_a_declared_paper_is_refused(world, doing):
    """CR-2: before the office registers it, the paper may not be circulated (also on a 传阅单),
    lent, taken out or copied; nor slipped into the registry by 归还 without its registration."""
    w = world
    paper = declare(w, attend(w))
    other = receive(w)
    kind = {"lend": RequestKind.LOAN, "take_out": RequestKind.TAKE_OUT, "copy": RequestKind.COPY}
    request = approved(w, kind[doing], [other]) if doing in kind else None
    do = {
        "circulate": lambda: carriers.circulate(w.clerk, paper, w.zhang),
        "slip": lambda: slips.create_slip(w.clerk, paper, [w.zhang]),
        "lend": lambda: carriers.lend(w.clerk, paper, request),
        "take_out": lambda: carriers.take_out(w.clerk, paper, request),
        "copy": lambda: carriers.copy(w.clerk, paper, request, copies=1),
        "return": lambda: carriers.return_to_registry(w.clerk, paper),
    }[doing]
    with refused("CR-2"):
        do()


def test_cr_2_no_request_for_a_declared_paper(world):
    """CR-2: asking to borrow a paper not yet registered is refused at the request too."""
    w = world
    paper = declare(w, attend(w))
    with refused("CR-2"):
        approved(w, RequestKind.LOAN, [paper], requester=w.zhang)


def test_cr_2_registered_paper_is_used_like_any_carrier(world):
    w = world
    attendance = attend(w)
    paper = declare(w, attendance)
    assert declared_papers_waiting(w.clerk, date(2026, 10, 1))[0].object_id == paper.pk
    carriers_done = actions.register_paper(
        w.clerk, paper, place=w.cabinet, scope_departments=[w.office]
    )
    paper.refresh_from_db()
    assert carriers_done.status == paper.status == Status.IN_REGISTRY
    assert (paper.place, paper.home_place, paper.holder) == (w.cabinet, w.cabinet, None)
    assert paper.registered_by == w.clerk and w.zhang in paper.scope_people.all()
    assert paper.events.order_by("id").last().kind == EventKind.REGISTER
    assert BroughtBackPaper.objects.get(carrier=paper).registered_by == w.clerk
    assert declared_papers_waiting(w.clerk, date(2026, 10, 1)) == []
    carriers.circulate(w.clerk, paper, w.zhang)  # now it may be used
    assert Carrier.objects.get(pk=paper.pk).status == Status.CIRCULATING
    # CR-10: it came from the meeting's organiser, and goes back to it on its recall.
    assert paper.issuer == "XX省保密局" and paper in recallable(w.unit)


def test_only_the_registry_registers_and_only_the_attendee_declares(world):
    w = world
    attendance = attend(w)
    with refused("forbidden", error=Forbidden):
        declare(w, attendance, who=w.li)
    paper = declare(w, attendance)
    with refused("CR-1"):
        actions.register_paper(w.zhang, paper, place=w.cabinet)


def test_per_1_paper_above_the_declarers_clearance(world):
    """PER-1: a 一般 person cannot take a 机密 paper into their hands — it goes to the office."""
    w = world
    attendance = attend(w, who=w.li)
    with refused("PER-1"):
        declare(w, attendance, who=w.li, level=Level.SECRET)


def test_declaring_none_closes_the_attendance(world):
    w = world
    attendance = actions.declare_none(w.zhang, attend(w))
    assert attendance.declared_none and attendance.declared
    with pytest.raises(InvalidState):
        declare(w, attendance)
    assert attendance_not_declared(w.zhang, date(2026, 10, 20)) == []


def test_cr_2_alert_after_two_working_days_across_national_day(world):
    """CR-2: a meeting on Wed 30 Sep 2026; 1–7 Oct is the 国庆 holiday, so the 2 working days are
    Thu 8 and Fri 9 Oct, and the alert comes on Sat 10 Oct (a make-up working day). Weekends
    alone would have alerted on Mon 5 Oct, in the middle of the holiday."""
    w = world
    attendance = attend(w)
    for day in (date(2026, 10, 5), date(2026, 10, 8), date(2026, 10, 9)):
        assert attendance_not_declared(w.zhang, day) == [], day
    alerts = attendance_not_declared(w.zhang, date(2026, 10, 10))
    assert [(a.rule_id, a.object_id, a.due) for a in alerts] == [
        ("CR-2", attendance.pk, date(2026, 10, 9))
    ]
    # The 保密员 sees it too; someone else does not.
    assert [a.object_id for a in attendance_not_declared(w.clerk, date(2026, 10, 10))] == [
        attendance.pk
    ]
    assert attendance_not_declared(w.li, date(2026, 10, 10)) == []


def test_cr_2_a_correction_in_the_calendar_moves_the_alert(world):
    """The unit's table wins: with Thu 8 Oct declared a rest day, the 2nd working day is the
    make-up Saturday 10 Oct, so there is no alert that day, and there is one on the 11th."""
    w = world
    attend(w)
    workdays.set_override(w.sysadmin, day=date(2026, 10, 8), is_working_day=False, note="本地调休")
    assert attendance_not_declared(w.zhang, date(2026, 10, 10)) == []
    assert [a.due for a in attendance_not_declared(w.zhang, date(2026, 10, 11))] == [
        date(2026, 10, 10)
    ]
