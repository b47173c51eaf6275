"""The default 自查自评 checklist (INS-2, 条例58) and the items the system answers itself.

Every item cites the rule of requirements.md it checks. Items with an `AutoCheck` are answered
from the ledgers when an inspection starts (`run_check`): what the ledger shows cannot be
answered "符合" by a hurried inspector without the system's evidence beside it. Evidence names
carriers by number and level, people by name — never a carrier's title (ORG-4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from baomi.carriers.choices import AT_PLACE, WITH_HOLDER, PlaceKind, Status
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.inspections.choices import AutoCheck
from baomi.org.models import Unit

DEFAULT_NAME = "保密工作自查自评表（默认）"

# (text, rule id, auto check)
DEFAULT_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("是否建立保密工作领导小组（保密委员会）并明确保密员", "ORG-1", ""),
    ("部门负责人是否签订保密责任书，涉密人员是否签订保密承诺书", "ORG-3", ""),
    ("涉密载体是否逐份登记统一编号和份号，收文由专人签收", "CR-1", ""),
    ("是否随时掌握每份涉密载体的去向（持有人或存放位置）", "CR-3", ""),
    ("借阅是否经审批并按期归还，逾期是否催办", "CR-6", AutoCheck.OVERDUE_LOANS),
    ("携带外出的载体是否当日带回，未在办公场所之外过夜", "CR-8", AutoCheck.OUT_OVERNIGHT),
    ("绝密载体是否单独存放于保险柜", "CR-15", AutoCheck.TOP_SECRET_OUTSIDE_SAFE),
    ("复制涉密载体是否经批准并登记、加盖复制机关戳记", "CR-7", ""),
    ("秘密级以上载体是否经机要交换站或专人传递", "CR-9", ""),
    ("销毁是否造册登记、经领导批准并两人以上监销", "CR-12", ""),
    ("是否定期清查，做到帐、卡、物相符", "CR-14", ""),
    ("涉密人员是否定期接受保密教育培训", "PER-4", AutoCheck.UNTRAINED),
    ("离岗涉密人员是否清退全部载体并进入脱密期管理", "PER-5", ""),
    ("涉密会议文件是否编号登记并在会后全部清退", "MTG-3", AutoCheck.MEETING_PAPERS_OUT),
    ("要害部门部位是否坚持每日下班安全检查", "SITE-3", AutoCheck.CLOSING_CHECKS_MISSING),
    ("外来人员进入要害部位是否登记并有人陪同", "SITE-2", ""),
    ("信息公开和对外提供资料前是否经保密审查", "REV-1", ""),
    ("涉密计算机是否一人一机并与互联网物理隔离", "DEV-2", ""),
)

SHOWN = 20  # evidence lists at most this many labels, then "等 N 件"


@dataclass
class CheckResult:
    """What the ledger shows for one auto-checked item: nothing wrong, or the objects concerned."""

    ok: bool
    evidence: str
    carriers: list[Carrier] = field(default_factory=list)
    people: list = field(default_factory=list)
    sites: list = field(default_factory=list)


def _listed(labels: list[str]) -> str:
    head = "、".join(labels[:SHOWN])
    return head + (f" 等 {len(labels)} 项" if len(labels) > SHOWN else "")


def _carrier_result(rows: list[Carrier], what: str, fine: str) -> CheckResult:
    if not rows:
        return CheckResult(True, f"系统核查：{fine}")
    labels = [f"{c.label}（{c.get_level_display()}）" for c in rows]
    return CheckResult(False, f"系统核查：{len(rows)} 件{what}：{_listed(labels)}", carriers=rows)


def overdue_loans(unit: Unit, today: date) -> CheckResult:
    rows = list(
        Carrier.objects.filter(unit=unit, status__in=WITH_HOLDER, due_date__lt=today).order_by(
            "due_date", "number", "copy_no"
        )
    )
    return _carrier_result(rows, "逾期未还", "无逾期未还的载体")


def out_overnight(unit: Unit, today: date) -> CheckResult:
    """CR-5: 绝密 out since before today; CR-8: taken to a residence and not back the same day."""
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    residence = Q(out_request__to_residence=True) | Q(out_request__destination__contains="住所")
    rows = list(
        Carrier.objects.filter(unit=unit, status__in=WITH_HOLDER, handed_out_at__lt=start)
        .filter(Q(level=Level.TOP_SECRET) | (Q(status=Status.TAKEN_OUT) & residence))
        .order_by("handed_out_at")
    )
    return _carrier_result(rows, "在外过夜", "无在外过夜的载体")


def top_secret_outside_safe(unit: Unit, today: date) -> CheckResult:
    rows = list(
        Carrier.objects.filter(unit=unit, level=Level.TOP_SECRET, status__in=AT_PLACE)
        .exclude(place__kind=PlaceKind.SAFE)
        .order_by("number", "copy_no")
    )
    return _carrier_result(rows, "绝密载体未存放于保险柜", "绝密载体均存放于保险柜")


def untrained(unit: Unit, today: date) -> CheckResult:
    from baomi.personnel.selectors import on_ledger

    since = today - timedelta(days=365)
    people = list(
        on_ledger(unit.pk, today).filter(active=True).exclude(trainings__on__gt=since).distinct()
    )
    if not people:
        return CheckResult(True, "系统核查：在岗涉密人员近12个月均有培训记录")
    names = [p.name for p in people]
    return CheckResult(
        False,
        f"系统核查：{len(people)} 名涉密人员近12个月无培训记录：{_listed(names)}",
        people=people,
    )


def closing_checks_missing(unit: Unit, today: date) -> CheckResult:
    from baomi.sites.models import KeySite
    from baomi.sites.selectors import missing_checks

    missing = missing_checks(KeySite.objects.filter(unit=unit), today)
    if not missing:
        return CheckResult(True, "系统核查：近一周要害部位每个工作日均有下班检查记录")
    labels = [f"{site.name} {day}" for site, day in missing]
    sites = list(dict.fromkeys(site for site, _ in missing))
    return CheckResult(
        False, f"系统核查：{len(missing)} 个工作日缺少下班检查：{_listed(labels)}", sites=sites
    )


def meeting_papers_out(unit: Unit, today: date) -> CheckResult:
    from baomi.meetings.choices import PaperRole
    from baomi.meetings.models import MeetingPaper

    papers = (
        MeetingPaper.objects.filter(
            meeting__unit=unit, role=PaperRole.PAPER, handed_out_at__isnull=False
        )
        .exclude(carrier__status__in=AT_PLACE)
        .filter(Q(meeting__closed_at__isnull=False) | Q(meeting__starts_at__date__lt=today))
        .select_related("carrier")
    )
    rows = [p.carrier for p in papers]
    return _carrier_result(rows, "会议文件未清退", "会后会议文件均已清退")


CHECKS = {
    AutoCheck.OVERDUE_LOANS: overdue_loans,
    AutoCheck.OUT_OVERNIGHT: out_overnight,
    AutoCheck.TOP_SECRET_OUTSIDE_SAFE: top_secret_outside_safe,
    AutoCheck.UNTRAINED: untrained,
    AutoCheck.CLOSING_CHECKS_MISSING: closing_checks_missing,
    AutoCheck.MEETING_PAPERS_OUT: meeting_papers_out,
}


def run_check(code: str, unit: Unit, today: date) -> CheckResult:
    return CHECKS[AutoCheck(code)](unit, today)
