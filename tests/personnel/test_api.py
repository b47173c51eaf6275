"""The 涉密人员 API: every MUST rule refused through it (403 with the rule id, nothing changed,
the refusal audited), the record and the ledger, and 404 for people one may not see."""

from __future__ import annotations

import pytest

from baomi.approvals import actions as approvals
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.personnel import actions as personnel
from tests.api.helpers import api_as, assert_conforms, assert_refused, last_seq, ledger_state
from tests.factories import receive
from tests.personnel.helpers import (
    clear,
    days,
    hire,
    personnel_state,
    today,
    vet_and_commit,
    with_head,
)


@pytest.fixture
def w(world):
    return with_head(world)


@pytest.fixture
def api(w):
    clients = {}

    def for_person(p):
        if p.pk not in clients:
            clients[p.pk] = api_as(w, p)
        return clients[p.pk]

    return for_person


def refused(call, rule_id: str) -> dict:
    before, seq, people_before = ledger_state(), last_seq(), personnel_state()
    error = assert_refused(call(), rule_id, before, seq)
    assert personnel_state() == people_before
    assert rule_id in error["message"]
    return error


def propose_body(**over):
    return {"clearance": "important", "highest_level": "secret", "reason": "岗位接触机密", **over}


# --- PER-2 / PER-3 / PER-1 ----------------------------------------------------------------------


def test_per_2_the_path_through_the_api(w, api):
    p = hire(w, "周新")
    vet_and_commit(w, p)
    r = api(w.zhang).post(f"people/{p.pk}/clearance-decisions", propose_body())
    assert r.status_code == 201, r.content.decode()
    assert_conforms(r, "post", "people/{person_id}/clearance-decisions")
    decision = r.json()["id"]
    assert api(w.classifier).post(f"clearance-decisions/{decision}/check", {}).status_code == 200
    r = api(w.leader).post(f"clearance-decisions/{decision}/approve", {"comment": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    p.refresh_from_db()
    assert p.clearance == "important"
    r = api(w.clerk).get(f"people/{p.pk}/record")
    assert r.status_code == 200
    assert_conforms(r, "get", "people/{person_id}/record")
    assert r.json()["row"]["clearance"] == "important"


def test_r_per_3_api_level_without_vetting_is_refused(w, api):
    p = hire(w)
    refused(
        lambda: api(w.zhang).post(f"people/{p.pk}/clearance-decisions", propose_body()), "PER-3"
    )


def test_r_per_1_api_level_not_matching_the_post_is_refused(w, api):
    p = hire(w)
    vet_and_commit(w, p)
    body = propose_body(clearance="core")
    refused(lambda: api(w.zhang).post(f"people/{p.pk}/clearance-decisions", body), "PER-1")


def test_r_per_2_api_approval_before_the_check_is_refused(w, api):
    p = hire(w)
    vet_and_commit(w, p)
    d = personnel.propose_clearance(
        w.zhang, p, clearance="important", highest_level="secret", reason="机要"
    )
    refused(lambda: api(w.leader).post(f"clearance-decisions/{d.pk}/approve", {}), "PER-2")


def test_r_per_2_api_check_by_a_non_head_is_refused(w, api):
    p = hire(w)
    vet_and_commit(w, p)
    d = personnel.propose_clearance(
        w.zhang, p, clearance="important", highest_level="secret", reason="机要"
    )
    refused(lambda: api(w.clerk).post(f"clearance-decisions/{d.pk}/check", {}), "PER-2")


# --- CR-13 / PER-5 -----------------------------------------------------------------------------


def open_departure(w, p):
    d = personnel.start_departure(w.clerk, p, kind="resignation", end_date=today(), reason="辞职")
    personnel.record_reminder_talk(w.clerk, d, on=today())
    personnel.sign_commitment(w.clerk, p, kind="departure", signed_on=today())
    return d


def test_r_cr_13_api_leaving_while_holding_is_refused_listing_it(w, api):
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang)
    d = open_departure(w, w.zhang)
    personnel.record_devices_returned(w.clerk, d, on=today(), note="无")
    error = refused(lambda: api(w.clerk).post(f"departures/{d.pk}/complete", {}), "CR-13")
    assert error["detail"] == {"carriers": [carrier.label]}


def test_r_per_5_api_leaving_without_devices_returned_is_refused(w, api):
    d = open_departure(w, w.li)
    refused(lambda: api(w.clerk).post(f"departures/{d.pk}/complete", {}), "PER-5")


def test_per_5_api_departure_steps(w, api):
    clerk = api(w.clerk)
    r = clerk.post(
        f"people/{w.li.pk}/departures",
        {"kind": "retirement", "end_date": today().isoformat(), "reason": "退休"},
    )
    assert r.status_code == 201, r.content.decode()
    d = r.json()["id"]
    assert (
        clerk.post(f"departures/{d}/reminder-talk", {"on": today().isoformat()}).status_code == 200
    )
    r = clerk.post(
        f"people/{w.li.pk}/commitments", {"kind": "departure", "signed_on": today().isoformat()}
    )
    assert r.status_code == 201
    body = {"on": today().isoformat(), "note": "无"}
    assert clerk.post(f"departures/{d}/devices-returned", body).status_code == 200
    r = clerk.post(f"departures/{d}/complete", {})
    assert r.status_code == 200, r.content.decode()
    assert r.json()["cooling_off_end"] == today().replace(year=today().year + 1).isoformat()
    rows = clerk.get("classified-people", {"status": "cooling_off"}).json()["results"]
    assert [row["name"] for row in rows] == ["李四"]


# --- PER-6 -------------------------------------------------------------------------------------


def departed(w, p):
    d = personnel.start_departure(w.system, p, kind="post_change", end_date=today(), reason="调岗")
    personnel.record_reminder_talk(w.system, d, on=today())
    personnel.sign_commitment(w.system, p, kind="departure", signed_on=today())
    personnel.record_devices_returned(w.system, d, on=today(), note="无")
    return personnel.complete_departure(w.system, d)


def test_r_per_6_api_core_resignation_during_the_cooling_off_is_refused(w, api):
    core = hire(w, "核心人员")
    org.set_clearance(w.system, core, "core")
    departed(w, core)
    body = {"kind": "resignation", "reason": "辞职", "approver_id": w.leader.pk}
    refused(lambda: api(w.clerk).post(f"people/{core.pk}/moves", body), "PER-6")


def test_r_per_6_api_completing_an_unapproved_move_is_refused(w, api):
    departed(w, w.zhang)
    move = personnel.request_move(
        w.clerk, w.zhang, kind="transfer", reason="调往他单位", approver=w.leader
    )
    body = {"signed_on": today().isoformat(), "note": "脱密期调动"}
    refused(lambda: api(w.clerk).post(f"moves/{move.pk}/complete", body), "PER-6")
    approvals.approve(w.leader, move.request, comment="同意")
    r = api(w.clerk).post(f"moves/{move.pk}/complete", body)
    assert r.status_code == 200 and r.json()["status"] == "completed"


# --- PER-7 -------------------------------------------------------------------------------------


def travel_body(w):
    return {
        "destination": "新加坡",
        "depart_on": days(10).isoformat(),
        "return_on": days(12).isoformat(),
        "purpose": "因私旅游",
        "approver_id": w.leader.pk,
    }


def test_r_per_7_api_holding_a_carrier_blocks_the_exit_not_the_request(w, api):
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang)
    r = api(w.zhang).post(f"people/{w.zhang.pk}/travels", travel_body(w))
    assert r.status_code == 201, r.content.decode()
    travel = r.json()
    approvals.approve(w.leader, approvals_request(travel["request_id"]), comment="同意")
    body = {"on": today().isoformat()}
    assert api(w.clerk).post(f"travels/{travel['id']}/briefing", body).status_code == 200
    refused(lambda: api(w.zhang).post(f"travels/{travel['id']}/exit", body), "PER-7")
    carriers.return_to_registry(w.clerk, carrier)
    assert api(w.zhang).post(f"travels/{travel['id']}/exit", body).status_code == 200


