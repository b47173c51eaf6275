"""Rule checks shared by the device actions; each raises RuleViolation with its rule id."""

from __future__ import annotations

from baomi.classification.choices import LEVEL_RANK, Level, is_state_secret
from baomi.devices.choices import ORDINARY_NETWORKS, Network
from baomi.lib.errors import Invalid, RuleViolation
from baomi.org.models import Person


def is_classified(level: str) -> bool:
    return bool(level) and is_state_secret(level)


def require_isolated(level: str, network: str, what: str) -> None:
    """DEV-2 物理隔离: a classified computer never sits on the internet or an ordinary network."""
    if network and network not in Network.values:
        raise Invalid("联网情况无效。", {"network": ["联网情况无效"]})
    if is_classified(level) and network in ORDINARY_NETWORKS:
        raise RuleViolation(
            "DEV-2",
            f"{Level(level).label}{what}不得接入{Network(network).label}"
            "（DEV-2：涉密计算机与互联网及其他公共信息网络物理隔离）。",
            {"field": "network"},
        )


def require_responsible(person: Person | None, level: str, what: str) -> None:
    """DEV-2 专人专管: the 责任人 is an active person cleared for the device's level."""
    if person is None:
        if is_classified(level):
            raise RuleViolation(
                "DEV-2", f"涉密{what}须确定一名责任人（DEV-2：一人一机、专人专管）。"
            )
        return
    if person.has_system_role:
        raise RuleViolation(
            "SEC-3",
            f"{person.name}是{person.get_system_role_display()}，不能担任设备责任人（SEC-3）。",
        )
    if not person.active:
        raise RuleViolation("DEV-2", f"{person.name}已不在岗，不能担任设备责任人（DEV-2）。")
    if is_classified(level) and not person.covers(level):
        raise RuleViolation(
            "DEV-2",
            f"{person.name}的涉密等级为“{person.get_clearance_display()}”，不能担任"
            f"{Level(level).label}{what}的责任人（DEV-2、PER-1：责任人的涉密等级须覆盖设备密级）。",
            {"field": "responsible"},
        )


def require_medium_fits(medium, computer) -> None:
    """DEV-3: classified media only on classified computers (of at least their level);
    non-classified media never on a classified computer."""
    if medium.classified and not computer.classified:
        raise RuleViolation(
            "DEV-3",
            f"涉密存储介质 {medium.number} 不得在非涉密计算机 {computer.number} 上使用"
            "（DEV-3：涉密介质只能在涉密计算机上使用）。",
        )
    if not medium.classified and computer.classified:
        raise RuleViolation(
            "DEV-3",
            f"非涉密存储介质 {medium.number} 不得接入涉密计算机 {computer.number}"
            "（DEV-3：非涉密介质不得存储处理涉密信息）。",
        )
    if medium.classified and LEVEL_RANK[Level(medium.level)] > LEVEL_RANK[Level(computer.level)]:
        raise RuleViolation(
            "DEV-3",
            f"{medium.get_level_display()}介质 {medium.number} 不得在"
            f"{computer.get_level_display()}计算机 {computer.number} 上使用（DEV-3：高密级信息"
            "不得在低密级计算机上处理）。",
        )
