"""Rule checks shared by several carrier actions; each raises RuleViolation with its rule id."""

from __future__ import annotations

from datetime import date, timedelta

from baomi.carriers.choices import SAFE_ONLY_KINDS, PlaceKind, Status
from baomi.carriers.models import Carrier, Place
from baomi.carriers.policies import in_scope, is_clerk_of
from baomi.classification.choices import Level
from baomi.lib import clock
from baomi.lib.errors import Forbidden, Invalid, RuleViolation
from baomi.org.models import Person


def today() -> date:
    return clock.today()


def require_clerk(actor: Person, unit_id: int, doing: str) -> None:
    if not is_clerk_of(actor, unit_id):
        raise Forbidden(f"只有本单位保密员可以{doing}。")


def require_may_hold(person: Person, carrier: Carrier, *, scoped: bool | None = None) -> None:
    """PER-1 and CR-4: level covered, and inside the 知悉范围. `scoped` answers the scope
    question for a carrier not saved yet (the ledger import checks before it writes)."""
    if person.has_system_role:
        raise RuleViolation(
            "SEC-3",
            f"{person.name}是{person.get_system_role_display()}，三员不得接触涉密载体（SEC-3）。",
        )
    if not person.active:
        raise RuleViolation("PER-1", f"{person.name}已不在涉密岗位，不能持有涉密载体（PER-1）。")
    if not person.covers(carrier.level):
        raise RuleViolation(
            "PER-1",
            f"{person.name}的涉密等级为“{person.get_clearance_display()}”，不能接触"
            f"{carrier.get_level_display()}载体 {carrier.label}（PER-1：涉密等级须覆盖载体密级）。",
        )
    protected = carrier.protection_level
    if not person.covers(protected):
        raise RuleViolation(
            "CL-12",
            f"载体 {carrier.label} 的密级有争议，待确定前按所主张的最高密级"
            f"“{Level(protected).label}”保护；{person.name}的涉密等级为"
            f"“{person.get_clearance_display()}”，不能接触（CL-12：争议期间按最高密级保护）。",
        )
    if not (in_scope(person, carrier) if scoped is None else scoped):
        raise RuleViolation(
            "CR-4",
            f"{person.name}不在载体 {carrier.label} 的知悉范围内（CR-4：只能在知悉范围内传阅，"
            "不该知道的不知道）。",
        )


def require_registered(carrier: Carrier, doing: str) -> None:
    """CR-2: a paper brought back from a meeting elsewhere is registered with the office before
    it is used — while it is only declared (已申报), nothing may be done with it but register it."""
    if carrier.status == Status.DECLARED:
        raise RuleViolation(
            "CR-2",
            f"载体 {carrier.label} 是外出会议带回、已申报但尚未由保密员登记的文件，登记前不得"
            f"{doing}（CR-2：带回的会议文件须先交保密员登记后方可使用）。",
            {"status": carrier.status, "holder": carrier.holder.name if carrier.holder else ""},
        )


def require_storable(carrier: Carrier, place: Place) -> None:
    """CR-15: 绝密 and 密码电报 only in a safe; the place must belong to the carrier's unit."""
    if place.unit_id != carrier.unit_id:
        raise Invalid("存放位置不属于本单位。", {"place": ["存放位置不属于本单位"]})
    if not place.active:
        raise Invalid(f"“{place.name}”已撤销，不能存放载体。", {"place": ["存放位置已撤销"]})
    top = Level.TOP_SECRET in (carrier.level, carrier.protection_level)  # CL-12: as claimed
    safe_only = top or carrier.kind in SAFE_ONLY_KINDS
    if safe_only and place.kind != PlaceKind.SAFE:
        raise RuleViolation(
            "CR-15",
            f"{carrier.get_level_display()}{carrier.get_kind_display()}必须存放在保险柜，"
            f"“{place.name}”不是保险柜（CR-15：绝密载体、密码电报须存放于保险柜）。",
        )


def latest_due(carrier: Carrier) -> date:
    """CR-17: the unit's longest stay with a person for this level (绝密: the same day)."""
    return today() + timedelta(days=carrier.unit.loan_limit_days(carrier.level))


def check_due(carrier: Carrier, due: date | None) -> date:
    """A due date between today and the unit's limit; defaults to the limit."""
    limit = latest_due(carrier)
    if due is None:
        return limit
    if due < today():
        raise Invalid("归还日期不能早于今天。", {"due_date": ["归还日期不能早于今天"]})
    if due > limit:
        if carrier.level == Level.TOP_SECRET:
            raise RuleViolation(
                "CR-5",
                f"绝密载体 {carrier.label} 须随阅随退、当日归还，归还日期不能晚于 {limit}（CR-5）。",
            )
        raise RuleViolation(
            "CR-17",
            f"载体 {carrier.label} 在个人手中最长至 {limit}（CR-17：个人不得长期保存涉密载体，"
            f"本单位{carrier.get_level_display()}载体上限 {carrier.unit.loan_limit_days(carrier.level)} 天）。",
        )
    return due
