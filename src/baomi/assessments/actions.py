"""The only writers of the yearly assessment (INS-3): scoring sheets (a used sheet is frozen and
revised as a new version), running an assessment (the computed items pre-filled from the
ledgers), the assessor's adjustments (each with a reason), finalising, and 奖惩记录. Each takes
the acting person first and runs in one transaction with its audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

from baomi.assessments.choices import RATE_SOURCES, AssessmentStatus, Decision, Source, Target
from baomi.assessments.facts import COMPUTE, Fact, Subjects, period_of
from baomi.assessments.models import Assessment, RewardPenalty, Score, ScoringSheet, SheetItem
from baomi.assessments.rules import require_assessor, require_configurer
from baomi.audit.trail import record
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Department, Person, Unit
from baomi.personnel.selectors import units_supervised_by

TENTH = Decimal("0.1")
MAX_ITEMS = 50


def _text(value: str, name: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(f"请填写{label}。", {name: [f"请填写{label}"]})
    if len(value) > limit:
        raise Invalid(f"{label}过长。", {name: [f"最多 {limit} 个字"]})
    return value


def _points(value, name: str, label: str, *, upto: Decimal | None = None) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise Invalid(f"{label}不是数字。", {name: [f"{label}须为数字"]}) from None
    if points < 0 or points > Decimal("1000") or (upto is not None and points > upto):
        limit = upto if upto is not None else Decimal("1000")
        raise Invalid(f"{label}超出范围。", {name: [f"{label}须在 0 到 {limit} 之间"]})
    return points


# --- scoring sheets ---------------------------------------------------------------------------


@dataclass
class ItemForm:
    text: str
    max_points: Decimal | str | int
    source: str = Source.MANUAL
    points_each: Decimal | str | int = 0
    rule_id: str = ""


def _items(sheet: ScoringSheet, items: list[ItemForm]) -> list[SheetItem]:
    if not items:
        raise Invalid("评分表至少要有一项。", {"items": ["至少一项"]})
    if len(items) > MAX_ITEMS:
        raise Invalid("评分表项目过多。", {"items": [f"最多 {MAX_ITEMS} 项"]})
    made = []
    for position, item in enumerate(items, start=1):
        where = f"第{position}项"
        if item.source not in Source.values:
            raise Invalid("计分来源无效。", {"items": [f"{where}：计分来源无效"]})
        max_points = _points(item.max_points, "items", f"{where}分值")
        if max_points == 0:
            raise Invalid("分值须大于 0。", {"items": [f"{where}：分值须大于 0"]})
        each = _points(item.points_each or 0, "items", f"{where}每次扣分")
        deducting = item.source not in RATE_SOURCES and item.source != Source.MANUAL
        if deducting and each == 0:
            raise Invalid("请填写每次扣分。", {"items": [f"{where}：按次扣分的项须填写每次扣分"]})
        made.append(
            SheetItem(
                sheet=sheet,
                position=position,
                text=_text(item.text, "items", f"{where}考核内容", 300),
                max_points=max_points,
                source=item.source,
                points_each=each if deducting else Decimal(0),
                rule_id=(item.rule_id or "").strip()[:16],
            )
        )
    return made


@action("assessment.sheet_create")
def create_sheet(actor: Person, *, name: str, target: str, items: list[ItemForm]) -> ScoringSheet:
    """INS-3: the unit's scoring sheet for its departments or its subordinate units."""
    require_configurer(actor)
    name = _text(name, "name", "名称", 100)
    if target not in Target.values:
        raise Invalid("考核对象无效。", {"target": ["考核对象无效"]})
    if ScoringSheet.objects.filter(unit_id=actor.unit_id, name=name).exists():
        raise Invalid("已有同名评分表。", {"name": ["已有同名评分表，请修订它"]})
    sheet = ScoringSheet.objects.create(
        unit_id=actor.unit_id, name=name, target=target, created_by=actor, created_at=timezone.now()
    )
    SheetItem.objects.bulk_create(_items(sheet, items))
    record("assessment.sheet_create", actor, sheet, after=_sheet_snapshot(sheet))
    return sheet