def test_r_per_7_api_exit_without_briefing_is_refused(w, api):
    r = api(w.zhang).post(f"people/{w.zhang.pk}/travels", travel_body(w))
    assert r.status_code == 201, r.content.decode()
    travel = r.json()
    approvals.approve(w.leader, approvals_request(travel["request_id"]), comment="同意")
    body = {"on": today().isoformat()}
    refused(lambda: api(w.zhang).post(f"travels/{travel['id']}/exit", body), "PER-7")
    assert api(w.clerk).post(f"travels/{travel['id']}/briefing", body).status_code == 200
    assert api(w.zhang).post(f"travels/{travel['id']}/exit", body).status_code == 200


def approvals_request(pk):
    from baomi.approvals.models import Request

    return Request.objects.get(pk=pk)


# --- ORG-4 -------------------------------------------------------------------------------------


def test_r_org_4_api_superior_sees_subordinate_counts_never_the_reverse(w, api):
    receive(w, level=Level.SECRET, title="不可外泄的标题")
    system = org.automation_actor(w.province)
    boss = org.create_person(
        system,
        w.province,
        name="省保密办刘",
        post="保密员",
        username="shengbmb",
        password="Baomi-Demo-2026!",
    )
    org.grant_role(system, boss, "is_registry_clerk")
    r = api(boss).get(f"units/{w.unit.pk}/statistics")
    assert r.status_code == 200, r.content.decode()
    assert_conforms(r, "get", "units/{unit_id}/statistics")
    assert r.json()["carriers_by_level"] == {"secret": 1}
    assert "不可外泄的标题" not in r.content.decode()
    refused(lambda: api(w.clerk).get(f"units/{w.province.pk}/statistics"), "ORG-4")


# --- visibility ----------------------------------------------------------------------------------


def test_a_colleague_may_not_read_someone_elses_record(w, api):
    clear_target = hire(w)
    r = api(w.li).get(f"people/{clear_target.pk}/record")
    assert r.status_code == 404
    assert api(w.li).get("classified-people").status_code == 403


def test_the_ledger_lists_cleared_people(w, api):
    p = hire(w, "周新")
    vet_and_commit(w, p)
    clear(w, p)
    r = api(w.clerk).get("classified-people", {"clearance": "important"})
    assert r.status_code == 200
    assert_conforms(r, "get", "classified-people")
    names = [row["name"] for row in r.json()["results"]]
    assert "周新" in names and "李四" not in names
