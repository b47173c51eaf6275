"""What a 密级变更 / 知悉范围 approval allows, exactly (APR-3, CL-3, CL-8, CL-11, CL-13).

A RECLASSIFICATION or SCOPE_WIDENING request names its change (`Request.proposed_change`) so that
the approval cannot be used for another one: an approval for "降为秘密" cannot declassify, one for
adding 张三 cannot add 李四. Two shapes, stored normalised:

    classification  {"level": str|None, "category": str|None, "period": dict|None,
                     "declassify": bool}        (None: unchanged)
    scope           {"add_people": [ids], "add_departments": [ids],
                     "remove_people": [ids], "remove_departments": [ids]}

A RECLASSIFICATION request carries either shape (narrowing the scope is a change under CL-8); a
SCOPE_WIDENING request carries the scope shape and adds someone. `target` computes the resulting
classification of a carrier the same way for the approval and for the action, so the two are
compared on what the carrier would become.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from baomi.approvals.choices import RequestKind
from baomi.classification.choices import LEVEL_RANK, Category, Level, is_state_secret
from baomi.classification.periods import Period, default_period, exceeds_maximum
from baomi.lib.errors import Invalid, RuleViolation
from baomi.lib.markings import render_marking

CLASSIFICATION_KEYS = ("level", "category", "period", "declassify")
SCOPE_KEYS = ("add_people", "add_departments", "remove_people", "remove_departments")
FIELD = "proposed_change"
KINDS = (RequestKind.RECLASSIFICATION, RequestKind.SCOPE_WIDENING)


def _invalid(message: str):
    return Invalid(f"拟变更内容有误：{message}", {FIELD: [message]})


def is_scope(change: Mapping | None) -> bool:
    return bool(change) and any(k in change for k in SCOPE_KEYS)


def normalize(kind: str, data: Any, unit_id: int) -> dict | None:
    """The stored form of `data` for a request of `kind`; Invalid (field proposed_change)."""
    if kind not in KINDS:
        if data:
            raise _invalid("只有密级变更和扩大知悉范围申请填写拟变更内容")
        return None
    if not data:
        raise _invalid(
            "密级变更申请须写明拟变更的密级、保密期限或解密"
            if kind == RequestKind.RECLASSIFICATION
            else "扩大知悉范围申请须写明拟增加的人员或部门"
        )
    if not isinstance(data, Mapping):
        raise _invalid("须为一个对象")
    keys = set(data)
    unknown = keys - set(CLASSIFICATION_KEYS) - set(SCOPE_KEYS)
    if unknown:
        raise _invalid(f"含有未知字段：{'、'.join(sorted(map(str, unknown)))}")
    if keys & set(SCOPE_KEYS) and keys & set(CLASSIFICATION_KEYS):
        raise _invalid("密级变更与知悉范围变更须分别申请")
    if keys & set(SCOPE_KEYS):
        return _normalize_scope(kind, data, unit_id)
    if kind == RequestKind.SCOPE_WIDENING:
        raise _invalid("扩大知悉范围申请须写明拟增加的人员或部门")
    return _normalize_classification(data)


def _normalize_classification(data: Mapping) -> dict:
    level, category, period = data.get("level"), data.get("category"), data.get("period")
    declassify = data.get("declassify", False)
    if declassify is None:
        declassify = False
    if not isinstance(declassify, bool):
        raise _invalid("“解密”须为 true 或 false")
    if level is not None and level not in Level.values:
        raise _invalid("拟变更密级无效")
    if category is not None and category not in Category.values:
        raise _invalid("拟变更类别无效")
    if period is not None:
        try:
            period = Period.from_dict(period).to_dict()
        except (ValueError, TypeError) as error:
            raise _invalid(str(error)) from None
    if declassify and (level is not None or period is not None or category is not None):
        raise _invalid("拟解密时不再填写新密级、类别或保密期限")
    if not declassify and level is None and category is None and period is None:
        raise _invalid("请写明拟变更的密级、类别、保密期限，或拟解密")
    return {"level": level, "category": category, "period": period, "declassify": declassify}


def _ids(value: Any, name: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
    ):
        raise _invalid(f"{name}须为编号列表")
    return sorted(set(value))


def _normalize_scope(kind: str, data: Mapping, unit_id: int) -> dict:
    from baomi.org.models import Department, Person

    names = {
        "add_people": "拟增加人员",
        "add_departments": "拟增加部门",
        "remove_people": "拟移出人员",
        "remove_departments": "拟移出部门",
    }
    change = {key: _ids(data.get(key), names[key]) for key in SCOPE_KEYS}
    people = change["add_people"] + change["remove_people"]
    departments = change["add_departments"] + change["remove_departments"]
    known_people = set(
        Person.objects.filter(
            pk__in=people, unit_id=unit_id, is_automation=False, system_role=""
        ).values_list("pk", flat=True)
    )
    if set(people) - known_people:
        raise _invalid("所列人员不存在或不属于本单位")
    known = set(
        Department.objects.filter(pk__in=departments, unit_id=unit_id).values_list("pk", flat=True)
    )
    if set(departments) - known:
        raise _invalid("所列部门不存在或不属于本单位")
    adds = change["add_people"] or change["add_departments"]
    if kind == RequestKind.SCOPE_WIDENING and not adds:
        raise _invalid("扩大知悉范围申请须写明拟增加的人员或部门")
    if kind == RequestKind.RECLASSIFICATION and adds:
        raise _invalid("增加知悉范围须提出“扩大知悉范围”申请（CL-13）")
    if not any(change.values()):
        raise _invalid("请写明拟增加或移出的人员、部门")
    return change


def scope_of(add_people=(), add_departments=(), remove_people=(), remove_departments=()) -> dict:
    """The scope shape of what a clerk asks for (persons/departments or ids)."""

    def ids(items):
        return sorted({getattr(x, "pk", x) for x in items})

    return {
        "add_people": ids(add_people),
        "add_departments": ids(add_departments),
        "remove_people": ids(remove_people),
        "remove_departments": ids(remove_departments),
    }


# --- classification: the target and its checks ------------------------------------------------


def target(
    carrier,
    *,
    level: str | None = None,
    category: str | None = None,
    period: Period | None = None,
    declassify: bool = False,
) -> tuple[str, str, Period | None]:
    """(level, category, period) the carrier would have; None arguments mean unchanged."""
    new_level = Level.PUBLIC if declassify else Level(level or carrier.level)
    new_period = None if declassify else (period if period is not None else carrier.period)
    new_category = Category(category) if category else Category(carrier.category)
    if is_state_secret(new_level):
        new_category = Category.STATE
    elif new_level == Level.INTERNAL and new_category == Category.STATE:
        new_category = Category.WORK
    if not is_state_secret(new_level):
        new_period = None
    return new_level, new_category, new_period


def target_of_change(carrier, change: Mapping) -> tuple[str, str, Period | None]:
    period = change.get("period")
    return target(
        carrier,
        level=change.get("level"),
        category=change.get("category"),
        period=Period.from_dict(period) if period else None,
        declassify=bool(change.get("declassify")),
    )


def key(result: tuple[str, str, Period | None]) -> tuple:
    level, category, period = result
    return (str(level), str(category), period.to_dict() if period else None)


def check_target(carrier, result: tuple[str, str, Period | None], unit) -> None:
    """CL-11: no raise above the unit's 定密权限; CL-3: no period beyond the maximum counted
    from the carrier's date of issue."""
    level, _category, period = result
    authority = unit.authority_level
    raised = LEVEL_RANK[Level(level)] > LEVEL_RANK[Level(carrier.level)]
    if raised and LEVEL_RANK[Level(level)] > LEVEL_RANK[authority]:
        raise RuleViolation(
            "CL-11",
            f"本单位定密权限为{unit.get_classification_authority_display()}，不能将载体 {carrier.label} 升为"
            f"{Level(level).label}（CL-11：超出定密权限的须报有权机关确定）。",
        )
    issued: date = carrier.doc_date
    if period is not None and exceeds_maximum(level, period, issued):
        raise RuleViolation(
            "CL-3",
            f"载体 {carrier.label} 拟定的保密期限“{period}”自成文日期 {issued} 起超过"
            f"{Level(level).label}的最长期限{default_period(level).years}年"
            "（CL-3：绝密≤30年、机密≤20年、秘密≤10年）。",
        )


