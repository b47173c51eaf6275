"""Alerts about carriers out of the registry: loans and take-outs due or overdue (CR-6, CR-8,
CR-17), 绝密 not back the same day (CR-5), carriers at a leader's residence (CR-8).

Each provider is one query. A clerk sees the unit's carriers (up to their level); anybody else
sees what they hold."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.carriers.choices import DUE_BACK, Status
from baomi.carriers.models import Carrier
from baomi.carriers.selectors import levels_up_to
from baomi.classification.choices import Level
from baomi.lib.alerts import Alert, provider, url_of

LIMIT = 200
KIND_OF_STATUS = {
    Status.ON_LOAN: ("loan", "借阅", "CR-6"),
    Status.TAKEN_OUT: ("take_out", "携带外出", "CR-8"),
    Status.CIRCULATING: ("circulation", "传阅", "CR-17"),
}
# CR-8: what counts as a trip to a leader's residence.
RESIDENCE = Q(out_request__to_residence=True) | Q(out_request__destination__contains="住所")


def due_within_days() -> int:
    """N of "due within N days" (settings.BAOMI_ALERT_DUE_DAYS, default 3)."""
    return int(getattr(settings, "BAOMI_ALERT_DUE_DAYS", 3))


def out_for(person, statuses=DUE_BACK) -> QuerySet[Carrier]:
    """The carriers out with a holder (in `statuses`, some of DUE_BACK) that this person
    answers for. One status test, not one per narrowing: PostgreSQL multiplies the
    selectivities of stacked `IN`s and, so misled, skips the alert's own index."""
    if person is None or person.has_system_role or not person.active:
        return Carrier.objects.none()
    # A device in daily use (在用) has no due date: no loan or same-day alert chases it.
    out = Carrier.objects.filter(status__in=statuses)
    if person.is_registry_clerk:
        within = levels_up_to(person.max_level)
        if len(within) < len(Level):  # no `level IN (all five)` for who sees every level
            out = out.filter(level__in=within)
        return out.filter(unit_id=person.unit_id)
    return out.filter(holder=person)


def _whose(person, values: dict) -> str:
    return "" if values["holder_id"] == person.pk else f"（{values['holder__name']}）"


def _label(values: dict) -> str:
    return f"{values['number']}-{values['copy_no']:02d}"


def _out_on(values: dict, today: date) -> date:
    handed = values["handed_out_at"]
    return timezone.localtime(handed).date() if handed else today


FIELDS = (
    "pk",
    "number",
    "copy_no",
    "status",
    "due_date",
    "holder_id",
    "holder__name",
    "level",
    "acknowledged_at",
)


@provider
def loans_due(person, today: date) -> list[Alert]:
    """Loans, take-outs and circulations overdue or due within N days (CR-6, CR-8, CR-17)."""
    horizon = today + timedelta(days=due_within_days())
    rows = (
        out_for(person)
        .filter(due_date__lte=horizon)
        .exclude(level=Level.TOP_SECRET)  # CR-5 has its own alert
        .exclude(Q(status=Status.TAKEN_OUT) & RESIDENCE)  # CR-8 residence has its own
        .order_by("due_date", "number", "copy_no")
        .values(*FIELDS)[:LIMIT]
    )
    alerts, url = [], url_of("carriers:detail")
    for c in rows:
        code, name, rule = KIND_OF_STATUS[Status(c["status"])]
        label, due = _label(c), c["due_date"]
        unsigned = "（未签收）" if c["acknowledged_at"] is None and code != "take_out" else ""
        if due < today:
            severity, kind = "overdue", f"{code}_overdue"
            text = f"{name}的载体 {label}{_whose(person, c)} 已逾期（应于 {due} 归还），请催还"
        elif due == today:
            severity, kind = "due_today", f"{code}_due"
            text = f"{name}的载体 {label}{_whose(person, c)} 今日到期，请按时归还"
        else:
            severity, kind = "due_soon", f"{code}_due"
            text = f"{name}的载体 {label}{_whose(person, c)} 将于 {due} 到期"
        text += unsigned
        alerts.append(Alert(kind, text, url(c["pk"]), severity, due, rule, "carrier", c["pk"]))
    return alerts


