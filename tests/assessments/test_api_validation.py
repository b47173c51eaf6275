"""Bad input to every POST endpoint of `assessments` (INS-3): 422 `invalid` naming the field,
nothing changed. `CASES` is also read by tests/api (every POST endpoint has a bad-input case)."""

from __future__ import annotations

import pytest

from baomi.assessments import actions
from baomi.assessments.models import Assessment, RewardPenalty, Score, ScoringSheet, SheetItem
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.assessments.helpers import ASSESSED_ON, department_sheet
from tests.inspections.helpers import at

pytestmark = pytest.mark.django_db

# template → (who, body, fields named in the 422)
CASES = {
    "assessments/sheets": (
        "clerk",
        {"name": "", "target": "everyone", "items": []},
        ["name", "target", "items"],
    ),
    "assessments/sheets/{sheet_id}/revise": (
        "clerk",
        {"items": [{"text": "", "max_points": 0, "source": "rumour", "points_each": -1}]},
        ["items.0.text", "items.0.max_points", "items.0.source", "items.0.points_each"],
    ),
    "assessments/decisions": (
        "clerk",
        {
            "decision": "medal",
            "description": "",
            "decided_on": "年底",
            "year": 1999,
            "subject_kind": "team",
            "subject_id": "x",
        },
        ["decision", "description", "decided_on", "year", "subject_kind", "subject_id"],
    ),
    "assessments": ("clerk", {"sheet_id": "表", "year": 3000}, ["sheet_id", "year"]),
    "assessments/{assessment_id}/scores/{score_id}": (
        "clerk",
        {"points": -1, "reason": "由" * 501},
        ["points", "reason"],
    ),
    "assessments/{assessment_id}/recompute": ("clerk", {"when": "now"}, ["when"]),
    "assessments/{assessment_id}/finalise": ("clerk", {"force": True}, ["force"]),
}


def my_state() -> dict:
    models = (ScoringSheet, SheetItem, Assessment, Score, RewardPenalty)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    w = world
    with at(ASSESSED_ON):
        sheet = department_sheet(w)
        assessment = actions.run_assessment(w.clerk, sheet, year=ASSESSED_ON.year)
        score = assessment.scores.order_by("pk").first()
        who, body, fields = CASES[template]
        client = api_as(w, getattr(w, who))
        before, mine = ledger_state(), my_state()
        path = template.format(sheet_id=sheet.pk, assessment_id=assessment.pk, score_id=score.pk)
        response = client.post(path, body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