# --- Chinese text ------------------------------------------------------------------------------


def describe_target(result: tuple[str, str, Period | None]) -> str:
    level, category, period = result
    if level == Level.PUBLIC:
        return "解密"
    return render_marking(level, category, period) or Level(level).label


def describe(change: Mapping | None) -> str:
    """拟变更为：秘密★5年 / 拟解密 / 拟增加知悉范围：张三 — for the request pages."""
    if not change:
        return ""
    if is_scope(change):
        return describe_scope(change)
    if change.get("declassify"):
        return "拟解密"
    parts = []
    level, period = change.get("level"), change.get("period")
    period_text = str(Period.from_dict(period)) if period else ""
    if level:
        text = Level(level).label
        if is_state_secret(level) and period_text:
            text += f"★{period_text}"
        elif is_state_secret(level):
            text += "（保密期限不变）"
        parts.append(f"拟变更为：{text}")
    elif period_text:
        parts.append(f"拟变更保密期限为：{period_text}")
    if change.get("category"):
        parts.append(f"类别：{Category(change['category']).label}")
    return "；".join(parts)


def describe_scope(change: Mapping) -> str:
    from baomi.org.models import Department, Person

    people = dict(
        Person.objects.filter(
            pk__in=[*change.get("add_people", []), *change.get("remove_people", [])]
        ).values_list("pk", "name")
    )
    departments = dict(
        Department.objects.filter(
            pk__in=[*change.get("add_departments", []), *change.get("remove_departments", [])]
        ).values_list("pk", "name")
    )

    def names(kind: str) -> list[str]:
        return [people.get(pk, f"#{pk}") for pk in change.get(f"{kind}_people", [])] + [
            departments.get(pk, f"#{pk}") for pk in change.get(f"{kind}_departments", [])
        ]

    parts = []
    if names("add"):
        parts.append(f"拟增加知悉范围：{'、'.join(names('add'))}")
    if names("remove"):
        parts.append(f"拟移出知悉范围：{'、'.join(names('remove'))}")
    return "；".join(parts)
