"""The only writers of outside-meeting attendances (CR-2). The person who attended records the
meeting and declares what they brought back (or that they brought nothing); each paper enters
the carrier ledger as declared (已申报) in their hands; the 保密员 registers it into the registry,
and only then may it be used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import CarrierKind, EventKind, PlaceKind, Source, Status
from baomi.carriers.models import Carrier, Place
from baomi.carriers.registration import next_number, require_registrar
from baomi.carriers.rules import require_clerk, require_may_hold, require_storable
from baomi.classification.choices import Category, Level, is_state_secret
from baomi.classification.periods import default_period
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.models import Department, Person
from baomi.outside_meetings.models import BroughtBackPaper, MeetingAttendance

MAX_PAPERS = 50


@dataclass
class PaperSpec:
    """One paper as the person reads it off the cover: title, level, issuer, the issuer's copy
    number (份号), pages."""

    title: str
    level: str
    kind: str = CarrierKind.MEETING_PAPER
    issuer: str = ""
    doc_number: str = ""
    original_copy_no: str = ""
    pages: int = 1


def _text(value: str, field: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(f"请填写{label}。", {field: [f"请填写{label}"]})
    if len(value) > limit:
        raise Invalid(f"{label}最多 {limit} 字。", {field: [f"最多 {limit} 字"]})
    return value


def _require_business_person(actor: Person) -> None:
    if actor.has_system_role:
        raise RuleViolation("SEC-3", "三员不接触涉密载体，不能登记外出会议（SEC-3）。")
    if not actor.active:
        raise Forbidden("已不在涉密岗位，不能登记外出会议。")


def _lock(attendance: MeetingAttendance) -> MeetingAttendance:
    # Two tabs declaring at once: the second sees the first's declaration, not a double one.
    return (
        MeetingAttendance.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .get(pk=attendance.pk)
    )


@action("outside_meeting.record")
def record_attendance(
    actor: Person,
    *,
    meeting_title: str,
    organiser: str,
    held_on: date,
    level: str,
    note: str = "",
) -> MeetingAttendance:
    """登记外出参加会议: the person who attended, for themselves (CR-2)."""
    _require_business_person(actor)
    title = _text(meeting_title, "meeting_title", "会议名称", 200)
    organiser = _text(organiser, "organiser", "主办单位", 200)
    note = _text(note, "note", "备注", 500, required=False)
    if level not in Level.values:
        raise Invalid("会议密级无效。", {"level": ["请选择会议密级"]})
    if held_on > clock.today():
        raise Invalid("会议日期不能晚于今天：请在会议结束后登记。", {"held_on": ["不能晚于今天"]})
    attendance = MeetingAttendance.objects.create(
        unit=actor.unit,
        person=actor,
        meeting_title=title,
        organiser=organiser,
        held_on=held_on,
        level=level,
        note=note,
        recorded_at=clock.now(),
    )
    record("outside_meeting.record", actor, attendance, after=attendance.audit_snapshot())
    return attendance


def _require_own_undeclared(actor: Person, attendance: MeetingAttendance, *, papers: bool):
    if attendance.person_id != actor.pk:
        raise Forbidden("只有参会人本人可以申报带回的文件。")
    if attendance.declared_none:
        raise InvalidState(
            f"{attendance}已申报“未带回文件”；如实际带回了文件，请联系保密员。",
            {"declared_none": True},
        )
    if not papers and attendance.declared:
        raise InvalidState(f"{attendance}已申报带回文件，不能再申报“未带回”。", {"declared": True})


@action("outside_meeting.declare_papers")
def declare_papers(
    actor: Person, attendance: MeetingAttendance, papers: list[PaperSpec]
) -> list[Carrier]:
    """申报带回文件 (CR-2): each paper becomes a carrier, declared (已申报), held by the person who
    brought it (CR-3), numbered now so that it is on the ledger from the first hour; it may not be
    used until the office registers it. PER-1: a paper above the person's clearance cannot be
    declared into their hands — it goes to the 保密员 at once."""
    _require_business_person(actor)
    attendance = _lock(attendance)
    _require_own_undeclared(actor, attendance, papers=True)
    if not papers:
        raise Invalid("请至少填写一份带回的文件，或申报“未带回文件”。", {"papers": ["请填写文件"]})
    if len(papers) > MAX_PAPERS:
        raise Invalid(f"一次最多申报 {MAX_PAPERS} 份。", {"papers": [f"最多 {MAX_PAPERS} 份"]})
    now = clock.now()
    made = []
    for spec in papers:
        carrier = _declared_carrier(actor, attendance, spec, now)
        require_may_hold(actor, carrier, scoped=True)
        carrier.save()
        carrier.scope_people.set([actor])
        custody.enter_ledger(actor, carrier, EventKind.DECLARE, request=None)
        BroughtBackPaper.objects.create(
            attendance=attendance, carrier=carrier, original_copy_no=spec.original_copy_no
        )
        made.append(carrier)
    before = attendance.audit_snapshot()
    if attendance.declared_at is None:
        attendance.declared_at = now
        attendance.save(update_fields=["declared_at"])
    record(
        "outside_meeting.declare_papers",
        actor,
        attendance,
        before=before,
        after={**attendance.audit_snapshot(), "carriers": [c.label for c in made]},
    )
    return made


def _declared_carrier(actor: Person, attendance, spec: PaperSpec, now) -> Carrier:
    errors: dict[str, list[str]] = {}
    title = (spec.title or "").strip()
    if not title or len(title) > 300:
        errors["title"] = ["请填写文件标题（最多 300 字）"]
    if spec.level not in Level.values or spec.level == Level.PUBLIC:
        errors["level"] = ["请选择文件密级（公开文件无需申报）"]
    if spec.kind not in CarrierKind.values:
        errors["kind"] = ["载体类型无效"]
    if not 1 <= (spec.pages or 0) <= 100_000:
        errors["pages"] = ["页数/数量至少为 1"]
    for name, limit in (("issuer", 100), ("doc_number", 100), ("original_copy_no", 32)):
        if len((getattr(spec, name) or "").strip()) > limit:
            errors[name] = [f"最多 {limit} 字"]
    if errors:
        raise Invalid("带回文件信息有误。", errors)
    issuer = (spec.issuer or "").strip() or attendance.organiser[:100]
    doc_number = (spec.doc_number or "").strip()
    carrier = Carrier(
        unit=attendance.unit,
        number=next_number(attendance.unit, clock.today().year),
        copy_no=1,
        kind=spec.kind,
        title=title,
        issuer=issuer,
        doc_number=doc_number,
        doc_date=attendance.held_on,
        pages=spec.pages,
        remarks=f"原份号 {spec.original_copy_no.strip()}" if spec.original_copy_no.strip() else "",
        level=spec.level,
        category=Category.STATE if is_state_secret(spec.level) else Category.WORK,
        basis=f"依据来文标定：{issuer} {doc_number}".strip()[:200],
        classifier_name=issuer,
        source=Source.OUTSIDE_MEETING,
        registered_by=actor,
        registered_at=now,
        status=Status.DECLARED,
        holder=actor,
        home_place=_provisional_home(attendance.unit_id, spec.level),
        # The person brought it and declared it: nothing is waiting for their 签收.
        handed_out_at=now,
        acknowledged_at=now,
    )
    carrier.set_period(default_period(spec.level))
    return carrier


def _provisional_home(unit_id: int, level: str) -> Place:
    """Every carrier has a home place; a declared paper gets the registry's until the 保密员
    chooses one when registering it (绝密 a safe, CR-15)."""
    places = Place.objects.filter(unit_id=unit_id, active=True).order_by("pk")
    if level == Level.TOP_SECRET:
        places = places.filter(kind=PlaceKind.SAFE)
    place = places.order_by("kind" if level != Level.TOP_SECRET else "pk").first()
    if place is None:
        raise Invalid(
            "本单位尚未设置可存放该密级文件的存放位置，请联系系统管理员。",
            {"level": ["本单位没有可用的存放位置"]},
        )
    return place


@action("outside_meeting.declare_none")
def declare_none(actor: Person, attendance: MeetingAttendance) -> MeetingAttendance:
    """申报未带回文件 (CR-2): stops the 2-working-day clock."""
    _require_business_person(actor)
    attendance = _lock(attendance)
    _require_own_undeclared(actor, attendance, papers=False)
    before = attendance.audit_snapshot()
    attendance.declared_at, attendance.declared_none = clock.now(), True
    attendance.save(update_fields=["declared_at", "declared_none"])
    record(
        "outside_meeting.declare_none",
        actor,
        attendance,
        before=before,
        after=attendance.audit_snapshot(),
    )
    return attendance


@action("outside_meeting.register_paper")
def register_paper(
    actor: Person,
    carrier: Carrier,
    *,
    place: Place,
    scope_people: list[Person] | None = None,
    scope_departments: list[Department] | None = None,
    note: str = "",
) -> Carrier:
    """登记外出会议带回文件 (CR-1, CR-2): the 保密员 takes the declared paper into the registry,
    sets where it is kept (CR-15) and who may know it (CL-13; the person who brought it stays
    in scope); from now on it is used like any carrier."""
    require_registrar(actor)
    require_clerk(actor, carrier.unit_id, "登记外出会议带回文件")
    carrier = custody.lock(carrier, conflict_if_moved=True)
    custody.require_status(carrier, (Status.DECLARED,), "登记为带回文件")
    paper = BroughtBackPaper.objects.select_for_update().get(carrier=carrier)
    if not actor.covers(carrier.level):
        raise RuleViolation(
            "PER-1", f"登记人的涉密等级不能覆盖{carrier.get_level_display()}（PER-1）。"
        )
    require_storable(carrier, place)
    if scope_people:
        carrier.scope_people.add(*scope_people)
    if scope_departments:
        carrier.scope_departments.add(*scope_departments)
    carrier.home_place, carrier.registered_by = place, actor
    custody.move(
        actor,
        carrier,
        EventKind.REGISTER,
        status=Status.IN_REGISTRY,
        place=place,
        note=(note or "").strip()[:200] or f"外出会议带回，{paper.attendance}",
        audit_extra={"attendance": paper.attendance_id, "source": carrier.source},
    )
    paper.registered_at, paper.registered_by = clock.now(), actor
    paper.save(update_fields=["registered_at", "registered_by"])
    return carrier
