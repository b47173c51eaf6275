"""Alerts of education (EDU-1, PER-4): an exam waiting for its candidate; for the 保密办, a half
year drawing to its end without a concentrated session, and cleared people with no training on
record at all (new staff are trained before taking their post)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from baomi.lib.alerts import Alert, provider, url_of
from baomi.training.choices import AttemptStatus, SessionKind
from baomi.training.models import Exam, ExamAttempt, TrainingSession
from baomi.training.rules import is_business, keeps_training

AHEAD = 30
LIMIT = 200


@provider
def exam_waiting(person, today: date) -> list[Alert]:
    if not is_business(person):
        return []
    handed_in = ExamAttempt.objects.filter(person=person, status=AttemptStatus.SUBMITTED).values(
        "exam_id"
    )
    exams = Exam.objects.filter(candidates=person, closed=False).exclude(pk__in=handed_in)
    return [
        Alert(
            "exam_waiting",
            f"保密考试“{e.title}”待参加（限时 {e.time_limit_minutes} 分钟，EDU-1）",
            reverse("training:exam", args=[e.pk]),
            "due_soon",
            None,
            "EDU-1",
            "exam",
            e.pk,
        )
        for e in exams.distinct()[:LIMIT]
    ]


def half_of(today: date) -> tuple[date, date]:
    if today.month <= 6:
        return date(today.year, 1, 1), date(today.year, 6, 30)
    return date(today.year, 7, 1), date(today.year, 12, 31)


@provider
def concentrated_session_due(person, today: date) -> list[Alert]:
    """EDU-1: a concentrated session in each half year."""
    if not keeps_training(person, getattr(person, "unit_id", None)):
        return []
    start, end = half_of(today)
    if end - today > timedelta(days=AHEAD):
        return []
    held = TrainingSession.objects.filter(
        unit_id=person.unit_id, kind=SessionKind.CONCENTRATED, held_on__range=(start, end)
    ).exists()
    if held:
        return []
    return [
        Alert(
            "concentrated_training_due",
            f"{start.year}年{'上' if start.month == 1 else '下'}半年尚未组织集中保密培训，应于 {end} 前组织（EDU-1：每年两次集中培训）",
            reverse("training:sessions"),
            "due_soon",
            end,
            "EDU-1",
            "unit",
            person.unit_id,
        )
    ]


@provider
def induction_missing(person, today: date) -> list[Alert]:
    """EDU-1: cleared people in post with no training on record — not trained before the post."""
    if not keeps_training(person, getattr(person, "unit_id", None)):
        return []
    from baomi.personnel.selectors import on_ledger

    people = on_ledger(person.unit_id, today).filter(active=True, trainings__isnull=True)
    url = url_of("personnel:detail")
    return [
        Alert(
            "induction_training_missing",
            f"{name}没有任何保密培训记录，须先经岗前培训（EDU-1）",
            url(pk),
            "overdue",
            None,
            "EDU-1",
            "person",
            pk,
        )
        for pk, name in people.values_list("pk", "name")[:LIMIT]
    ]
