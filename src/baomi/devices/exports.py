"""Each device ledger as xlsx and PDF in the official columns (DEV-1, DEV-7), with the level
banner of its highest-level device (SEC-5)."""

from __future__ import annotations

from baomi.carriers.exports import marked_by_level
from baomi.devices.choices import Ledger
from baomi.lib.exports import TableExport

# The official columns of the 台帐, in the order the forms print them.
COLUMNS = (
    ("单位", 18, lambda d: d.unit.name),
    ("部门", 12, lambda d: d.department.name if d.department_id else ""),
    ("设备类型", 12, lambda d: d.get_kind_display()),
    ("品牌", 10, lambda d: d.brand),
    ("型号", 14, lambda d: d.model),
    ("序列号", 16, lambda d: d.serial),
    ("硬盘序列号", 16, lambda d: d.disk_serial),
    ("MAC地址", 18, lambda d: d.mac),
    ("密级", 8, lambda d: d.level_display),
    ("保密编号", 18, lambda d: d.number),
    ("责任人", 10, lambda d: d.responsible.name if d.responsible_id else ""),
    ("放置地点", 16, lambda d: d.location),
    ("联网情况", 10, lambda d: d.get_network_display() if d.network else ""),
    ("使用情况", 10, lambda d: d.get_status_display()),
    ("启用日期", 12, lambda d: d.commissioned_on),
)
HEADERS = [header for header, _, _ in COLUMNS]


def _export(ledger: Ledger) -> TableExport:
    return TableExport(
        title=str(ledger.label),
        event_type="device.export",
        filename=f"devices-{ledger.value}",
        columns=COLUMNS,
        mark=marked_by_level(lambda d: [d.carrier] if d.carrier_id else [], code=lambda c: c.label),
        noun="台（件）",
    )


LEDGER_EXPORTS = {ledger: _export(ledger) for ledger in Ledger}
