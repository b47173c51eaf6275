"""INS-3 pages: a sheet built from the editor, an assessment run, a score without reason refused
on the page (the rule id shown), scored, finalised and exported; 404 for who may not see."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from baomi.assessments.choices import AssessmentStatus
from baomi.assessments.models import Assessment, ScoringSheet
from tests.inspections.helpers import START, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_(client):
    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


def test_r_ins_3_pages(as_, world):
    w = world
    with at(START):
        page = as_(w.clerk)
        assert page.get("/assessments/").status_code == 200
        response = page.post(
            "/assessments/",
            {
                "op": "sheet",
                "name": "部门考核表",
                "target": "departments",
                "item-0-text": "借阅逾期归还",
                "item-0-max_points": "10",
                "item-0-source": "overdue_loans",
                "item-0-points_each": "2",
                "item-1-text": "保密制度建设",
                "item-1-max_points": "5",
                "item-1-source": "manual",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        sheet = ScoringSheet.objects.get(name="部门考核表")
        assert sheet.items.count() == 2
        assert page.get(f"/assessments/sheets/{sheet.pk}/").status_code == 200
        response = page.post("/assessments/", {"op": "run", "sheet_id": sheet.pk, "year": 2026})
        assert response.status_code == 302
        assessment = Assessment.objects.get(sheet=sheet)
        detail = page.get(f"/assessments/{assessment.pk}/")
        assert detail.status_code == 200 and "办公室秘书科" in detail.content.decode()

        manual = assessment.scores.get(item__position=2, department=w.office)
        response = page.post(
            f"/assessments/{assessment.pk}/",
            {"op": "adjust", "score_id": manual.pk, "points": "4", "reason": ""},
        )
        assert response.status_code == 403 and "INS-3" in response.content.decode()
        for score in assessment.scores.filter(item__position=2):
            page.post(
                f"/assessments/{assessment.pk}/",
                {"op": "adjust", "score_id": score.pk, "points": "4", "reason": "制度基本齐全"},
            )
        assert page.post(f"/assessments/{assessment.pk}/", {"op": "finalise"}).status_code == 302
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.FINAL

        response = page.get(f"/assessments/{assessment.pk}/export.xlsx")
        ws = load_workbook(BytesIO(response.content)).active
        totals = {row[1]: row[-2] for row in ws.iter_rows(min_row=4, values_only=True)}
        assert totals["办公室秘书科"] == 14

        assert as_(w.zhang).get(f"/assessments/{assessment.pk}/").status_code == 404
        assert as_(w.zhang).get("/assessments/").status_code == 404
        assert as_(w.leader).get(f"/assessments/{assessment.pk}/").status_code == 200
