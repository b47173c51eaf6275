"""EDU-1, PER-4: a 20-question bank imported from xlsx, an exam generated from it by level and
topic, answered within the time limit, scored automatically, and the score in the person's own
training record; sessions and attendance landing in the same record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baomi.lib.errors import Forbidden, Invalid, InvalidState
from baomi.personnel.models import TrainingRecord
from baomi.training import actions
from baomi.training.choices import QuestionKind, QuestionLevel, SessionKind
from baomi.training.models import Question
from tests.api.helpers import BASE, assert_error, assert_invalid
from tests.factories import refused
from tests.training.helpers import bank_rows, right_answers, xlsx

pytestmark = pytest.mark.django_db


def _import(w):
    return actions.import_questions(w.clerk, file_name="题库.xlsx", data=xlsx(bank_rows()))


def test_r_edu_1_exam_from_xlsx_bank_scored_into_the_person_record(world):
    w = world
    summary = _import(w)
    assert summary["count"] == 20
    assert summary["by_kind"] == {"single": 8, "multiple": 6, "true_false": 6}
    assert Question.objects.filter(unit=w.unit).count() == 20
    multiple = Question.objects.filter(kind=QuestionKind.MULTIPLE).first()
    assert multiple.answer == "ABC" and multiple.options[:2] == ["纸介质文件", "U盘"]
    assert Question.objects.filter(kind=QuestionKind.TRUE_FALSE, answer="F").count() == 4
    exam = actions.generate_exam(
        w.clerk,
        actions.ExamForm(
            title="2026年度保密知识考试",
            level=QuestionLevel.IMPORTANT,
            question_count=20,
            time_limit_minutes=30,
            candidates=[w.zhang, w.li],
        ),
        seed=7,
    )
    assert exam.questions.count() == 20
    attempt = actions.start_attempt(w.zhang, exam)
    answers = right_answers(exam)
    wrong = next(p for p, a in answers.items() if a == "C")
    answers[wrong] = "A"  # one wrong out of 20 → 95
    actions.save_answers(w.zhang, attempt, {k: v for k, v in list(answers.items())[:10]})
    done = actions.submit_attempt(w.zhang, attempt, answers)
    assert done.correct == 19 and done.score == 95 and done.passed
    line = TrainingRecord.objects.get(person=w.zhang)
    assert line.score == 95 and "2026年度保密知识考试" in line.subject
    assert done.record == line
    with pytest.raises(InvalidState):
        actions.start_attempt(w.zhang, exam)  # one attempt each


def test_r_edu_1_generation_by_level_and_topic(world):
    w = world
    _import(w)
    form = actions.ExamForm(
        title="全员考试",
        level=QuestionLevel.ALL,
        question_count=19,
        time_limit_minutes=30,
        candidates=[w.li],
    )
    with pytest.raises(Invalid) as info:
        actions.generate_exam(w.clerk, form)  # only 18 questions are for everybody
    assert "18" in info.value.message
    form.question_count = 6
    form.topics = ["载体管理"]
    form.level = QuestionLevel.GENERAL
    exam = actions.generate_exam(w.clerk, form, seed=1)
    topics = {q.question.topic for q in exam.questions.select_related("question")}
    assert topics == {"载体管理"}
    with refused("forbidden", error=Forbidden):
        actions.generate_exam(w.zhang, form)


def test_r_edu_1_answers_after_the_time_limit_do_not_count(world):
    w = world
    _import(w)
    exam = actions.generate_exam(
        w.clerk,
        actions.ExamForm(
            title="限时考试",
            level=QuestionLevel.ALL,
            question_count=10,
            time_limit_minutes=10,
            candidates=[w.li],
        ),
        seed=3,
    )
    with time_machine.travel(timezone.now(), tick=False) as clock:
        attempt = actions.start_attempt(w.li, exam)
        answers = right_answers(exam)
        actions.save_answers(w.li, attempt, dict(list(answers.items())[:4]))
        clock.shift(timedelta(minutes=12))
        with pytest.raises(InvalidState):
            actions.save_answers(w.li, attempt, answers)
        done = actions.submit_attempt(w.li, attempt, answers)
    assert done.correct == 4 and done.score == 40 and not done.passed


def test_r_edu_1_bad_rows_refuse_the_whole_file(world):
    w = world
    rows = bank_rows()
    rows[2][7] = "E"  # single choice answered with a letter not among the options
    rows[16][1] = "填空"  # unknown kind
    with pytest.raises(Invalid) as info:
        actions.import_questions(w.clerk, file_name="题库.xlsx", data=xlsx(rows))
    problems = info.value.detail["rows"]
    assert problems[0].startswith("第5行") and "第19行" in problems[1]
    assert Question.objects.count() == 0
    with pytest.raises(Invalid):
        actions.import_questions(w.clerk, file_name="题库.xlsx", data=b"not a spreadsheet")


def test_r_per_4_attendance_lands_in_the_training_record(world):
    w = world
    session = actions.create_session(
        w.clerk,
        title="上半年集中保密培训",
        kind=SessionKind.CONCENTRATED,
        held_on=timezone.localdate(),
        hours="3",
        topic="保密法",
    )
    actions.record_attendance(w.clerk, session, [w.zhang, w.li])
    assert TrainingRecord.objects.filter(person__in=[w.zhang, w.li], hours=3).count() == 2
    later = actions.create_session(
        w.clerk,
        title="未来培训",
        kind=SessionKind.INDUCTION,
        held_on=timezone.localdate() + timedelta(days=3),
        hours="1",
    )
    with pytest.raises(InvalidState):
        actions.record_attendance(w.clerk, later, [w.wang])
    # An exam of the session writes its score on the session's line.
    _import(w)
    exam = actions.generate_exam(
        w.clerk,
        actions.ExamForm(
            title="培训考试",
            level=QuestionLevel.ALL,
            question_count=5,
            time_limit_minutes=10,
            candidates=[w.zhang],
            session=session,
        ),
        seed=2,
    )
    attempt = actions.start_attempt(w.zhang, exam)
    actions.submit_attempt(w.zhang, attempt, right_answers(exam))
    line = TrainingRecord.objects.get(person=w.zhang)
    assert line.score == 100 and line.attendance.session == session


def test_r_edu_1_exam_through_the_api(world, api):
    w = world
    client = api(w.clerk)
    response = client.client.post(
        BASE + "question-bank/import",
        {"file": SimpleUploadedFile("题库.xlsx", xlsx(bank_rows()))},
        **client._headers(),
    )
    assert response.status_code == 201, response.content
    assert response.json()["count"] == 20
    assert api(w.zhang).get("question-bank").json()["count"] == 0  # the bank is the office's
    response = client.post(
        "exams",
        {
            "title": "年度考试",
            "level": "important",
            "question_count": 20,
            "time_limit_minutes": 30,
            "candidate_ids": [w.zhang.pk],
        },
    )
    assert response.status_code == 201, response.content
    exam_id = response.json()["id"]
    paper = api(w.zhang).get(f"exams/{exam_id}").json()
    assert len(paper["questions"]) == 20 and "answer" not in paper["questions"][0]
    assert_error(api(w.li).get(f"exams/{exam_id}"), 404, "not_found")
    assert api(w.zhang).post(f"exams/{exam_id}/start").status_code == 201
    from baomi.training.models import Exam

    answers = right_answers(Exam.objects.get(pk=exam_id))
    assert_invalid(
        api(w.zhang).post(f"exams/{exam_id}/answers", {"answers": {"99": "A"}}), "answers"
    )
    response = api(w.zhang).post(f"exams/{exam_id}/submit", {"answers": answers})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["score"] == 100 and body["passed"] and body["training_record_id"]
    record = api(w.clerk).get(f"exams/{exam_id}/attempts").json()[0]
    assert record["score"] == 100
    assert TrainingRecord.objects.get(pk=body["training_record_id"]).score == 100
    response = client.post(
        "trainings",
        {"title": "集中培训", "kind": "concentrated", "held_on": str(date.today()), "hours": "2"},
    )
    assert response.status_code == 201, response.content
    assert_invalid(
        client.post(
            "trainings", {"title": "x", "kind": "bad", "held_on": "2026-01-01", "hours": "2"}
        ),
        "kind",
    )
