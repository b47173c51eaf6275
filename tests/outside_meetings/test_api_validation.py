"""Bad input to every POST endpoint of `meeting-attendances` (CR-2): 422 `invalid` naming the
field, nothing changed. `CASES` is also read by tests/api (every POST endpoint has a bad-input
case)."""

from __future__ import annotations

from datetime import date

import pytest

from baomi.classification.choices import Level
from baomi.outside_meetings import actions
from baomi.outside_meetings.models import BroughtBackPaper, MeetingAttendance
from tests.api.helpers import api_as, assert_invalid, ledger_state

pytestmark = pytest.mark.django_db

# template → (who, body, fields named in the 422)
CASES = {
    "meeting-attendances": (
        "zhang",
        {"meeting_title": "", "organiser": "", "held_on": "上周", "level": "ultra"},
        ["meeting_title", "organiser", "held_on", "level"],
    ),
    "meeting-attendances/declared-papers/{c}/register": (
        "clerk",
        {"place_id": "柜", "scope_person_ids": ["x"], "note": "注" * 201},
        ["place_id", "scope_person_ids.0", "note"],
    ),
    "meeting-attendances/{attendance_id}/papers": (
        "zhang",
        {"papers": [{"title": "", "level": "ultra", "kind": "scroll", "pages": 0}]},
        ["papers.0.title", "papers.0.level", "papers.0.kind", "papers.0.pages"],
    ),
    "meeting-attendances/{attendance_id}/no-papers": ("zhang", {"when": "now"}, ["when"]),
}


def my_state() -> dict:
    models = (MeetingAttendance, BroughtBackPaper)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


def attend(w, title: str) -> MeetingAttendance:
    return actions.record_attendance(
        w.zhang,
        meeting_title=title,
        organiser="XX省保密局",
        held_on=date(2026, 9, 30),
        level="secret",
    )


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    w = world
    brought = attend(w, "全省保密工作会议")
    paper = actions.declare_papers(
        w.zhang, brought, [actions.PaperSpec(title="会议材料之一", level=Level.SECRET)]
    )[0]
    undeclared = attend(w, "全市保密工作会议")
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template.format(c=paper.pk, attendance_id=undeclared.pk), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
