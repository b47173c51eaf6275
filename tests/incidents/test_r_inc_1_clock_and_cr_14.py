"""INC-1's 24-hour clock on a fixed clock (lib.clock), and CR-14: a count that closes with
items missing opens an incident draft listing them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers.choices import Status
from baomi.incidents import actions
from baomi.incidents.alerts import incident_drafts, incident_report_due
from baomi.incidents.choices import EntryKind, IncidentKind, IncidentState
from baomi.incidents.models import Incident
from baomi.lib import clock
from baomi.lib.errors import InvalidState
from tests.factories import receive, refused
from tests.incidents.helpers import count_missing, seat_committee

pytestmark = pytest.mark.django_db


def _alerts(person, moment):
    with clock.at(moment):
        return [(a.kind, a.severity) for a in incident_report_due(person, moment.date())]


def test_r_inc_1_the_24_hour_alert_turns_overdue_on_a_fixed_clock(world):
    w = world
    seat_committee(w)
    discovered = timezone.now() - timedelta(hours=40)
    with clock.at(discovered + timedelta(minutes=30)):
        incident = actions.open_incident(
            w.zhang,
            kind=IncidentKind.LOSS,
            summary="会后清点发现少一份文件",
            level="secret",
            discovered_at=discovered,
            discovered_where="三楼会议室",
            discovered_by=w.zhang,
        )
    assert incident.report_due_at == discovered + timedelta(hours=24)
    due = [("incident_report_due", "due_today")]
    assert _alerts(w.clerk, discovered + timedelta(hours=23, minutes=59)) == due
    overdue = [("incident_report_overdue", "overdue")]
    assert _alerts(w.clerk, discovered + timedelta(hours=24, minutes=1)) == overdue
    assert _alerts(w.leader, discovered + timedelta(hours=25)) == overdue  # head + committee
    assert _alerts(w.zhang, discovered + timedelta(hours=25)) == []  # the finder acts no further
    with clock.at(discovered + timedelta(hours=26)):
        actions.report_to_authority(w.clerk, incident, reference="电话报告市保密局值班室")
    late = AuditEvent.objects.filter(event_type="incident.report_to_authority").get()
    assert late.after["late"] is True
    assert _alerts(w.clerk, discovered + timedelta(hours=27)) == []


def test_r_inc_1_reported_in_time_is_not_late(world):
    w = world
    discovered = timezone.now() - timedelta(hours=10)
    with clock.at(discovered):
        incident = actions.open_incident(
            w.clerk,
            kind=IncidentKind.LEAK,
            summary="网站发现涉密内容",
            level="confidential",
            discovered_at=discovered,
            discovered_where="门户网站",
            discovered_by=w.clerk,
        )
    with clock.at(discovered + timedelta(hours=3)):
        actions.report_to_authority(w.clerk, incident, reference="书面报告")
    incident.refresh_from_db()
    assert incident.state == IncidentState.REPORTED
    assert incident.authority_reported_at == discovered + timedelta(hours=3)
    assert AuditEvent.objects.get(event_type="incident.report_to_authority").after["late"] is False


def test_r_cr_14_a_count_with_items_missing_opens_an_incident_draft(world):
    w = world
    here, gone_a, gone_b = receive(w, copies=3)
    count = count_missing(w, [here], [gone_a, gone_b])
    draft = Incident.objects.get(stocktake=count)
    assert draft.state == IncidentState.DRAFT and draft.kind == IncidentKind.LOSS
    assert set(draft.carriers.all()) == {gone_a, gone_b}
    assert draft.discovered_at == count.closed_at and draft.level == "secret"
    assert "2 件" in draft.summary
    # Listed, not yet marked lost: the 保密办 re-checks first; the clock runs from the close.
    gone_a.refresh_from_db()
    assert gone_a.status == Status.IN_REGISTRY
    assert [a.rule_id for a in incident_drafts(w.clerk, timezone.localdate())] == ["CR-14"]
    assert [a.kind for a in incident_report_due(w.clerk, timezone.localdate())] == [
        "incident_report_due"
    ]
    assert AuditEvent.objects.filter(event_type="incident.open", object_id=draft.pk).exists()


def test_r_cr_14_a_balanced_count_opens_no_incident(world):
    w = world
    copies = receive(w, copies=2)
    count = count_missing(w, copies, [])
    assert not Incident.objects.filter(stocktake=count).exists()


def test_r_cr_14_confirming_the_draft_marks_what_is_still_missing_lost(world):
    w = world
    seat_committee(w)
    gone, turned_up = receive(w, copies=2)
    draft = Incident.objects.get(stocktake=count_missing(w, [], [gone, turned_up]))
    with pytest.raises(InvalidState):  # a draft is confirmed before it is closed
        actions.close_incident(w.leader, draft, cause="x", responsibility="y")
    actions.confirm_draft(w.clerk, draft, still_missing=[gone], note="复查密集架")
    draft.refresh_from_db()
    gone.refresh_from_db()
    turned_up.refresh_from_db()
    assert draft.state == IncidentState.OPEN
    assert gone.status == Status.LOST and turned_up.status == Status.IN_REGISTRY
    assert set(draft.carriers.all()) == {gone, turned_up}  # never dropped from the report
    confirmed = draft.entries.get(kind=EntryKind.CONFIRMED)
    assert turned_up.label in confirmed.text and gone.label in confirmed.text
    assert incident_drafts(w.clerk, timezone.localdate()) == []
    with refused("INC-1"):  # found later: only by naming the incident
        carriers.found(w.clerk, gone)
    carriers.found(w.clerk, gone, incident=draft, note="夹在其他卷宗中")
    assert draft.entries.filter(kind=EntryKind.CARRIER_FOUND, carrier=gone).exists()