@action("assessment.sheet_revise")
def revise_sheet(actor: Person, sheet: ScoringSheet, *, items: list[ItemForm]) -> ScoringSheet:
    """INS-3: change a sheet's items. A sheet no assessment has used is changed in place; a used
    (frozen) one stays as it was and the change becomes its next version."""
    require_configurer(actor)
    sheet = ScoringSheet.objects.select_for_update().get(pk=sheet.pk)  # one revision at a time
    if sheet.unit_id != actor.unit_id:
        raise InvalidState("评分表不属于本单位。")
    if ScoringSheet.objects.filter(previous=sheet).exists():
        raise InvalidState(f"“{sheet}”已有新版本，请修订最新版本。")
    before = _sheet_snapshot(sheet)
    if sheet.frozen:
        sheet = ScoringSheet.objects.create(
            unit_id=sheet.unit_id,
            name=sheet.name,
            target=sheet.target,
            version=sheet.version + 1,
            previous=sheet,
            created_by=actor,
            created_at=timezone.now(),
        )
    else:
        sheet.items.all().delete()
    SheetItem.objects.bulk_create(_items(sheet, items))
    record("assessment.sheet_revise", actor, sheet, before=before, after=_sheet_snapshot(sheet))
    return sheet


def _sheet_snapshot(sheet: ScoringSheet) -> dict:
    return {
        "name": sheet.name,
        "target": sheet.target,
        "version": sheet.version,
        "items": [
            [i.text[:40], str(i.max_points), i.source, str(i.points_each)]
            for i in sheet.items.order_by("position")
        ],
    }


# --- running, adjusting, finalising -------------------------------------------------------------


def subjects_of(actor: Person, target: str) -> tuple[list[Department], list[Unit]]:
    if target == Target.UNITS:
        return [], list(units_supervised_by(actor))
    return list(Department.objects.filter(unit_id=actor.unit_id).order_by("name", "id")), []


def computed_points(item: SheetItem, fact: Fact) -> Decimal:
    if item.source in RATE_SOURCES:
        return (item.max_points * fact.value).quantize(TENTH, rounding=ROUND_HALF_UP)
    return max(Decimal(0), item.max_points - item.points_each * fact.value).quantize(TENTH)


def _fill(assessment: Assessment, today: date) -> list[Score]:
    """Scores for every subject and item: computed items from the ledgers, manual ones empty."""
    sheet = assessment.sheet
    departments, units = subjects_of(assessment.created_by, sheet.target)
    subjects = Subjects(
        sheet.target, assessment.unit_id, tuple(x.pk for x in (units or departments))
    )
    period = period_of(assessment.year, today)
    items = list(sheet.items.order_by("position"))
    facts = {
        source: COMPUTE[Source(source)](subjects, period)
        for source in {i.source for i in items}
        if source != Source.MANUAL
    }
    scores = []
    for subject in units or departments:
        for item in items:
            score = Score(
                assessment=assessment,
                item=item,
                department=subject if not units else None,
                subject_unit=subject if units else None,
            )
            if item.source != Source.MANUAL:
                fact = facts[item.source][subject.pk]
                score.fact = fact.value.quantize(Decimal("0.001"))
                score.basis = fact.basis[:500]
                score.computed_points = score.points = computed_points(item, fact)
            scores.append(score)
    return scores


