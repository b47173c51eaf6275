"""INC-1 through the actions: a loss marks its carriers lost (through the carriers' own
`report_lost`), a lost carrier is never found silently, the record is append-only, and the
保密委员会 closes a report only with cause and responsibility — never deletes it."""

from __future__ import annotations

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers.choices import EventKind, Status
from baomi.incidents import actions
from baomi.incidents.choices import EntryKind, IncidentKind, IncidentState
from baomi.incidents.models import Incident
from baomi.incidents.selectors import incident_for, lost_in
from baomi.lib.errors import Forbidden, InvalidState, RuleViolation
from tests.factories import receive, refused
from tests.incidents.helpers import loss, seat_committee

pytestmark = pytest.mark.django_db


def test_r_inc_1_a_loss_marks_its_carriers_lost_through_the_ledger(world):
    w = world
    paper = receive(w)
    incident = loss(w, carriers=[paper])
    paper.refresh_from_db()
    assert paper.status == Status.LOST
    event = paper.events.order_by("-id").first()
    assert event.kind == EventKind.REPORT_LOST and f"#{incident.pk}" in event.note
    assert lost_in(paper.pk) == [incident.pk]
    assert list(incident.entries.values_list("kind", "carrier_id")) == [
        (EntryKind.CARRIER_LOST, paper.pk)
    ]
    kinds = list(AuditEvent.objects.order_by("-seq").values_list("event_type", flat=True)[:2])
    assert kinds == ["incident.open", "carrier.report_lost"]


def test_r_inc_1_carriers_linked_later_are_marked_lost_too(world):
    w = world
    first, second = receive(w, copies=2)
    incident = loss(w, carriers=[first])
    actions.link_carriers(w.clerk, incident, [second])
    second.refresh_from_db()
    assert second.status == Status.LOST
    assert set(incident.carriers.all()) == {first, second}


def test_r_inc_1_a_leak_links_carriers_without_marking_them_lost(world):
    w = world
    paper = receive(w)
    loss(w, carriers=[paper], kind=IncidentKind.LEAK)
    paper.refresh_from_db()
    assert paper.status == Status.IN_REGISTRY and lost_in(paper.pk) == []


def test_r_inc_1_staff_report_at_once_but_only_holder_or_clerk_marks_a_carrier_lost(world):
    w = world
    paper = receive(w)
    with refused("forbidden", error=Forbidden):
        loss(w, actor=w.zhang, carriers=[paper])
    incident = loss(w, actor=w.zhang)  # without the carrier: the report itself is anyone's
    assert incident.reported_by == w.zhang
    actions.link_carriers(w.clerk, incident, [paper])
    paper.refresh_from_db()
    assert paper.status == Status.LOST


def test_r_inc_1_a_carrier_lost_in_an_incident_is_not_found_silently(world):
    w = world
    paper, other = receive(w, copies=2)
    incident = loss(w, carriers=[paper])
    unrelated = loss(w, carriers=[other])
    with refused("INC-1") as info:
        carriers.found(w.clerk, paper, note="在档案柜后找到")
    assert f"#{incident.pk}" in info.value.message
    with refused("INC-1"):
        carriers.found(w.clerk, paper, incident=unrelated)
    carriers.found(w.clerk, paper, note="在档案柜后找到", incident=incident)
    paper.refresh_from_db()
    assert paper.status == Status.IN_REGISTRY
    assert f"失泄密事件 #{incident.pk}" in paper.events.order_by("-id").first().note
    entry = incident.entries.get(kind=EntryKind.CARRIER_FOUND)
    assert entry.carrier == paper and "档案柜" in entry.text
    assert lost_in(paper.pk) == []
    assert AuditEvent.objects.filter(event_type="incident.carrier_found").count() == 1


def test_r_inc_1_a_carrier_lost_outside_any_incident_is_found_as_before(world):
    w = world
    paper = receive(w)
    carriers.report_lost(w.clerk, paper, note="清查时未找到")
    carriers.found(w.clerk, paper, note="错放")
    paper.refresh_from_db()
    assert paper.status == Status.IN_REGISTRY


def test_r_inc_1_closing_needs_cause_responsibility_and_the_authority_report(world):
    w = world
    seat_committee(w)
    incident = loss(w)
    with refused("INC-1") as info:
        actions.close_incident(w.leader, incident, cause="", responsibility="")
    assert "原因" in info.value.message and "责任认定" in info.value.message
    with refused("INC-1"):
        actions.close_incident(w.leader, incident, cause="保管不善", responsibility=" ")
    with refused("INC-1") as info:  # not yet reported to the 保密行政管理部门
        actions.close_incident(w.leader, incident, cause="保管不善", responsibility="通报批评")
    assert "上报" in info.value.message
    actions.report_to_authority(w.clerk, incident, reference="市保密局〔2026〕3号")
    with refused("forbidden", error=Forbidden):  # the 保密员 is not on the committee
        actions.close_incident(w.clerk, incident, cause="保管不善", responsibility="通报批评")
    closed = actions.close_incident(
        w.leader,
        incident,
        cause="出差携带未经批准，保管不善",
        responsibility="张三负直接责任，给予通报批评",
        responsible_person=w.zhang,
    )
    assert closed.state == IncidentState.CLOSED and closed.closed_by == w.leader
    assert closed.responsible_person == w.zhang
    with pytest.raises(InvalidState):
        actions.add_entry(w.clerk, incident, kind=EntryKind.NOTE, text="补记")
    with pytest.raises(InvalidState):
        actions.close_incident(w.leader, incident, cause="x", responsibility="y")


def test_r_inc_1_an_incident_and_its_record_cannot_be_deleted_or_changed(world):
    w = world
    incident = loss(w)
    entry = actions.add_entry(w.clerk, incident, kind=EntryKind.NOTE, text="询问当事人张三")
    actions.add_entry(w.clerk, incident, kind=EntryKind.REMEDY, text="通知发文机关")
    with pytest.raises(RuleViolation) as info:
        incident.delete()
    assert info.value.rule_id == "INC-1"
    for attempt in (entry.delete, entry.save):
        with pytest.raises(RuleViolation) as info:
            attempt()
        assert info.value.rule_id == "INC-1"
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert incident.entries.count() == 2
    with pytest.raises(Forbidden):  # investigation is for the 保密办 and the committee
        actions.add_entry(w.li, incident, kind=EntryKind.NOTE, text="我也来写")


def test_r_inc_1_not_hidden_from_the_committee_and_hidden_from_others(world):
    w = world
    incident = loss(w, discovered_by=w.clerk)
    assert incident_for(w.leader, incident.pk) is not None  # the unit head
    assert incident_for(w.li, incident.pk) is None
    assert incident_for(w.classifier, incident.pk) is None
    from datetime import date

    from baomi.personnel.organisation import add_committee_member

    add_committee_member(w.system, w.unit, w.classifier, role="member", start_on=date(2026, 1, 1))
    assert incident_for(w.classifier, incident.pk) is not None
    assert incident_for(w.auditor, incident.pk) is None  # SEC-3: no classified matters
