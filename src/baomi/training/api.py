"""JSON API: `trainings` (sessions and attendance), `question-bank` (questions, xlsx import) and
`exams` (generate, take within the time limit, automatic score) — EDU-1, PER-4. Writes call
`training.actions`; what the caller may not see is 404. A candidate's paper never shows the
answers; the 保密办 sees the bank with its answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import File, Form, Query, Router, Schema, UploadedFile
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.lib.errors import Invalid, NotFound
from baomi.org.models import Person
from baomi.training import actions
from baomi.training.choices import AttemptStatus, QuestionKind, QuestionLevel, SessionKind
from baomi.training.models import Exam, ExamAttempt, Question, TrainingSession
from baomi.training.selectors import (
    attempts_visible_to,
    exams_visible_to,
    questions_visible_to,
    sessions_visible_to,
)

trainings_router = Router()
bank_router = Router()
exams_router = Router()
MAX_FILE_BYTES = 10 * 1024 * 1024


def _people(actor, ids: list[int], field: str) -> list[Person]:
    found = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids, unit_id=actor.unit_id, is_automation=False)
    }
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise NotFound(
            "人员不存在，或您无权使用。", {field: [f"人员 #{i} 不存在" for i in missing]}
        )
    return [found[i] for i in dict.fromkeys(ids)]


# --- trainings --------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    title: str
    kind: str
    kind_display: str
    held_on: date
    hours: Decimal
    topic: str
    organiser: Ref
    attendees: list[Ref]


def session_out(s: TrainingSession) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "kind": s.kind,
        "kind_display": display(SessionKind, s.kind),
        "held_on": s.held_on,
        "hours": s.hours,
        "topic": s.topic,
        "organiser": ref(s.organiser),
        "attendees": [ref(a.person) for a in s.attendances.select_related("person")],
    }


class SessionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[SessionOut]


def _session(actor, session_id: int) -> TrainingSession:
    found = sessions_visible_to(actor).select_related("organiser").filter(pk=session_id).first()
    if found is None:
        raise NotFound("培训不存在，或您无权查看。")
    return found


@trainings_router.get("", response={200: SessionPage, **READ_ERRORS}, summary="保密培训")
def list_sessions(request, query: Query[PageQuery]):
    rows = sessions_visible_to(request.auth).select_related("organiser")
    return paginate(rows, query, session_out)


class SessionIn(InputSchema):
    title: text(200, min_length=1)
    kind: SessionKind
    held_on: Day
    hours: Decimal = Field(..., gt=0, le=100, max_digits=5, decimal_places=1)
    topic: text(500) = ""


@trainings_router.post(
    "", response={201: SessionOut, **WRITE_ERRORS}, summary="登记保密培训（EDU-1）"
)
def create_session(request, payload: SessionIn):
    session = actions.create_session(
        request.auth,
        title=payload.title,
        kind=payload.kind.value,
        held_on=payload.held_on,
        hours=payload.hours,
        topic=payload.topic,
    )
    return 201, session_out(session)


@trainings_router.get(
    "/{session_id}", response={200: SessionOut, **READ_ERRORS}, summary="培训详情"
)
def get_session(request, session_id: Id):
    return session_out(_session(request.auth, session_id))


class AttendanceIn(InputSchema):
    person_ids: list[Id] = Field(..., min_length=1, max_length=2000)


@trainings_router.post(
    "/{session_id}/attendance",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="登记参训人员（记入个人培训档案，PER-4）",
)
def attendance(request, session_id: Id, payload: AttendanceIn):
    actor = request.auth
    session = _session(actor, session_id)
    actions.record_attendance(actor, session, _people(actor, payload.person_ids, "person_ids"))
    return session_out(_session(actor, session_id))


# --- question bank ----------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    kind: str
    kind_display: str
    text: str
    options: list[str]
    answer: str
    level: str
    level_display: str
    topic: str
    explanation: str
    active: bool


def question_out(q: Question) -> dict:
    return {
        "id": q.pk,
        "kind": q.kind,
        "kind_display": display(QuestionKind, q.kind),
        "text": q.text,
        "options": q.options,
        "answer": q.answer,
        "level": q.level,
        "level_display": display(QuestionLevel, q.level),
        "topic": q.topic,
        "explanation": q.explanation,
        "active": q.active,
    }


class QuestionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[QuestionOut]


class QuestionQuery(PageQuery):
    kind: QuestionKind | None = None
    level: QuestionLevel | None = None
    topic: text(50) | None = None


@bank_router.get("", response={200: QuestionPage, **READ_ERRORS}, summary="题库")
def list_questions(request, query: Query[QuestionQuery]):
    rows = questions_visible_to(request.auth)
    if query.kind:
        rows = rows.filter(kind=query.kind.value)
    if query.level:
        rows = rows.filter(level=query.level.value)
    if query.topic:
        rows = rows.filter(topic=query.topic)
    return paginate(rows, query, question_out)


class QuestionIn(InputSchema):
    kind: QuestionKind
    text: text(2000, min_length=1)
    options: list[text(500)] = Field(default_factory=list, max_length=6)
    answer: text(16, min_length=1)
    level: QuestionLevel = QuestionLevel.ALL
    topic: text(50) = ""
    explanation: text(1000) = ""


@bank_router.post("", response={201: QuestionOut, **WRITE_ERRORS}, summary="添加试题")
def add_question(request, payload: QuestionIn):
    question = actions.add_question(
        request.auth,
        actions.QuestionForm(
            kind=payload.kind.value,
            text=payload.text,
            answer=payload.answer,
            options=list(payload.options),
            level=payload.level.value,
            topic=payload.topic,
            explanation=payload.explanation,
        ),
    )
    return 201, question_out(question)


class ImportOut(Schema):
    count: int
    by_kind: dict[str, int]
    dry_run: bool


@bank_router.post(
    "/import",
    response={200: ImportOut, 201: ImportOut, **WRITE_ERRORS},
    summary="从 xlsx 导入题库（全部正确才导入）",
)
def import_bank(request, file: UploadedFile = File(...), dry_run: bool = Form(False)):  # noqa: B008
    if file.size and file.size > MAX_FILE_BYTES:
        raise Invalid("文件过大。", {"file": ["文件不能超过 10 MB"]})
    summary = actions.import_questions(
        request.auth, file_name=file.name or "", data=file.read(), dry_run=dry_run
    )
    return (200 if dry_run else 201), summary


# --- exams ------------------------------------------------------------------------------------


class PaperQuestion(Schema):
    position: int
    kind: str
    kind_display: str
    text: str
    options: list[str]


class AttemptOut(Schema):
    id: int
    exam_id: int
    person: Ref
    status: str
    status_display: str
    started_at: datetime
    deadline_at: datetime
    submitted_at: datetime | None
    answers: dict[str, str]
    correct: int | None
    score: int | None
    passed: bool | None
    training_record_id: int | None


def attempt_out(a: ExamAttempt) -> dict:
    return {
        "id": a.pk,
        "exam_id": a.exam_id,
        "person": ref(a.person),
        "status": a.status,
        "status_display": display(AttemptStatus, a.status),
        "started_at": a.started_at,
        "deadline_at": a.deadline_at,
        "submitted_at": a.submitted_at,
        "answers": a.answers,
        "correct": a.correct,
        "score": a.score,
        "passed": a.passed,
        "training_record_id": a.record_id,
    }


class ExamOut(Schema):
    id: int
    title: str
    level: str
    level_display: str
    topics: list[str]
    question_count: int
    time_limit_minutes: int
    pass_score: int
    session_id: int | None
    candidates: list[Ref]
    closed: bool
    questions: list[PaperQuestion] = Field(description="试卷（不含答案）")
    my_attempt: AttemptOut | None


def exam_out(e: Exam, viewer) -> dict:
    questions = list(e.questions.all())
    mine = e.attempts.filter(person=viewer).select_related("person").first()
    return {
        "id": e.pk,
        "title": e.title,
        "level": e.level,
        "level_display": display(QuestionLevel, e.level),
        "topics": e.topics,
        "question_count": len(questions),
        "time_limit_minutes": e.time_limit_minutes,
        "pass_score": e.pass_score,
        "session_id": e.session_id,
        "candidates": [ref(p) for p in e.candidates.all()],
        "closed": e.closed,
        "questions": [
            {
                "position": q.position,
                "kind": q.kind,
                "kind_display": display(QuestionKind, q.kind),
                "text": q.text,
                "options": q.options,
            }
            for q in questions
        ],
        "my_attempt": attempt_out(mine) if mine else None,
    }


class ExamPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ExamOut]


def _exam(actor, exam_id: int) -> Exam:
    found = exams_visible_to(actor).filter(pk=exam_id).first()
    if found is None:
        raise NotFound("考试不存在，或您无权查看。")
    return found


@exams_router.get("", response={200: ExamPage, **READ_ERRORS}, summary="保密考试")
def list_exams(request, query: Query[PageQuery]):
    viewer = request.auth
    return paginate(exams_visible_to(viewer), query, lambda e: exam_out(e, viewer))


class ExamIn(InputSchema):
    title: text(200, min_length=1)
    level: QuestionLevel
    topics: list[text(50)] = Field(default_factory=list, max_length=50)
    question_count: int = Field(..., ge=1, le=200)
    time_limit_minutes: int = Field(..., ge=5, le=600)
    pass_score: int = Field(60, ge=0, le=100)
    candidate_ids: list[Id] = Field(..., min_length=1, max_length=2000)
    session_id: Id | None = None


@exams_router.post(
    "", response={201: ExamOut, **WRITE_ERRORS}, summary="按等级和专题从题库生成考试"
)
def generate(request, payload: ExamIn):
    actor = request.auth
    session = None
    if payload.session_id:
        session = sessions_visible_to(actor).filter(pk=payload.session_id).first()
        if session is None:
            raise NotFound("培训不存在。", {"session_id": [f"培训 #{payload.session_id} 不存在"]})
    exam = actions.generate_exam(
        actor,
        actions.ExamForm(
            title=payload.title,
            level=payload.level.value,
            question_count=payload.question_count,
            time_limit_minutes=payload.time_limit_minutes,
            candidates=_people(actor, payload.candidate_ids, "candidate_ids"),
            topics=list(payload.topics),
            pass_score=payload.pass_score,
            session=session,
        ),
    )
    return 201, exam_out(exam, actor)


@exams_router.get("/{exam_id}", response={200: ExamOut, **READ_ERRORS}, summary="考试与试卷")
def get_exam(request, exam_id: Id):
    return exam_out(_exam(request.auth, exam_id), request.auth)


@exams_router.get(
    "/{exam_id}/attempts", response={200: list[AttemptOut], **READ_ERRORS}, summary="答卷与成绩"
)
def attempts(request, exam_id: Id):
    exam = _exam(request.auth, exam_id)
    return [attempt_out(a) for a in attempts_visible_to(request.auth).filter(exam=exam)]


@exams_router.post(
    "/{exam_id}/start", response={201: AttemptOut, **WRITE_ERRORS}, summary="开始答题（开始计时）"
)
def start(request, exam_id: Id):
    actor = request.auth
    attempt = actions.start_attempt(actor, _exam(actor, exam_id))
    return 201, attempt_out(attempt)


class AnswersIn(InputSchema):
    answers: dict[str, text(16)] = Field(
        default_factory=dict, description='{"题号": "答案"}，如 {"1": "B", "2": "ACD", "3": "T"}'
    )


def _my_attempt(actor, exam_id: int) -> ExamAttempt:
    exam = _exam(actor, exam_id)
    attempt = exam.attempts.filter(person=actor).select_related("exam", "person").first()
    if attempt is None:
        raise NotFound("尚未开始答题。")
    return attempt


@exams_router.post(
    "/{exam_id}/answers", response={200: AttemptOut, **WRITE_ERRORS}, summary="保存作答"
)
def save(request, exam_id: Id, payload: AnswersIn):
    actor = request.auth
    attempt = actions.save_answers(actor, _my_attempt(actor, exam_id), payload.answers)
    return attempt_out(attempt)


@exams_router.post(
    "/{exam_id}/submit",
    response={200: AttemptOut, **WRITE_ERRORS},
    summary="交卷并自动评分（成绩记入个人培训档案）",
)
def submit(request, exam_id: Id, payload: AnswersIn):
    actor = request.auth
    attempt = actions.submit_attempt(actor, _my_attempt(actor, exam_id), payload.answers)
    return attempt_out(attempt)