@action("assessment.run")
def run_assessment(actor: Person, sheet: ScoringSheet, *, year: int) -> Assessment:
    """INS-3: assess the year with `sheet`; the computed items are pre-filled from the ledgers
    and the sheet is frozen from now on."""
    require_assessor(actor, "开展年度考核")
    today = timezone.localdate()
    if sheet.unit_id != actor.unit_id:
        raise InvalidState("评分表不属于本单位。")
    if not 2000 <= year <= today.year:
        raise Invalid("年度无效。", {"year": [f"年度须在 2000 到 {today.year} 之间"]})
    sheet = ScoringSheet.objects.select_for_update().get(pk=sheet.pk)  # freezes exactly once
    if Assessment.objects.filter(unit_id=actor.unit_id, sheet=sheet, year=year).exists():
        raise InvalidState(f"{year}年度已用“{sheet}”考核过，请打开那次考核。")
    departments, units = subjects_of(actor, sheet.target)
    if not (departments or units):
        what = "下级单位" if sheet.target == Target.UNITS else "部门"
        raise InvalidState(f"本单位没有可考核的{what}。")
    assessment = Assessment.objects.create(
        unit_id=actor.unit_id,
        sheet=sheet,
        year=year,
        computed_on=today,
        created_by=actor,
        created_at=timezone.now(),
    )
    if not sheet.frozen:
        sheet.frozen = True
        sheet.save(update_fields=["frozen"])
    Score.objects.bulk_create(_fill(assessment, today))
    record(
        "assessment.run",
        actor,
        assessment,
        after={
            "sheet": sheet.pk,
            "version": sheet.version,
            "year": year,
            "computed_on": str(today),
        },
    )
    return assessment


def _locked_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)  # vs. finalising
    if locked.status != AssessmentStatus.DRAFT:
        raise InvalidState(
            f"考核 #{locked.pk} 已定稿，得分不能再改（INS-3）。", {"status": locked.status}
        )
    return locked


@action("assessment.recompute")
def recompute(actor: Person, assessment: Assessment) -> Assessment:
    """Refresh the computed items from today's ledgers; scores the assessor adjusted keep their
    points (and reason) — only their system figure is refreshed."""
    require_assessor(actor, "重新计算考核得分")
    assessment = _locked_draft(assessment)
    if assessment.unit_id != actor.unit_id:
        raise InvalidState("考核不属于本单位。")
    today = timezone.localdate()
    fresh = {(s.item_id, s.department_id, s.subject_unit_id): s for s in _fill(assessment, today)}
    changed = 0
    for score in assessment.scores.select_related("item"):
        new = fresh.get((score.item_id, score.department_id, score.subject_unit_id))
        if new is None or score.item.source == Source.MANUAL:
            continue
        if not score.adjusted_by_id:
            score.points = new.computed_points
        changed += score.computed_points != new.computed_points
        score.fact, score.basis, score.computed_points = new.fact, new.basis, new.computed_points
        score.save(update_fields=["fact", "basis", "computed_points", "points"])
    assessment.computed_on = today
    assessment.save(update_fields=["computed_on"])
    record("assessment.recompute", actor, assessment, after={"changed": changed})
    return assessment


@action("assessment.adjust")
def adjust_score(actor: Person, score: Score, *, points, reason: str) -> Score:
    """INS-3: the assessor sets a score — a manual item, or a computed one overruled — always
    with the reason on record."""
    require_assessor(actor, "调整考核得分")
    assessment = _locked_draft(score.assessment)
    if assessment.unit_id != actor.unit_id:
        raise InvalidState("考核不属于本单位。")
    score = Score.objects.select_related("item").get(pk=score.pk)
    value = _points(points, "points", "得分", upto=score.item.max_points)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            "INS-3",
            f"{score.subject_name}“{score.item.text}”的得分须说明评分或调整理由"
            "（INS-3：考核评分有据可查）。",
        )
    if len(reason) > 500:
        raise Invalid("理由过长。", {"reason": ["最多 500 个字"]})
    before = {"points": str(score.points) if score.points is not None else None}
    score.points, score.reason = value, reason
    score.adjusted_by, score.adjusted_at = actor, timezone.now()
    score.save(update_fields=["points", "reason", "adjusted_by", "adjusted_at"])
    record(
        "assessment.adjust",
        actor,
        assessment,
        before=before,
        after={
            "score": score.pk,
            "subject": score.subject_name,
            "item": score.item.position,
            "points": str(value),
            "computed": str(score.computed_points) if score.computed_points is not None else None,
            "reason": reason[:200],
        },
    )
    return score


