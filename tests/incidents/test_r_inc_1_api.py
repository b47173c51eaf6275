"""INC-1 through the API: no DELETE (405 naming INC-1, audited), closing without cause and
responsibility refused, a lost carrier not found silently (`found` needs `incident_id`);
the report's fields, sub-actions and the CR-14 draft; INC-2 plans and drills."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent, Outcome
from baomi.carriers.choices import Status
from baomi.incidents.models import EmergencyPlan, Incident
from baomi.lib import filestore
from tests.api.helpers import assert_error
from tests.factories import receive
from tests.incidents.helpers import count_missing, seat_committee

pytestmark = pytest.mark.django_db


def _report(api, w, *, carriers=(), who=None):
    response = api(who or w.clerk).post(
        "incidents",
        {
            "kind": "loss",
            "summary": "出差途中文件丢失",
            "level": "secret",
            "discovered_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "discovered_where": "火车站候车室",
            "discovered_by_id": w.zhang.pk,
            "information": "某项目进度安排",
            "how": "公文包被盗",
            "harm": "可能泄露秘密级信息",
            "remedies": "已报警",
            "carrier_ids": [c.pk for c in carriers],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_r_inc_1_api_report_shows_every_field_and_marks_carriers_lost(world, api):
    w = world
    paper = receive(w)
    body = _report(api, w, carriers=[paper])
    assert body["how"] == "公文包被盗" and body["harm"] and body["remedies"] == "已报警"
    assert body["information"] == "某项目进度安排"
    assert body["carrier_ids"] == body["lost_carrier_ids"] == [paper.pk]
    assert body["entries"][0]["kind"] == "carrier_lost"
    assert body["report_overdue"] is False and body["state"] == "open"
    paper.refresh_from_db()
    assert paper.status == Status.LOST


def test_r_inc_1_api_delete_is_405_naming_the_rule_and_audited(world, api):
    w = world
    body = _report(api, w)
    error = assert_error(api(w.clerk).delete(f"incidents/{body['id']}"), 405, "INC-1")
    assert "不得删除" in error["message"]
    assert Incident.objects.filter(pk=body["id"]).exists()
    refusal = AuditEvent.objects.get(event_type="incident.delete")
    assert (refusal.outcome, refusal.rule_id) == (Outcome.REFUSED, "INC-1")
    # Someone who may not see it gets a 404, as for any invisible object.
    assert_error(api(w.li).delete(f"incidents/{body['id']}"), 404, "not_found")


def test_r_inc_1_api_close_refused_without_cause_and_responsibility(world, api):
    w = world
    seat_committee(w)
    body = _report(api, w)
    path = f"incidents/{body['id']}"
    api(w.clerk).post(f"{path}/authority-report", {"reference": "市保密局〔2026〕5号"})
    assert_error(api(w.leader).post(f"{path}/close", {}), 403, "INC-1")
    error = assert_error(
        api(w.leader).post(f"{path}/close", {"cause": "保管不善", "responsibility": ""}),
        403,
        "INC-1",
    )
    assert "责任认定" in error["message"]
    assert Incident.objects.get(pk=body["id"]).state == "reported"
    assert_error(
        api(w.clerk).post(f"{path}/close", {"cause": "保管不善", "responsibility": "批评"}),
        403,
        "forbidden",
    )
    closed = api(w.leader).post(
        f"{path}/close",
        {
            "cause": "违规携带外出，保管不善",
            "responsibility": "直接责任人通报批评，取消年度评优",
            "responsible_person_id": w.zhang.pk,
        },
    )
    assert closed.status_code == 200, closed.content
    result = closed.json()
    assert result["state"] == "closed" and result["responsible_person"]["id"] == w.zhang.pk
    assert result["closed_by"]["id"] == w.leader.pk and result["cause"].startswith("违规")


def test_r_inc_1_api_found_needs_the_incident_and_records_it(world, api):
    w = world
    paper = receive(w)
    body = _report(api, w, carriers=[paper])
    error = assert_error(api(w.clerk).post(f"carriers/{paper.pk}/found", {}), 403, "INC-1")
    assert f"#{body['id']}" in error["message"]
    paper.refresh_from_db()
    assert paper.status == Status.LOST
    assert_error(
        api(w.clerk).post(f"carriers/{paper.pk}/found", {"incident_id": 999_999}),
        404,
        "not_found",
    )
    found = api(w.clerk).post(
        f"carriers/{paper.pk}/found", {"incident_id": body["id"], "note": "车站失物招领处领回"}
    )
    assert found.status_code == 200, found.content
    assert found.json()["status"] == "in_registry"
    after = api(w.clerk).get(f"incidents/{body['id']}").json()
    assert after["lost_carrier_ids"] == []
    assert [e["kind"] for e in after["entries"]] == ["carrier_lost", "carrier_found"]
    assert "失物招领" in after["entries"][1]["text"]


def test_r_inc_1_api_investigation_entries_and_linking(world, api):
    w = world
    first, second = receive(w, copies=2)
    body = _report(api, w, carriers=[first])
    path = f"incidents/{body['id']}"
    linked = api(w.clerk).post(f"{path}/carriers", {"carrier_ids": [second.pk]})
    assert linked.status_code == 200 and linked.json()["lost_carrier_ids"] == sorted(
        [first.pk, second.pk]
    )
    note = api(w.clerk).post(f"{path}/entries", {"kind": "note", "text": "调取车站监控"})
    assert note.status_code == 201 and note.json()["kind_display"] == "调查记录"
    assert_error(
        api(w.li).post(f"{path}/entries", {"kind": "note", "text": "我看见了"}), 404, "not_found"
    )
    finder = api(w.zhang).post(f"{path}/entries", {"kind": "note", "text": "补充情况"})
    assert_error(finder, 403, "forbidden")  # the finder sees the report, investigates not


def test_r_cr_14_api_lists_and_confirms_the_stocktake_draft(world, api):
    w = world
    gone, turned_up = receive(w, copies=2)
    count = count_missing(w, [], [gone, turned_up])
    drafts = api(w.clerk).get("incidents", {"state": "draft"}).json()
    assert [d["stocktake_id"] for d in drafts["results"]] == [count.pk]
    draft = drafts["results"][0]
    assert (
        draft["carrier_ids"] == sorted([gone.pk, turned_up.pk]) and draft["lost_carrier_ids"] == []
    )
    assert_error(
        api(w.clerk).post(f"incidents/{draft['id']}/confirm", {"still_missing_ids": [w.zhang.pk]}),
        422,
        "invalid",
    )
    confirmed = api(w.clerk).post(
        f"incidents/{draft['id']}/confirm", {"still_missing_ids": [gone.pk]}
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["state"] == "open" and confirmed.json()["lost_carrier_ids"] == [gone.pk]


def test_r_inc_2_api_plans_stored_encrypted_and_drills(world, api):
    w = world
    seat_committee(w)
    text = "一、发现涉密载体丢失，立即报告保密办……"
    plan = api(w.clerk).post(
        "incidents/emergency-plans",
        {
            "title": "失泄密事件应急预案",
            "version": "2026版",
            "approved_on": "2026-03-01",
            "content": text,
        },
    )
    assert plan.status_code == 201, plan.content
    stored = EmergencyPlan.objects.get(pk=plan.json()["id"])
    assert text.encode() not in filestore.raw_path(stored.blob).read_bytes()
    download = api(w.leader).get(f"incidents/emergency-plans/{stored.pk}/file")
    assert download.status_code == 200 and download.content.decode() == text
    doc = api(w.clerk).post(
        "incidents/emergency-plans",
        {
            "title": "失泄密事件应急预案",
            "version": "2027版",
            "approved_on": "2026-11-01",
            "file_name": "预案.docx",
            "content_base64": base64.b64encode(b"PK\x03\x04docx").decode(),
        },
    )
    assert doc.status_code == 201 and doc.json()["file_name"] == "预案.docx"
    again = api(w.clerk).post(
        "incidents/emergency-plans",
        {
            "title": "失泄密事件应急预案",
            "version": "2026版",
            "approved_on": "2026-03-01",
            "content": "x",
        },
    )
    assert_error(again, 422, "invalid")
    drill = api(w.clerk).post(
        "incidents/drills",
        {
            "held_on": "2026-06-15",
            "scenario": "模拟绝密文件在会议室遗失",
            "participant_ids": [w.clerk.pk, w.leader.pk, w.zhang.pk],
            "findings": "报告链条过长，已精简",
            "plan_id": stored.pk,
        },
    )
    assert drill.status_code == 201, drill.content
    assert [p["name"] for p in drill.json()["participants"]] == sorted(
        [w.clerk.name, w.leader.name, w.zhang.name]
    )
    assert api(w.leader).get("incidents/drills").json()["count"] == 1
    assert api(w.zhang).get("incidents/emergency-plans").json()["count"] == 0
    assert_error(
        api(w.zhang).post(
            "incidents/drills",
            {
                "held_on": "2026-06-15",
                "scenario": "x",
                "participant_ids": [w.zhang.pk],
                "findings": "y",
            },
        ),
        403,
        "forbidden",
    )
