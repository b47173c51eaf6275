"""Education pages (import the bank, generate, take and score an exam) and the EDU-1 alerts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baomi.lib.alerts import alerts_for
from baomi.personnel.models import TrainingRecord
from baomi.training import actions
from baomi.training.choices import QuestionLevel, SessionKind
from baomi.training.models import Exam, Question
from tests.inspections.helpers import at
from tests.training.helpers import bank_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_(client):
    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


def test_r_edu_1_exam_on_the_pages(world, as_):
    w = world
    client = as_(w.clerk)
    response = client.post(
        "/training/question-bank/", {"file": SimpleUploadedFile("题库.xlsx", xlsx(bank_rows()))}
    )
    assert response.status_code == 302
    assert Question.objects.count() == 20
    bad = bank_rows()
    bad[0][7] = ""
    response = client.post(
        "/training/question-bank/", {"file": SimpleUploadedFile("题库.xlsx", xlsx(bad))}
    )
    assert response.status_code == 422 and "第3行" in response.content.decode()
    response = client.post(
        "/training/exams/",
        {
            "title": "页面考试",
            "level": "all",
            "question_count": "5",
            "time_limit_minutes": "20",
            "pass_score": "60",
            "candidates": [w.li.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    exam = Exam.objects.get(title="页面考试")
    taker = as_(w.li)
    assert taker.post(f"/training/exams/{exam.pk}/", {"op": "start"}).status_code == 302
    page = taker.get(f"/training/exams/{exam.pk}/").content.decode()
    assert "交卷" in page
    answers = {"op": "submit"}
    for q in exam.questions.all():
        answers[f"q{q.position}"] = list(q.answer)
    assert taker.post(f"/training/exams/{exam.pk}/", answers).status_code == 302
    page = taker.get(f"/training/exams/{exam.pk}/").content.decode()
    assert "成绩：100 分" in page
    assert TrainingRecord.objects.get(person=w.li).score == 100
    assert as_(w.zhang).get(f"/training/exams/{exam.pk}/").status_code == 404
    assert as_(w.zhang).get("/training/question-bank/").status_code == 403
    for url in ("/training/", "/training/exams/"):
        assert as_(w.clerk).get(url).status_code == 200


def test_r_edu_1_alerts_exam_waiting_session_due_and_induction(world):
    w = world
    with at(date(2026, 6, 10)):
        today = timezone.localdate()
        kinds = {a.kind for a in alerts_for(w.clerk, today)}
        assert {"concentrated_training_due", "induction_training_missing"} <= kinds
        actions.create_session(
            w.clerk, title="集中培训", kind=SessionKind.CONCENTRATED, held_on=today, hours=2
        )
        session = actions.create_session(
            w.clerk, title="岗前培训", kind=SessionKind.INDUCTION, held_on=today, hours=1
        )
        actions.record_attendance(w.clerk, session, [w.zhang])
        names = {
            a.message for a in alerts_for(w.clerk, today) if a.kind == "induction_training_missing"
        }
        assert not any(m.startswith("张三") for m in names)
        assert any(m.startswith("李四") for m in names)
        assert "concentrated_training_due" not in {a.kind for a in alerts_for(w.clerk, today)}
        actions.import_questions(w.clerk, file_name="题库.xlsx", data=xlsx(bank_rows()))
        exam = actions.generate_exam(
            w.clerk,
            actions.ExamForm(
                title="考试",
                level=QuestionLevel.ALL,
                question_count=3,
                time_limit_minutes=10,
                candidates=[w.li],
            ),
        )
        waiting = [a for a in alerts_for(w.li, today) if a.kind == "exam_waiting"]
        assert waiting and waiting[0].rule_id == "EDU-1" and waiting[0].object_id == exam.pk
        attempt = actions.start_attempt(w.li, exam)
        assert "exam_waiting" in {a.kind for a in alerts_for(w.li, today)}
        actions.submit_attempt(w.li, attempt, {})
        assert "exam_waiting" not in {a.kind for a in alerts_for(w.li, today)}