@provider
def top_secret_out(person, today: date) -> list[Alert]:
    """绝密 comes back the same day (CR-5): due today while out, overdue from the next day."""
    rows = (
        out_for(person)
        .filter(level=Level.TOP_SECRET)
        .order_by("handed_out_at")
        .values(*FIELDS, "handed_out_at")[:LIMIT]
    )
    alerts, url = [], url_of("carriers:detail")
    for c in rows:
        out_on = _out_on(c, today)
        label = _label(c)
        if out_on < today:
            alerts.append(
                Alert(
                    "top_secret_not_back",
                    f"绝密载体 {label}{_whose(person, c)} 自 {out_on} 借出未归还，须随阅随退（CR-5）",
                    url(c["pk"]),
                    "overdue",
                    out_on,
                    "CR-5",
                    "carrier",
                    c["pk"],
                )
            )
        else:
            alerts.append(
                Alert(
                    "top_secret_out_today",
                    f"绝密载体 {label}{_whose(person, c)} 今日须退回机要室（CR-5）",
                    url(c["pk"]),
                    "due_today",
                    today,
                    "CR-5",
                    "carrier",
                    c["pk"],
                )
            )
    return alerts


@provider
def at_residence(person, today: date) -> list[Alert]:
    """Carriers taken to a leader's residence come back the same day (CR-8, 不得在外过夜)."""
    rows = (
        out_for(person)
        .filter(RESIDENCE, status=Status.TAKEN_OUT)
        .exclude(level=Level.TOP_SECRET)
        .order_by("handed_out_at")
        .values(*FIELDS, "handed_out_at")[:LIMIT]
    )
    alerts, url = [], url_of("carriers:detail")
    for c in rows:
        out_on = _out_on(c, today)
        label = _label(c)
        if out_on < today:
            alerts.append(
                Alert(
                    "residence_overnight",
                    f"送领导住所的载体 {label}{_whose(person, c)} 自 {out_on} 未带回，"
                    "不得在办公场所之外过夜（CR-8）",
                    url(c["pk"]),
                    "overdue",
                    out_on,
                    "CR-8",
                    "carrier",
                    c["pk"],
                )
            )
        else:
            alerts.append(
                Alert(
                    "residence_today",
                    f"送领导住所的载体 {label}{_whose(person, c)} 须于今日带回（CR-8）",
                    url(c["pk"]),
                    "due_today",
                    today,
                    "CR-8",
                    "carrier",
                    c["pk"],
                )
            )
    return alerts


@provider
def unacknowledged(person, today: date) -> list[Alert]:
    """A circulated or lent carrier its reader has not signed for (CR-4: readers sign). The
    reader is asked to sign from the hand-out on; from the next day it is overdue for both
    the reader and the clerk, who must find out where the carrier went."""
    horizon = today + timedelta(days=due_within_days())
    rows = (
        out_for(person, (Status.CIRCULATING, Status.ON_LOAN))
        .filter(acknowledged_at__isnull=True)
        # One alert per carrier: one due soon, overdue or 绝密 already has its own, which says
        # that it is unsigned too.
        .exclude(due_date__lte=horizon)
        .exclude(level=Level.TOP_SECRET)
        .order_by("handed_out_at", "number", "copy_no")
        .values(*FIELDS, "handed_out_at")[:LIMIT]
    )
    alerts, url = [], url_of("carriers:detail")
    for c in rows:
        out_on = _out_on(c, today)
        name = KIND_OF_STATUS[Status(c["status"])][1]
        label, mine = _label(c), c["holder_id"] == person.pk
        if out_on < today:
            severity = "overdue"
            text = f"{name}的载体 {label}{_whose(person, c)} 自 {out_on} 交出后未签收（CR-4）"
        elif mine:
            severity, text = "due_today", f"{name}给您的载体 {label} 待签收（CR-4：阅读人签收）"
        else:
            continue  # the clerk is told from the next day; the reader at once
        alerts.append(
            Alert(
                "unacknowledged", text, url(c["pk"]), severity, out_on, "CR-4", "carrier", c["pk"]
            )
        )
    return alerts
