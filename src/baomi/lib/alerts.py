"""Alerts are queries over due dates, computed when asked (design.md) — no broker, no table.

Each app may define `<app>/alerts.py` with functions decorated by `@provider`; they are found
with Django's module autodiscovery. A provider takes the viewing person and today's date and
returns the alerts that person should act on (it must respect what the person may see).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

SEVERITY_ORDER = {"overdue": 0, "due_today": 1, "due_soon": 2, "info": 3}


@dataclass(frozen=True)
class Alert:
    kind: str  # a code, e.g. "loan_overdue"
    message: str  # Chinese, for people; never a carrier's title (labels and levels only)
    url: str  # where to act on it
    severity: str = "info"  # overdue | due_today | due_soon | info
    due: date | None = None
    rule_id: str = ""  # the rule that raises it, e.g. "CR-6"
    object_type: str = ""
    object_id: int | None = None


# What each kind of alert is called when counted (the bell): a group and its measure word. Only
# carriers past their due date are 逾期未还 — the dashboard's overdue figure — not every alert
# whose severity is "overdue" (a training reminder is overdue too, but nothing is unreturned).
NOT_BACK = ("逾期未还", "件")
KIND_GROUPS: dict[str, tuple[str, str]] = {
    "loan_overdue": NOT_BACK,
    "take_out_overdue": NOT_BACK,
    "circulation_overdue": NOT_BACK,
    "top_secret_not_back": NOT_BACK,
    "residence_overnight": NOT_BACK,
    "loan_due": ("即将到期", "件"),
    "take_out_due": ("即将到期", "件"),
    "circulation_due": ("即将到期", "件"),
    "top_secret_out_today": ("今日须退回", "件"),
    "residence_today": ("今日须带回", "件"),
    "unacknowledged": ("未签收", "件"),
    "request_waiting": ("待我审批", "件"),
    "recall_due": ("待清退", "批"),
    "period_ending": ("保密期限将满", "件"),
    "review_due": ("待年度定密审核", "件"),
    "unclear_pending": ("密级待确定", "件"),
    "notice_unread": ("未读通知", "条"),
    "review_waiting": ("保密审查待办", "项"),
    "stocktake_half_year": ("待清查", "项"),
    "stocktake_holiday": ("节前清查", "项"),
    "training_missing": ("保密教育未完成", "人"),
    "vetting_re_review": ("待复审", "人"),
    "travel_report_missing": ("回国报告未交", "人"),
    "cooling_off_ending": ("脱密期将满", "人"),
    "outside_meeting_undeclared": ("外出会议未申报", "次"),
    "declared_paper_unregistered": ("带回文件待登记", "件"),
    "incident_report_overdue": ("失泄密事件超时未上报", "起"),
    "incident_report_due": ("失泄密事件待上报", "起"),
    "incident_draft": ("清查发现待确认", "起"),
}
OTHER_GROUP = ("其他提醒", "项")


def count_by_group(alerts: Iterable[Alert]) -> list[tuple[str, int, str]]:
    """(group, count, measure word) in the order the groups are listed above."""
    counts: dict[tuple[str, str], int] = {}
    order = {group: i for i, group in enumerate(dict.fromkeys(KIND_GROUPS.values()))}
    for alert in alerts:
        group = KIND_GROUPS.get(alert.kind, OTHER_GROUP)
        counts[group] = counts.get(group, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))
    return [(name, n, measure) for (name, measure), n in ranked]


Provider = Callable[[object, date], Iterable[Alert]]
_providers: list[Provider] = []
_discovered = False


def provider(fn: Provider) -> Provider:
    """Register an alert provider (import-time; idempotent)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


# What the providers of one `alerts_for` call share (e.g. the unit's period lengths, asked by
# both the CL-9 and the import alerts): set for the call only, so nothing outlives the answer.
_shared: ContextVar[dict | None] = ContextVar("alerts_shared", default=None)


def shared(key, compute: Callable[[], object]):
    """`compute()` once per `alerts_for` call for `key` (outside a call: every time)."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


_PLACEHOLDER = 9_876_543_210


def url_of(name: str) -> Callable[[int], str]:
    """`pk -> reverse(name, args=[pk])` with one `reverse` per `alerts_for` call instead of one
    per row (a provider may list thousands of people; reversing each cost more than the query)."""
    return shared(("url_of", name), lambda: _url_maker(name))


def _url_maker(name: str) -> Callable[[int], str]:
    pattern = reverse(name, args=[_PLACEHOLDER])
    head, tail = pattern.split(str(_PLACEHOLDER), 1)
    return lambda pk: f"{head}{pk}{tail}"


def alerts_for(person, today: date) -> list[Alert]:
    """Every alert for the person, most urgent first."""
    global _discovered
    if not _discovered:
        autodiscover_modules("alerts")
        _discovered = True
    token = _shared.set({})
    try:
        found = [alert for fn in _providers for alert in fn(person, today)]
    finally:
        _shared.reset(token)
    return sorted(found, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), a.due or date.max))