@action("assessment.finalise")
def finalise(actor: Person, assessment: Assessment) -> Assessment:
    """INS-3: sign the assessment off; from now on no score changes."""
    require_assessor(actor, "考核定稿")
    assessment = _locked_draft(assessment)
    if assessment.unit_id != actor.unit_id:
        raise InvalidState("考核不属于本单位。")
    open_scores = assessment.scores.filter(points__isnull=True).select_related(
        "item", "department", "subject_unit"
    )
    if open_scores.exists():
        first = open_scores.first()
        raise InvalidState(
            f"还有 {open_scores.count()} 项未评分（如{first.subject_name}第{first.item.position}项），"
            "评完后才能定稿。"
        )
    assessment.status = AssessmentStatus.FINAL
    assessment.finalised_by, assessment.finalised_at = actor, timezone.now()
    assessment.save(update_fields=["status", "finalised_by", "finalised_at"])
    record(
        "assessment.finalise",
        actor,
        assessment,
        after={"totals": {name: str(total) for name, total in totals(assessment)}},
    )
    return assessment


def totals(assessment: Assessment) -> list[tuple[str, Decimal]]:
    """(subject name, total points), highest first."""
    sums: dict[str, Decimal] = {}
    for score in assessment.scores.select_related("department", "subject_unit"):
        sums[score.subject_name] = sums.get(score.subject_name, Decimal(0)) + (
            score.points or Decimal(0)
        )
    return sorted(sums.items(), key=lambda row: (-row[1], row[0]))


# --- 奖惩记录 ------------------------------------------------------------------------------------


@dataclass
class DecisionForm:
    decision: str
    description: str
    decided_on: date
    year: int
    department: Department | None = None
    subject_unit: Unit | None = None
    person: Person | None = None
    assessment: Assessment | None = None


@action("assessment.decision")
def record_decision(actor: Person, form: DecisionForm) -> RewardPenalty:
    """INS-3: a reward or penalty for a department, a subordinate unit or a person."""
    require_assessor(actor, "登记奖惩")
    errors: dict[str, list[str]] = {}
    if form.decision not in Decision.values:
        errors["decision"] = ["请选择奖励或惩处"]
    if not (form.department or form.subject_unit or form.person):
        errors["department"] = ["请选择部门、下级单位或人员"]
    supervised = {u.pk for u in units_supervised_by(actor)}
    if form.department and form.department.unit_id != actor.unit_id:
        errors["department"] = ["部门不属于本单位"]
    outside = (form.subject_unit and form.subject_unit.pk not in supervised) or (
        form.person and form.person.unit_id not in {actor.unit_id, *supervised}
    )
    if outside:
        raise RuleViolation(
            "ORG-4",
            f"{actor.unit.name}只能对本单位或其下级单位登记奖惩（ORG-4：上级监督下级，反之不可）。",
        )
    if form.assessment and form.assessment.unit_id != actor.unit_id:
        errors["assessment"] = ["考核不属于本单位"]
    if not 2000 <= form.year <= timezone.localdate().year + 1:
        errors["year"] = ["年度无效"]
    if form.decided_on > timezone.localdate():
        errors["decided_on"] = ["决定日期不能晚于今天"]
    if errors:
        raise Invalid("奖惩信息有误。", errors)
    made = RewardPenalty.objects.create(
        unit_id=actor.unit_id,
        year=form.year,
        decision=form.decision,
        assessment=form.assessment,
        department=form.department,
        subject_unit=form.subject_unit,
        person=form.person,
        description=_text(form.description, "description", "奖惩内容", 500),
        decided_on=form.decided_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record(
        "assessment.decision",
        actor,
        made,
        after={"decision": made.decision, "subject": made.subject_name, "year": made.year},
    )
    return made
