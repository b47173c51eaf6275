"""The only writers of education (EDU-1, PER-4): sessions and attendance, the question bank and
its xlsx import, exams generated from the bank, and attempts scored automatically. Attendance
and scores land in personnel.TrainingRecord — the person's one training record."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone

from baomi.audit.trail import record
from baomi.imports.readers import BadFile
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState
from baomi.org.models import Person
from baomi.personnel.models import TrainingRecord
from baomi.training.bank import normalise_answer, read_questions
from baomi.training.choices import AttemptStatus, QuestionKind, QuestionLevel, SessionKind
from baomi.training.models import (
    Attendance,
    Exam,
    ExamAttempt,
    ExamQuestion,
    Question,
    TrainingSession,
)
from baomi.training.rules import is_business, require_office

# A paper handed in this late is still on time (network, a slow click); later answers are ignored.
GRACE = timedelta(seconds=30)
MAX_QUESTIONS = 200


def _text(value: str, name: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(f"请填写{label}。", {name: [f"请填写{label}"]})
    if len(value) > limit:
        raise Invalid(f"{label}过长。", {name: [f"最多 {limit} 个字"]})
    return value


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Invalid("学时无效。", {"hours": ["学时须为数字"]}) from None
    if not (Decimal("0") < hours <= Decimal("100")):
        raise Invalid("学时无效。", {"hours": ["学时须在 0 到 100 之间"]})
    return hours


def _people_of_unit(actor: Person, people: list[Person], name: str) -> list[Person]:
    people = list(dict.fromkeys(people))
    wrong = [p.name for p in people if not is_business(p) or p.unit_id != actor.unit_id]
    if wrong:
        raise Invalid(
            "人员须为本单位在岗业务人员。", {name: [f"{n}不是本单位在岗业务人员" for n in wrong]}
        )
    return people


# --- sessions and attendance (EDU-1) -----------------------------------------------------------


@action("training_session.create")
def create_session(
    actor: Person, *, title: str, kind: str, held_on: date, hours, topic: str = ""
) -> TrainingSession:
    """A training session: concentrated twice a year, induction before taking a post (EDU-1)."""
    require_office(actor, actor.unit_id, "登记保密培训")
    if kind not in SessionKind.values:
        raise Invalid("培训类别无效。", {"kind": ["可选值：concentrated、induction、special"]})
    if held_on is None:
        raise Invalid("请填写培训日期。", {"held_on": ["请填写培训日期"]})
    session = TrainingSession.objects.create(
        unit=actor.unit,
        title=_text(title, "title", "名称", 200),
        kind=kind,
        held_on=held_on,
        hours=_hours(hours),
        topic=_text(topic, "topic", "内容", 500, required=False),
        organiser=actor,
        created_at=timezone.now(),
    )
    record(
        "training_session.create",
        actor,
        session,
        after={"kind": kind, "held_on": held_on.isoformat(), "hours": str(session.hours)},
    )
    return session


@action("training_session.attendance")
def record_attendance(
    actor: Person, session: TrainingSession, people: list[Person]
) -> list[Attendance]:
    """PER-4: each attendee gets a line in their own training record (date, hours, subject)."""
    require_office(actor, session.unit_id, "登记培训签到")
    if session.held_on > timezone.localdate():
        raise InvalidState("培训尚未举行，不能登记签到。", {"held_on": session.held_on.isoformat()})
    people = _people_of_unit(actor, people, "person_ids")
    if not people:
        raise Invalid("请选择参训人员。", {"person_ids": ["请选择参训人员"]})
    already = set(session.attendances.values_list("person_id", flat=True))
    made = []
    for person in people:
        if person.pk in already:
            continue
        line = TrainingRecord.objects.create(
            person=person,
            on=session.held_on,
            hours=session.hours,
            subject=f"{session.get_kind_display()}：{session.title}"[:200],
            recorded_by=actor,
        )
        made.append(
            Attendance.objects.create(
                session=session, person=person, record=line, recorded_by=actor
            )
        )
    record(
        "training_session.attendance",
        actor,
        session,
        after={"people": [a.person_id for a in made]},
    )
    return made


# --- the question bank ------------------------------------------------------------------------


@dataclass
class QuestionForm:
    kind: str
    text: str
    answer: str
    options: list[str]
    level: str = QuestionLevel.ALL
    topic: str = ""
    explanation: str = ""


@action("question.create")
def add_question(actor: Person, form: QuestionForm) -> Question:
    require_office(actor, actor.unit_id, "维护题库")
    errors: dict[str, list[str]] = {}
    if form.kind not in QuestionKind.values:
        errors["kind"] = ["题型无效"]
    if form.level not in QuestionLevel.values:
        errors["level"] = ["适用人员无效"]
    options = [o.strip() for o in form.options if o and o.strip()]
    if form.kind == QuestionKind.TRUE_FALSE:
        options = []
    elif len(options) < 2 or len(options) > 6:
        errors["options"] = ["选择题须有 2 到 6 个选项"]
    answer = ""
    if not errors:
        try:
            answer = normalise_answer(form.kind, form.answer, len(options))
        except ValueError as error:
            errors["answer"] = [str(error)]
    if errors:
        raise Invalid("试题有误。", errors)
    question = Question.objects.create(
        unit=actor.unit,
        kind=form.kind,
        text=_text(form.text, "text", "题目", 2000),
        options=options,
        answer=answer,
        level=form.level,
        topic=_text(form.topic, "topic", "专题", 50, required=False),
        explanation=_text(form.explanation, "explanation", "解析", 1000, required=False),
        created_by=actor,
        created_at=timezone.now(),
    )
    record("question.create", actor, question, after={"kind": form.kind, "level": form.level})
    return question


@action("question.import")
def import_questions(actor: Person, *, file_name: str, data: bytes, dry_run: bool = False) -> dict:
    """A bank from a spreadsheet, all or nothing: one bad row refuses the file, naming every bad
    row, so a half-imported bank never exists. `dry_run` checks without saving."""
    require_office(actor, actor.unit_id, "导入题库")
    try:
        result = read_questions(file_name, data)
    except BadFile as error:
        raise Invalid(error.message, {"file": [error.message]}) from None
    if result.errors:
        raise Invalid(f"{len(result.errors)} 行有误，未导入任何试题。", {"rows": result.errors})
    if not result.questions:
        raise Invalid("文件中没有试题。", {"file": ["文件中没有试题"]})
    by_kind: dict[str, int] = {}
    for q in result.questions:
        by_kind[q.kind] = by_kind.get(q.kind, 0) + 1
    summary = {"count": len(result.questions), "by_kind": by_kind, "dry_run": dry_run}
    if dry_run:
        return summary
    now = timezone.now()
    Question.objects.bulk_create(
        Question(
            unit=actor.unit,
            kind=q.kind,
            text=q.text,
            options=q.options,
            answer=q.answer,
            level=q.level,
            topic=q.topic,
            explanation=q.explanation,
            created_by=actor,
            created_at=now,
        )
        for q in result.questions
    )
    record("question.import", actor, None, after={"file": file_name[:100], **summary})
    return summary


# --- exams ------------------------------------------------------------------------------------


@dataclass
class ExamForm:
    title: str
    level: str
    question_count: int
    time_limit_minutes: int
    candidates: list[Person]
    topics: list[str] | None = None
    pass_score: int = 60
    session: TrainingSession | None = None


def pool_for(unit_id: int, level: str, topics: list[str]):
    """The questions an exam of `level` and `topics` draws from: those for everybody and those
    for that level."""
    rows = Question.objects.filter(unit_id=unit_id, active=True)
    if level != QuestionLevel.ALL:
        rows = rows.filter(Q(level=QuestionLevel.ALL) | Q(level=level))
    else:
        rows = rows.filter(level=QuestionLevel.ALL)
    if topics:
        rows = rows.filter(topic__in=topics)
    return rows


@action("exam.generate")
def generate_exam(actor: Person, form: ExamForm, *, seed: int | None = None) -> Exam:
    """Draw `question_count` questions at random from the bank by level and topic (EDU-1)."""
    require_office(actor, actor.unit_id, "组织保密考试")
    errors: dict[str, list[str]] = {}
    if form.level not in QuestionLevel.values:
        errors["level"] = ["适用人员无效"]
    if not (1 <= form.question_count <= MAX_QUESTIONS):
        errors["question_count"] = [f"题数须在 1 到 {MAX_QUESTIONS} 之间"]
    if not (5 <= form.time_limit_minutes <= 600):
        errors["time_limit_minutes"] = ["限时须在 5 到 600 分钟之间"]
    if not (0 <= form.pass_score <= 100):
        errors["pass_score"] = ["及格分须在 0 到 100 之间"]
    if form.session is not None and form.session.unit_id != actor.unit_id:
        errors["session_id"] = ["培训不属于本单位"]
    if errors:
        raise Invalid("考试设置有误。", errors)
    candidates = _people_of_unit(actor, form.candidates, "candidate_ids")
    if not candidates:
        raise Invalid("请选择考生。", {"candidate_ids": ["请选择考生"]})
    topics = [t.strip() for t in (form.topics or []) if t and t.strip()]
    pool = list(pool_for(actor.unit_id, form.level, topics).order_by("pk"))
    if len(pool) < form.question_count:
        raise Invalid(
            f"题库中符合条件的试题只有 {len(pool)} 道，不足 {form.question_count} 道。",
            {"question_count": [f"符合条件的试题只有 {len(pool)} 道"]},
        )
    drawn = random.Random(seed).sample(pool, form.question_count)
    order = {QuestionKind.SINGLE: 0, QuestionKind.MULTIPLE: 1, QuestionKind.TRUE_FALSE: 2}
    drawn.sort(key=lambda q: order[QuestionKind(q.kind)])
    exam = Exam.objects.create(
        unit=actor.unit,
        title=_text(form.title, "title", "名称", 200),
        level=form.level,
        topics=topics,
        time_limit_minutes=form.time_limit_minutes,
        pass_score=form.pass_score,
        session=form.session,
        created_by=actor,
        created_at=timezone.now(),
    )
    exam.candidates.set(candidates)
    ExamQuestion.objects.bulk_create(
        ExamQuestion(
            exam=exam,
            position=i,
            question=q,
            kind=q.kind,
            text=q.text,
            options=q.options,
            answer=q.answer,
        )
        for i, q in enumerate(drawn, start=1)
    )
    record(
        "exam.generate",
        actor,
        exam,
        after={
            "level": form.level,
            "topics": topics,
            "questions": len(drawn),
            "candidates": [p.pk for p in candidates],
        },
    )
    return exam


@action("exam.start")
def start_attempt(actor: Person, exam: Exam) -> ExamAttempt:
    """A candidate opens their paper; the clock starts (one attempt per person)."""
    if not exam.candidates.filter(pk=actor.pk).exists():
        raise Forbidden("您不是本场考试的考生。")
    if exam.closed:
        raise InvalidState("考试已结束。", {"closed": True})
    if ExamAttempt.objects.filter(exam=exam, person=actor).exists():
        raise InvalidState("您已参加过本场考试。", {"attempt": True})
    now = timezone.now()
    attempt = ExamAttempt.objects.create(
        exam=exam,
        person=actor,
        started_at=now,
        deadline_at=now + timedelta(minutes=exam.time_limit_minutes),
    )
    record("exam.start", actor, attempt, after={"exam": exam.pk})
    return attempt


def _clean_answers(exam: Exam, answers: dict) -> dict[str, str]:
    kinds = dict(exam.questions.values_list("position", "kind"))
    counts = {q.position: len(q.options) for q in exam.questions.all()}
    clean, errors = {}, []
    for key, value in (answers or {}).items():
        try:
            position = int(key)
        except (TypeError, ValueError):
            errors.append(f"题号“{key}”无效")
            continue
        if position not in kinds:
            errors.append(f"第{position}题不存在")
            continue
        if value in (None, ""):
            continue
        try:
            clean[str(position)] = normalise_answer(kinds[position], str(value), counts[position])
        except ValueError as error:
            errors.append(f"第{position}题：{error}")
    if errors:
        raise Invalid("作答有误。", {"answers": errors})
    return clean


def _lock(attempt: ExamAttempt) -> ExamAttempt:
    return (
        ExamAttempt.objects.select_for_update(of=("self",))
        .select_related("exam")
        .get(pk=attempt.pk)
    )


@action("exam.answer")
def save_answers(actor: Person, attempt: ExamAttempt, answers: dict) -> ExamAttempt:
    """Save answers while the time lasts (the paper survives a lost connection)."""
    if attempt.person_id != actor.pk:
        raise Forbidden("只能作答本人的试卷。")
    attempt = _lock(attempt)
    if attempt.status != AttemptStatus.STARTED:
        raise InvalidState("试卷已交，不能再作答。", {"status": attempt.status})
    if timezone.now() > attempt.deadline_at + GRACE:
        raise InvalidState(
            "考试时间已到，不能再作答，请交卷。", {"deadline_at": attempt.deadline_at.isoformat()}
        )
    attempt.answers = {**attempt.answers, **_clean_answers(attempt.exam, answers)}
    attempt.save(update_fields=["answers"])
    return attempt


@action("exam.submit")
def submit_attempt(actor: Person, attempt: ExamAttempt, answers: dict | None = None) -> ExamAttempt:
    """Hand in and score automatically; the score lands in the person's training record
    (PER-4). Answers sent after the time limit are not counted — only those saved in time."""
    if attempt.person_id != actor.pk:
        raise Forbidden("只能提交本人的试卷。")
    attempt = _lock(attempt)
    if attempt.status != AttemptStatus.STARTED:
        raise InvalidState("试卷已交。", {"status": attempt.status})
    now = timezone.now()
    late = now > attempt.deadline_at + GRACE
    if answers and not late:
        attempt.answers = {**attempt.answers, **_clean_answers(attempt.exam, answers)}
    return _score(actor, attempt, now, late=late)


def _score(actor: Person, attempt: ExamAttempt, now, *, late: bool) -> ExamAttempt:
    exam = attempt.exam
    key = dict(exam.questions.values_list("position", "answer"))
    correct = sum(1 for pos, right in key.items() if attempt.answers.get(str(pos)) == right)
    score = int((Decimal(100 * correct) / Decimal(len(key))).quantize(Decimal(1), ROUND_HALF_UP))
    attempt.correct, attempt.score = correct, score
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = now
    attempt.record = _land_in_record(actor, attempt)
    attempt.save(update_fields=["answers", "correct", "score", "status", "submitted_at", "record"])
    record(
        "exam.submit",
        actor,
        attempt,
        after={"exam": exam.pk, "correct": correct, "of": len(key), "score": score, "late": late},
    )
    return attempt


def _land_in_record(actor: Person, attempt: ExamAttempt) -> TrainingRecord:
    """The exam's session line of the person's record gets the score; without a session (or
    attendance) the exam is a line of its own."""
    exam = attempt.exam
    if exam.session_id:
        attendance = Attendance.objects.filter(
            session_id=exam.session_id, person=attempt.person
        ).first()
        if attendance is not None and attendance.record.score is None:
            line = attendance.record
            line.score = attempt.score
            line.save(update_fields=["score"])
            return line
    hours = max(Decimal("0.5"), (Decimal(exam.time_limit_minutes) / 60).quantize(Decimal("0.1")))
    return TrainingRecord.objects.create(
        person=attempt.person,
        on=timezone.localdate(),
        hours=hours,
        subject=f"保密考试：{exam.title}"[:200],
        score=attempt.score,
        recorded_by=actor,
    )
