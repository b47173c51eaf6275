"""People figures of the yearly report (INS-4): 涉密人员 by level at year end, the year's
changes of level, departures from classified posts and travel abroad.

As of 31 December from the ledgers' own dates: a person counts if their first audit record
(their creation) is before the year's end and they had not left by then (a completed 离岗 with an
end date in the year or before, or a deactivation audited before the year's end); their level
then is their present level unless it changed later — the first later change tells what it was
(an approved PER-2 decision effective after 31 December: its 原等级; or a level set by the 安全保密管理员
after the year's end: its audited value before)."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from baomi.audit.models import AuditEvent, Outcome
from baomi.classification.choices import Clearance
from baomi.org.models import Person
from baomi.personnel.choices import DecisionStatus, DepartureStatus
from baomi.personnel.models import ClearanceDecision, Departure, TravelAbroad
from baomi.reports.yearly.base import Figure, Year

SECTION = "people"
CLEARED = (Clearance.CORE, Clearance.IMPORTANT, Clearance.GENERAL)
SET_CLEARANCE = "person.set_clearance"


def _people(y: Year):
    return Person.objects.filter(unit_id=y.unit.pk, system_role="", is_automation=False)


def _on_roll_at_end(y: Year) -> dict[int, str]:
    """{person id: clearance at the year's end} for the people on the unit's roll then."""
    people = dict(_people(y).values_list("pk", "clearance"))
    active = set(_people(y).filter(active=True).values_list("pk", flat=True))
    audited = AuditEvent.objects.filter(object_type="person", object_id__in=list(people))
    created = dict(audited.values_list("object_id").annotate(first=Min("at")).order_by())
    left = set(
        Departure.objects.filter(
            person_id__in=list(people),
            status=DepartureStatus.COMPLETED,
            end_date__lte=y.last_day,
        ).values_list("person_id", flat=True)
    ) | set(
        audited.filter(event_type="person.deactivate", outcome=Outcome.DONE, at__lt=y.end)
        .exclude(object_id__in=active)
        .values_list("object_id", flat=True)
    )
    later: dict[int, tuple] = {}
    for pk, day, previous in ClearanceDecision.objects.filter(
        person_id__in=list(people), status=DecisionStatus.APPROVED, effective_on__gt=y.last_day
    ).values_list("person_id", "effective_on", "previous"):
        later.setdefault(pk, []).append((day, 0, previous))
    for pk, at, before in audited.filter(
        event_type=SET_CLEARANCE, outcome=Outcome.DONE, at__gte=y.end
    ).values_list("object_id", "at", "before"):
        later.setdefault(pk, []).append((at.date(), 1, (before or {}).get("clearance")))
    roll = {}
    for pk, clearance in people.items():
        if pk in left or (pk in created and created[pk] >= y.end):
            continue
        changes = sorted(later.get(pk, []), key=lambda c: (c[0], c[1]))
        roll[pk] = changes[0][2] if changes and changes[0][2] else clearance
    return roll


def cleared_at_year_end(y: Year) -> list[Figure]:
    roll = _on_roll_at_end(y)
    base = (
        f"人员：{y.unit_text()}（不含三员账号和系统自动任务）；在册 = 首条审计记录（建立）在 "
        f"{y.year_end_text()}，且截至 {y.last_day} 未离岗（离岗手续已办结且离岗日期 ≤ {y.last_day}，"
        f"或停用的审计记录在年末之前）；涉密等级取年末时的等级（其后如经审批变更或由安全保密管理员"
        "设定，取其后第一条变更的“原等级”）"
    )
    figures = [
        Figure(
            key=f"cleared_at_end.{c.value}",
            section=SECTION,
            label="年末涉密人员",
            value=sum(1 for v in roll.values() if v == c.value),
            measure="人",
            level=c.value,
            level_display=c.label,
            query=f"{base}；涉密等级 = {c.label}",
        )
        for c in CLEARED
    ]
    figures.append(
        Figure(
            key="cleared_at_end.total",
            section=SECTION,
            label="年末涉密人员",
            value=sum(1 for v in roll.values() if v in CLEARED),
            measure="人",
            level="total",
            level_display="合计",
            query=f"{base}；涉密等级 ∈ {{核心、重要、一般}}",
        )
    )
    return figures


def clearance_decisions(y: Year) -> list[Figure]:
    """PER-2 decisions approved in the year: all of them, and those that cleared someone new."""
    decided = ClearanceDecision.objects.filter(
        unit_id=y.unit.pk,
        status=DecisionStatus.APPROVED,
        effective_on__gte=y.first_day,
        effective_on__lte=y.last_day,
    )
    base = (
        f"涉密等级确定记录：{y.unit_text()}；状态 = 已批准；生效日期在 {y.first_day} 至 "
        f"{y.last_day}"
    )
    return [
        Figure(
            key="clearance_decisions",
            section=SECTION,
            label="经审批确定或变更涉密等级",
            value=decided.count(),
            measure="人次",
            query=base,
        ),
        Figure(
            key="newly_cleared",
            section=SECTION,
            label="其中新确定为涉密人员",
            value=decided.filter(previous=Clearance.NONE).exclude(clearance=Clearance.NONE).count(),
            measure="人次",
            query=f"{base}；原等级 = 非涉密，拟定等级 ≠ 非涉密",
        ),
        Figure(
            key="clearance_removed",
            section=SECTION,
            label="其中取消涉密等级",
            value=decided.filter(clearance=Clearance.NONE).count(),
            measure="人次",
            query=f"{base}；拟定等级 = 非涉密",
        ),
    ]


def departures(y: Year) -> list[Figure]:
    """离岗 (PER-5) completed with an end date in the year, by the level held on leaving."""
    done = Departure.objects.filter(
        person__unit_id=y.unit.pk,
        status=DepartureStatus.COMPLETED,
        end_date__gte=y.first_day,
        end_date__lte=y.last_day,
    )
    counts = dict(done.values_list("clearance").annotate(n=Count("id")).order_by())
    base = f"离岗记录：人员所属{y.unit_text()}；状态 = 已离岗；离岗日期在 {y.first_day} 至 {y.last_day}"
    figures = [
        Figure(
            key=f"departures.{c.value}",
            section=SECTION,
            label="本年离岗",
            value=counts.get(c.value, 0),
            measure="人",
            level=c.value,
            level_display=c.label,
            query=f"{base}；离岗时涉密等级 = {c.label}",
        )
        for c in CLEARED
    ]
    figures.append(
        Figure(
            key="departures.total",
            section=SECTION,
            label="本年离岗",
            value=sum(counts.values()),
            measure="人",
            level="total",
            level_display="合计",
            query=base,
        )
    )
    return figures


def travel_abroad(y: Year) -> list[Figure]:
    """出国（境）: actual exits in the year, and how many of them reported back."""
    trips = TravelAbroad.objects.filter(
        person__unit_id=y.unit.pk, departed_on__gte=y.first_day, departed_on__lte=y.last_day
    )
    base = f"出国（境）记录：人员所属{y.unit_text()}；实际出境日期在 {y.first_day} 至 {y.last_day}"
    return [
        Figure(
            key="travel_abroad",
            section=SECTION,
            label="涉密人员出国（境）",
            value=trips.count(),
            measure="人次",
            query=base,
        ),
        Figure(
            key="travel_reported",
            section=SECTION,
            label="其中已回国报告",
            value=trips.filter(Q(reported_on__isnull=False)).count(),
            measure="人次",
            query=f"{base}；回国报告日期已填写",
        ),
    ]


FIGURES = (cleared_at_year_end, clearance_decisions, departures, travel_abroad)


def people_figures(y: Year) -> list[Figure]:
    return [figure for function in FIGURES for figure in function(y)]
