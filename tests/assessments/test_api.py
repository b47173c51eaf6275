"""INS-3 through the JSON API (`assessments`): a sheet, an assessment computed from the ledgers,
a score without reason refused (403 INS-3), finalising that freezes it (409 after), the xlsx of
the results, a used sheet revised as a new version, 奖惩记录, and 404 for whoever may not see."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.api.helpers import (
    assert_conforms,
    assert_error,
    assert_invalid,
    assert_refusal_audited,
    last_seq,
)
from tests.assessments.helpers import ASSESSED_ON, build_ledger
from tests.inspections.helpers import at

pytestmark = pytest.mark.django_db

SHEET = {
    "name": "部门保密工作考核表",
    "target": "departments",
    "items": [
        {"text": "借阅逾期归还", "max_points": 10, "source": "overdue_loans", "points_each": 5},
        {"text": "涉密人员培训覆盖率", "max_points": 10, "source": "training_coverage"},
        {"text": "保密制度建设", "max_points": 10},
    ],
}


def _scores(body, name):
    return {
        s["item_position"]: s
        for s in next(r for r in body["results"] if r["name"] == name)["scores"]
    }


def test_r_ins_3_assessment_through_the_api(api, world):
    w = world
    build_ledger(w)
    clerk = api(w.clerk)
    with at(ASSESSED_ON):
        response = clerk.post("assessments/sheets", SHEET)
        assert response.status_code == 201, response.content
        assert_conforms(response, "post", "assessments/sheets")
        sheet = response.json()
        assert sheet["total_points"] == 30 and not sheet["frozen"]

        response = clerk.post("assessments", {"sheet_id": sheet["id"], "year": 2026})
        assert response.status_code == 201, response.content
        assert_conforms(response, "post", "assessments")
        body = response.json()
        office = _scores(body, "办公室秘书科")
        assert office[1]["fact"] == 1 and office[1]["points"] == 5  # 张三's loan, 7 days late
        assert office[2]["points"] == 2.5 and office[3]["points"] is None
        assessment_id = body["id"]
        assert clerk.get(f"assessments/sheets/{sheet['id']}").json()["frozen"] is True

        # INS-3: a score needs its reason — refused, audited, nothing changed
        seq = last_seq()
        manual = office[3]["id"]
        response = clerk.post(f"assessments/{assessment_id}/scores/{manual}", {"points": 9})
        assert_error(response, 403, "INS-3")
        assert_refusal_audited("INS-3", seq)
        assert (
            _scores(clerk.get(f"assessments/{assessment_id}").json(), "办公室秘书科")[3]["points"]
            is None
        )
        assert_invalid(
            clerk.post(
                f"assessments/{assessment_id}/scores/{manual}", {"points": 11, "reason": "超分"}
            ),
            "points",
        )
        # finalising with unscored manual items: a state conflict
        assert_error(clerk.post(f"assessments/{assessment_id}/finalise"), 409, "invalid_state")

        for row in body["results"]:
            score = next(s for s in row["scores"] if s["item_position"] == 3)
            response = clerk.post(
                f"assessments/{assessment_id}/scores/{score['id']}",
                {"points": 8, "reason": "制度齐全"},
            )
            assert response.status_code == 200, response.content
        response = clerk.post(f"assessments/{assessment_id}/finalise")
        assert response.status_code == 200, response.content
        assert_conforms(response, "post", "assessments/{assessment_id}/finalise")
        final = response.json()
        assert final["status"] == "final" and final["finalised_by"]["id"] == w.clerk.pk
        assert [r["rank"] for r in final["results"]] == [1, 2, 3, 4]

        # finalised: frozen
        response = clerk.post(
            f"assessments/{assessment_id}/scores/{manual}", {"points": 10, "reason": "复核"}
        )
        assert_error(response, 409, "invalid_state")

        # the results as xlsx, marked 内部, one line per department with its total
        response = clerk.get(f"assessments/{assessment_id}/export.xlsx")
        assert response.status_code == 200
        ws = load_workbook(BytesIO(response.content)).active
        assert ws["A1"].value == "内部"
        lines = {row[1]: row for row in ws.iter_rows(min_row=4, values_only=True)}
        office_total = next(r["total"] for r in final["results"] if r["name"] == "办公室秘书科")
        assert lines["办公室秘书科"][-2] == office_total == 5 + 2.5 + 8

        # the used sheet is revised as version 2
        response = clerk.post(
            f"assessments/sheets/{sheet['id']}/revise", {"items": SHEET["items"][:1]}
        )
        assert response.status_code == 200, response.content
        revised = response.json()
        assert revised["version"] == 2 and revised["previous_id"] == sheet["id"]
        assert len(clerk.get(f"assessments/sheets/{sheet['id']}").json()["items"]) == 3

        # 奖惩记录
        response = clerk.post(
            "assessments/decisions",
            {
                "decision": "penalty",
                "description": "借阅载体逾期未还，通报批评",
                "decided_on": str(ASSESSED_ON),
                "year": 2026,
                "subject_kind": "person",
                "subject_id": w.zhang.pk,
                "assessment_id": assessment_id,
            },
        )
        assert response.status_code == 201, response.content
        assert_conforms(response, "post", "assessments/decisions")
        listed = clerk.get("assessments/decisions", {"year": 2026}).json()
        assert listed["count"] == 1 and listed["results"][0]["person"]["name"] == "张三"


def test_r_ins_3_who_may_not_see_gets_404(api, world):
    w = world
    with at(ASSESSED_ON):
        sheet = api(w.clerk).post("assessments/sheets", SHEET).json()
        made = api(w.clerk).post("assessments", {"sheet_id": sheet["id"], "year": 2026}).json()
        for person in (w.zhang, w.sysadmin, w.auditor):
            assert_error(api(person).get(f"assessments/{made['id']}"), 404, "not_found")
            assert api(person).get("assessments").json()["count"] == 0
        # the unit head reads the results; a plain staff member cannot run one
        assert api(w.leader).get(f"assessments/{made['id']}").status_code == 200
        assert_error(
            api(w.zhang).post("assessments", {"sheet_id": sheet["id"], "year": 2026}),
            404,
            "not_found",
        )
        assert_invalid(api(w.clerk).post("assessments/sheets", {**SHEET, "items": []}), "items")
