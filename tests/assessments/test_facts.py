"""INS-3's ledger facts read the custody history, not today's state: a loan returned after its
due date still counts as late; one returned in time does not; one still out counts once its due
date has passed within the year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from baomi.assessments.choices import Target
from baomi.assessments.facts import Subjects, overdue_loans, period_of
from baomi.carriers import actions as carriers
from tests.inspections.helpers import START, at, overdue_loan

pytestmark = pytest.mark.django_db


def _late(w, today):
    subjects = Subjects(Target.DEPARTMENTS, w.unit.pk, (w.office.pk, w.registry.pk))
    return {k: int(v.value) for k, v in overdue_loans(subjects, period_of(2026, today)).items()}


def test_r_ins_3_late_returns_count_from_the_custody_history(world):
    w = world
    with at(START):
        late, in_time, still_out = (overdue_loan(w, title=f"文件{n}") for n in range(3))
    with at(START + timedelta(days=2)):
        carriers.return_to_registry(w.clerk, in_time)
    with at(START + timedelta(days=7)):
        carriers.return_to_registry(w.clerk, late)
    # due 03-05: on 03-04 nothing is late yet; afterwards `late` (back on 03-09) and `still_out`
    assert _late(w, START + timedelta(days=2)) == {w.office.pk: 0, w.registry.pk: 0}
    assert _late(w, START + timedelta(days=30)) == {w.office.pk: 2, w.registry.pk: 0}
    # the year's end is the limit: a 2027 assessment of 2026 counts the same
    assert _late(w, date(2027, 2, 1)) == {w.office.pk: 2, w.registry.pk: 0}
    still_out.refresh_from_db()
    assert still_out.holder == w.zhang
