"""Inspections through the JSON API: `inspections` (+ `/findings`, `/schedule`) and
`rectifications` — the whole flow, the INS-2 refusal for the owner, ORG-4 for a superior unit."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from baomi.inspections.choices import AutoCheck
from baomi.inspections.models import Rectification
from tests.api.helpers import (
    assert_conforms,
    assert_error,
    assert_invalid,
    assert_refusal_audited,
    last_seq,
)
from tests.inspections.helpers import START, at, overdue_loan, province_clerk

pytestmark = pytest.mark.django_db


def _plan(api, w, **overrides):
    body = {
        "title": "2026年上半年保密自查",
        "kind": "self",
        "planned_on": str(START + timedelta(days=10)),
        "leader_id": w.clerk.pk,
        **overrides,
    }
    return api(w.clerk).post("inspections", body)


def test_r_ins_2_inspection_from_plan_to_closed_rectification_api(api, world):
    w = world
    with at(START):
        carrier = overdue_loan(w)
        response = _plan(api, w)
        assert response.status_code == 201, response.content
        assert_conforms(response, "post", "inspections")
        inspection_id = response.json()["id"]
    with at(START + timedelta(days=10)):
        response = api(w.clerk).post(f"inspections/{inspection_id}/start")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == "in_progress" and body["status_display"] == "检查中"
        loans = next(a for a in body["answers"] if a["auto_check"] == AutoCheck.OVERDUE_LOANS)
        assert (
            loans["answer"] == "no" and loans["answered_by_system"] and loans["rule_id"] == "CR-6"
        )
        findings = api(w.clerk).get(f"inspections/{inspection_id}/findings").json()["results"]
        # CR-6 from the loan ledger; PER-4 too, since nobody in the world has been trained.
        assert {f["rule_id"] for f in findings} == {"CR-6", "PER-4"}
        loan = next(f for f in findings if f["rule_id"] == "CR-6")
        assert loan["found_by_system"] and loan["carrier"]["label"] == carrier.label
        assert "title" not in loan["carrier"]
        finding_id = loan["id"]
        for a in body["answers"]:
            if not a["answer"]:
                r = api(w.clerk).post(
                    f"inspections/{inspection_id}/answers/{a['id']}", {"answer": "yes"}
                )
                assert r.status_code == 200, r.content
        evidence = api(w.clerk).post(
            f"inspections/findings/{finding_id}/evidence",
            {
                "file_name": "台帐截图.txt",
                "content_type": "text/plain",
                "content_base64": base64.b64encode("逾期三天".encode()).decode(),
            },
        )
        assert evidence.status_code == 201, evidence.content
        download = api(w.clerk).get(
            f"inspections/findings/{finding_id}/evidence/{evidence.json()['id']}"
        )
        assert download.status_code == 200 and download.content == "逾期三天".encode()
        response = api(w.clerk).post(
            "rectifications",
            {
                "finding_id": finding_id,
                "content": "催还并建立催办台帐",
                "owner_id": w.zhang.pk,
                "deadline": str(START + timedelta(days=20)),
            },
        )
        assert response.status_code == 201, response.content
        assert_conforms(response, "post", "rectifications")
        rect_id = response.json()["id"]
        done = api(w.clerk).post(f"inspections/{inspection_id}/complete", {"summary": "完成"})
        assert done.status_code == 200 and done.json()["status"] == "completed"
        # The owner sees their rectification, submits it, and may not verify it (INS-2).
        assert api(w.zhang).get(f"rectifications/{rect_id}").status_code == 200
        r = api(w.zhang).post(f"rectifications/{rect_id}/submit", {"report": "已归还"})
        assert r.status_code == 200 and r.json()["status"] == "submitted"
        seq = last_seq()
        r = api(w.zhang).post(f"rectifications/{rect_id}/verify", {"accepted": True})
        error = assert_error(r, 403, "INS-2")
        assert "责任人" in error["message"]
        assert_refusal_audited("INS-2", seq)
        assert Rectification.objects.get(pk=rect_id).status == "submitted"
        r = api(w.leader).post(
            f"rectifications/{rect_id}/verify", {"accepted": True, "note": "属实"}
        )
        assert r.status_code == 200, r.content
        assert r.json()["status"] == "closed" and r.json()["verified_by"]["id"] == w.leader.pk


def test_r_ins_2_bad_input_is_422_and_unseen_is_404(api, world):
    w = world
    assert_invalid(_plan(api, w, kind="holiday"), "holiday")
    # An unknown person named in the body is `not_found` (design.md), the field named.
    assert "leader_id" in assert_error(_plan(api, w, leader_id=999999), 404, "not_found")["detail"]
    assert_invalid(_plan(api, w, kind="nonsense"), "kind")
    inspection_id = _plan(api, w).json()["id"]
    assert_error(api(w.zhang).get(f"inspections/{inspection_id}"), 404, "not_found")
    assert_error(api(w.sysadmin).get(f"inspections/{inspection_id}"), 404, "not_found")
    assert_error(
        api(w.clerk).post(f"inspections/{inspection_id}/complete", {"summary": "x"}),
        409,
        "invalid_state",
    )


def test_r_org_4_superior_sees_subordinate_findings_without_titles(api, world):
    w = world
    boss = province_clerk(w)
    with at(START):
        carrier = overdue_loan(w, title="绝不可外泄的标题")
    with at(START + timedelta(days=10)):
        response = api(boss).post(
            "inspections",
            {
                "title": "省局对市府办的保密检查",
                "kind": "superior",
                "unit_id": w.unit.pk,
                "planned_on": str(START + timedelta(days=10)),
                "leader_id": boss.pk,
            },
        )
        assert response.status_code == 201, response.content
        inspection_id = response.json()["id"]
        assert api(boss).post(f"inspections/{inspection_id}/start").status_code == 200
        findings = api(boss).get("inspections/findings", {"unit_id": w.unit.pk})
        assert findings.status_code == 200
        labels = [f["carrier"]["label"] for f in findings.json()["results"] if f["carrier"]]
        assert labels == [carrier.label]
        assert "绝不可外泄的标题" not in findings.content.decode()
        # The subordinate's office sees its inspection too; it may not inspect its superior.
        assert api(w.clerk).get(f"inspections/{inspection_id}").status_code == 200
        seq = last_seq()
        r = api(w.clerk).post(
            "inspections",
            {
                "title": "反向检查",
                "kind": "superior",
                "unit_id": w.province.pk,
                "planned_on": str(START + timedelta(days=10)),
                "leader_id": w.clerk.pk,
            },
        )
        assert_error(r, 403, "ORG-4")
        assert_refusal_audited("ORG-4", seq)


def test_r_ins_1_schedule_api_lists_holidays_and_halves(api, world):
    w = world
    _plan(
        api,
        w,
        planned_on="2027-01-20",
        kind="holiday",
        holiday="spring_festival",
        title="春节前检查",
    )
    body = api(w.clerk).get("inspections/schedule", {"year": 2027}).json()
    by_code = {r["code"]: r for r in body["requirements"]}
    assert set(by_code) == {"h1", "h2", "spring_festival", "may_day", "national_day"}
    assert by_code["spring_festival"]["due"] == "2027-02-05"  # 正月初一 2027-02-06
    assert by_code["spring_festival"]["covered"] and by_code["h1"]["covered"]
    assert not by_code["may_day"]["covered"] and not by_code["h2"]["covered"]
    assert_error(api(w.zhang).get("inspections/schedule", {"year": 2027}), 404, "not_found")


def test_r_org_4_unit_statistics_carry_inspection_results(world):
    from baomi.personnel.selectors import unit_statistics

    w = world
    boss = province_clerk(w)
    from tests.inspections.helpers import self_inspection

    inspection = self_inspection(w, planned_on=START)
    stats = unit_statistics(boss, w.unit)
    assert [r["id"] for r in stats["inspections"]] == [inspection.pk]
    assert stats["inspections"][0]["findings"] == 0
