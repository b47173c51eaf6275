"""PER-3 re-review, PER-4 training and PER-5 脱密期 alerts, for the 保密办 only."""

from __future__ import annotations

from baomi.lib.alerts import alerts_for
from baomi.personnel import actions as personnel
from tests.personnel.helpers import days, today


def kinds(person, day=None):
    return [(a.kind, a.object_id) for a in alerts_for(person, day or today())]


def test_re_review_due_and_missing_training_alert_the_office(world):
    w = world
    personnel.record_vetting(
        w.clerk, w.zhang, on=days(-300), result="passed", next_review_on=days(10)
    )
    personnel.record_training(w.clerk, w.li, on=days(-30), hours=2, subject="保密法")
    found = kinds(w.clerk)
    assert ("vetting_re_review", w.zhang.pk) in found
    assert ("training_missing", w.zhang.pk) in found
    assert ("training_missing", w.li.pk) not in found
    assert not [k for k in kinds(w.li) if k[0] in ("vetting_re_review", "training_missing")]
