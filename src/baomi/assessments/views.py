"""Assessment pages (INS-3): the sheets, the assessments and the 奖惩记录 of the unit; one sheet
with its items (revised in place, or as a new version once used); one assessment with its
scores, adjustments, finalising and the xlsx. Thin: parse → action → render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from baomi.assessments import actions
from baomi.assessments.choices import AssessmentStatus, Decision, Source, Target
from baomi.assessments.exports import results_xlsx
from baomi.assessments.models import ScoringSheet
from baomi.assessments.rules import is_assessor, may_configure, may_read
from baomi.assessments.selectors import (
    assessment_for,
    assessments_visible_to,
    decisions_visible_to,
    result_table,
    sheet_for,
    sheets_visible_to,
)
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.exports import XLSX, download
from baomi.lib.htmx import render_page
from baomi.org.models import Department, Person
from baomi.personnel.selectors import units_supervised_by
from baomi.web.forms import refusal_of
from baomi.web.views import not_found, person_required

BLANK_ROWS = 3


MAX_ID = 2**63 - 1


def _int(value) -> int | None:
    """An id or a year from a form; anything beyond any id is no id at all."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _items_from(post) -> list[actions.ItemForm]:
    """The sheet editor's rows (item-<n>-text …); rows left without text are skipped."""
    rows = []
    for n in range(actions.MAX_ITEMS + BLANK_ROWS):
        text = post.get(f"item-{n}-text", "").strip()
        if not text:
            continue
        rows.append(
            actions.ItemForm(
                text=text,
                max_points=post.get(f"item-{n}-max_points", ""),
                source=post.get(f"item-{n}-source", Source.MANUAL),
                points_each=post.get(f"item-{n}-points_each", "") or 0,
                rule_id=post.get(f"item-{n}-rule_id", ""),
            )
        )
    return rows


def _list_post(request) -> str:
    person, op = request.person, request.POST.get("op", "")
    if op == "sheet":
        sheet = actions.create_sheet(
            person,
            name=request.POST.get("name", ""),
            target=request.POST.get("target", ""),
            items=_items_from(request.POST),
        )
        return f"已建立评分表“{sheet}”。"
    if op == "run":
        sheet = sheet_for(person, _int(request.POST.get("sheet_id")) or 0)
        year = _int(request.POST.get("year"))
        if sheet is None or year is None:
            raise Invalid("请选择评分表和年度。", {"sheet_id": ["请选择评分表和年度"]})
        made = actions.run_assessment(person, sheet, year=year)
        return f"已开展{made.year}年度考核，系统计分项已按台帐计算。"
    if op == "decision":
        return _decision(request)
    raise Invalid("未知操作。", {"op": ["未知操作"]})


def _decision(request) -> str:
    person, post = request.person, request.POST
    supervised = units_supervised_by(person)
    department = Department.objects.filter(
        unit_id=person.unit_id, pk=_int(post.get("department_id"))
    ).first()
    unit = next((u for u in supervised if u.pk == _int(post.get("subject_unit_id"))), None)
    subject = Person.objects.filter(
        unit_id__in=[person.unit_id, *(u.pk for u in supervised)],
        system_role="",
        is_automation=False,
        pk=_int(post.get("person_id")),
    ).first()
    try:
        decided_on = date.fromisoformat(post.get("decided_on", ""))
    except ValueError:
        raise Invalid("请填写决定日期。", {"decided_on": ["日期格式应为 YYYY-MM-DD"]}) from None
    actions.record_decision(
        person,
        actions.DecisionForm(
            decision=post.get("decision", ""),
            description=post.get("description", ""),
            decided_on=decided_on,
            year=_int(post.get("year")) or decided_on.year,
            department=department,
            subject_unit=unit,
            person=subject,
            assessment=assessments_visible_to(person)
            .filter(pk=_int(post.get("assessment_id")))
            .first(),
        ),
    )
    return "奖惩已登记。"


@person_required
def list_page(request):
    person = request.person
    if not (may_read(person) or may_configure(person)):
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            done = _list_post(request)
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("assessments:list")
    today = timezone.localdate()
    context = {
        "sheets": list(sheets_visible_to(person)),
        "assessments": list(assessments_visible_to(person)),
        "decisions": list(decisions_visible_to(person)[:200]),
        "is_assessor": is_assessor(person),
        "may_configure": may_configure(person),
        "targets": Target.choices,
        "sources": Source.choices,
        "decision_choices": Decision.choices,
        "blank_rows": range(BLANK_ROWS + 2),
        "years": range(today.year, today.year - 5, -1),
        "today": today,
        "departments": Department.objects.filter(unit_id=person.unit_id).order_by("name"),
        "subject_units": units_supervised_by(person) if is_assessor(person) else [],
        "people": Person.objects.filter(
            unit_id=person.unit_id, system_role="", is_automation=False, active=True
        ).order_by("name"),
        "refusal": refusal,
    }
    return render_page(request, "assessments/list.html", context, status=status)


@person_required
def sheet_page(request, pk: int):
    person = request.person
    sheet = sheet_for(person, pk)
    if sheet is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            revised = actions.revise_sheet(person, sheet, items=_items_from(request.POST))
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            note = "（已使用的评分表不变，修订为新版本）" if revised.pk != sheet.pk else ""
            messages.success(request, f"评分表已修订{note}。")
            return redirect("assessments:sheet", pk=revised.pk)
    items = list(sheet.items.order_by("position"))
    context = {
        "sheet": sheet,
        "items": items,
        "total": sum(i.max_points for i in items),
        "may_revise": may_configure(person) and not has_next_version(sheet),
        "sources": Source.choices,
        "blank_rows": range(len(items), len(items) + BLANK_ROWS),
        "refusal": refusal,
    }
    return render_page(request, "assessments/sheet.html", context, status=status)


def has_next_version(sheet: ScoringSheet) -> bool:
    return ScoringSheet.objects.filter(previous=sheet).exists()


def _detail_post(request, assessment) -> str:
    person, op = request.person, request.POST.get("op", "")
    if op == "adjust":
        score = assessment.scores.filter(pk=_int(request.POST.get("score_id"))).first()
        if score is None:
            raise Invalid("得分不存在。", {"score_id": ["得分不存在"]})
        actions.adjust_score(
            person,
            score,
            points=request.POST.get("points", ""),
            reason=request.POST.get("reason", ""),
        )
        return "得分已记录。"
    if op == "recompute":
        actions.recompute(person, assessment)
        return "已按当前台帐重新计算。"
    if op == "finalise":
        actions.finalise(person, assessment)
        return "考核已定稿。"
    raise Invalid("未知操作。", {"op": ["未知操作"]})


@person_required
def detail(request, pk: int):
    person = request.person
    assessment = assessment_for(person, pk)
    if assessment is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            done = _detail_post(request, assessment)
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("assessments:detail", pk=pk)
    context = {
        "a": assessment,
        "items": list(assessment.sheet.items.order_by("position")),
        "rows": result_table(assessment),
        "draft": assessment.status == AssessmentStatus.DRAFT,
        "is_assessor": is_assessor(person) and assessment.unit_id == person.unit_id,
        "refusal": refusal,
    }
    return render_page(request, "assessments/detail.html", context, status=status)


@person_required
def export(request, pk: int):
    assessment = assessment_for(request.person, pk)
    if assessment is None:
        return not_found(request)
    return download(
        results_xlsx(assessment, request.person), XLSX, f"assessment-{assessment.year}.xlsx"
    )
