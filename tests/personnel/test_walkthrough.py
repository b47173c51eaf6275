"""The issue's "Done when": a person from hire to the end of the 脱密期, with a frozen clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from baomi.approvals import actions as approvals
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.lib.alerts import alerts_for
from baomi.lib.errors import RuleViolation
from baomi.personnel import actions as personnel
from baomi.personnel.selectors import ledger_rows, on_ledger
from tests.factories import receive
from tests.personnel.helpers import clear, hire, with_head

TZ = ZoneInfo("Asia/Shanghai")


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=TZ), tick=False)


def test_a_person_from_hire_to_the_end_of_the_cooling_off(world):
    w = world
    with at(date(2026, 3, 2)):
        w = with_head(w)
        p = hire(w, "周新", "zhouxin")
        today = date(2026, 3, 2)
        personnel.record_vetting(
            w.clerk, p, on=today, result="passed", next_review_on=date(2027, 3, 2)
        )
        personnel.sign_commitment(w.clerk, p, kind="on_post", signed_on=today)
        personnel.record_training(w.clerk, p, on=today, hours=4, subject="保密法规", score=92)
        clear(w, p, "important", "secret")
        p.refresh_from_db()
        assert p.clearance == "important"

        # receives and returns a carrier
        carrier = receive(w, level=Level.SECRET)
        carriers.circulate(w.clerk, carrier, p)
        carriers.return_to_registry(w.clerk, carrier)

        # travels: approved, briefed, abroad, reports back
        trip = personnel.request_travel(
            p,
            p,
            destination="日本东京",
            depart_on=date(2026, 3, 10),
            return_on=date(2026, 3, 15),
            purpose="因私探亲",
            approver=w.leader,
        )
        approvals.approve(w.leader, trip.request, comment="同意")
        personnel.record_briefing(w.clerk, trip, on=today)
    with at(date(2026, 3, 10)):
        personnel.record_exit(w.clerk, trip, on=date(2026, 3, 10))
    with at(date(2026, 3, 17)):
        kinds = [a.kind for a in alerts_for(w.clerk, date(2026, 3, 17))]
        assert "travel_report_missing" in kinds
        personnel.report_return(p, trip, on=date(2026, 3, 17), report="未携带涉密载体，无异常。")
        assert "travel_report_missing" not in [
            a.kind for a in alerts_for(w.clerk, date(2026, 3, 17))
        ]

    with at(date(2026, 6, 1)):
        # asks to leave while holding a carrier: refused, listing it
        carrier.refresh_from_db()
        carriers.circulate(w.clerk, carrier, p)
        departure = personnel.start_departure(
            w.clerk, p, kind="resignation", end_date=date(2026, 6, 1), reason="辞职"
        )
        personnel.record_reminder_talk(w.clerk, departure, on=date(2026, 6, 1))
        personnel.sign_commitment(w.clerk, p, kind="departure", signed_on=date(2026, 6, 1))
        personnel.record_devices_returned(w.clerk, departure, on=date(2026, 6, 1), note="无")
        try:
            personnel.complete_departure(w.clerk, departure)
        except RuleViolation as refusal:
            assert refusal.rule_id == "CR-13" and carrier.label in refusal.message
        else:
            raise AssertionError("leaving while holding a carrier was not refused")
        # hands over, leaves
        carriers.return_to_registry(w.clerk, carrier)
        departure = personnel.complete_departure(w.clerk, departure)
        assert departure.cooling_off_end == date(2028, 6, 1)
        p.refresh_from_db()
        assert not p.active and not p.user.is_active
        assert p in on_ledger(w.unit.pk)
        row = next(r for r in ledger_rows(on_ledger(w.unit.pk)) if r.person == p)
        assert row.status == "脱密期" and row.cooling_off_end == date(2028, 6, 1)

    with at(date(2028, 5, 20)):
        assert p in on_ledger(w.unit.pk)
        assert "cooling_off_ending" in [a.kind for a in alerts_for(w.clerk, date(2028, 5, 20))]
    with at(date(2028, 6, 2)):
        assert p not in on_ledger(w.unit.pk)
