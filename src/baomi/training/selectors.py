"""Reads of sessions, the question bank and exams (deny by default): the unit's 保密办 sees all
of its unit; everybody else sees the sessions they attended and the exams they sit. The question
bank — answers included — is the 保密办's alone. The three system roles see nothing (SEC-3)."""

from __future__ import annotations

from django.db.models import QuerySet

from baomi.org.models import Person
from baomi.training.models import Exam, ExamAttempt, Question, TrainingSession
from baomi.training.rules import is_business, keeps_training


def sessions_visible_to(person: Person | None) -> QuerySet[TrainingSession]:
    if not is_business(person):
        return TrainingSession.objects.none()
    rows = TrainingSession.objects.filter(unit_id=person.unit_id)
    if keeps_training(person, person.unit_id):
        return rows
    return rows.filter(attendances__person=person).distinct()


def questions_visible_to(person: Person | None) -> QuerySet[Question]:
    if not keeps_training(person, getattr(person, "unit_id", None)):
        return Question.objects.none()
    return Question.objects.filter(unit_id=person.unit_id)


def exams_visible_to(person: Person | None) -> QuerySet[Exam]:
    if not is_business(person):
        return Exam.objects.none()
    rows = Exam.objects.filter(unit_id=person.unit_id)
    if keeps_training(person, person.unit_id):
        return rows
    return rows.filter(candidates=person).distinct()


def attempts_visible_to(person: Person | None) -> QuerySet[ExamAttempt]:
    if not is_business(person):
        return ExamAttempt.objects.none()
    rows = ExamAttempt.objects.filter(exam__unit_id=person.unit_id).select_related("exam", "person")
    if keeps_training(person, person.unit_id):
        return rows
    return rows.filter(person=person)
