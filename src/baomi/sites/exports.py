"""The key-place ledgers as xlsx and PDF in the registers' columns: 要害部门部位登记表, 来访登记簿,
钥匙登记表, 下班安全检查记录. Marked with the highest 涉密程度 of the places on them (SEC-5)."""

from __future__ import annotations

from baomi.carriers.exports import marked_by_level
from baomi.lib.exports import TableExport

SITES = TableExport(
    title="要害部门部位登记表",
    event_type="site.export",
    filename="key-sites",
    columns=(
        ("名称", 16, lambda s: s.name),
        ("类别", 10, lambda s: s.get_kind_display()),
        ("涉密程度", 8, lambda s: s.get_level_display()),
        ("所属部门", 12, lambda s: s.department.name if s.department_id else ""),
        ("位置", 16, lambda s: s.location),
        ("责任人", 10, lambda s: s.responsible.name),
        ("工作人员", 20, lambda s: "、".join(p.name for p in s.staff.all())),
        ("防护设施", 20, lambda s: "、".join(s.facilities)),
        ("保险柜、文件柜", 20, lambda s: "、".join(p.name for p in s.places.all())),
        ("状态", 6, lambda s: "在用" if s.active else "停用"),
    ),
    mark=marked_by_level(lambda s: [s]),
    noun="处",
)

VISITS = TableExport(
    title="要害部位来访登记簿",
    event_type="visit.export",
    filename="visits",
    columns=(
        ("要害部位", 14, lambda v: v.site.name),
        ("来访人", 10, lambda v: v.visitor_name),
        ("来访单位", 16, lambda v: v.organisation),
        ("证件类型", 10, lambda v: v.get_id_kind_display()),
        ("证件号码", 20, lambda v: v.id_number_masked),
        ("已核验", 6, lambda v: v.id_checked),
        ("事由", 20, lambda v: v.purpose),
        ("接待人", 10, lambda v: v.host.name),
        ("陪同人", 10, lambda v: v.escort.name),
        ("进入时间", 17, lambda v: v.entered_at),
        ("离开时间", 17, lambda v: v.left_at),
    ),
    mark=marked_by_level(lambda v: [v.site]),
    noun="人次",
)

KEYS = TableExport(
    title="钥匙登记表",
    event_type="key.export",
    filename="keys",
    columns=(
        ("要害部位", 14, lambda k: k.site.name),
        ("钥匙名称", 16, lambda k: k.name),
        ("类别", 10, lambda k: k.get_kind_display()),
        ("对应柜", 14, lambda k: k.place.name if k.place_id else ""),
        ("保管人", 10, lambda k: k.holder.name if k.holder_id else ""),
        ("把数", 6, lambda k: k.copies),
        ("状态", 8, lambda k: "丢失" if k.lost else ("停用" if k.retired else "在用")),
    ),
    mark=marked_by_level(lambda k: [k.site]),
    noun="把",
)

CHECKS = TableExport(
    title="下班安全检查记录",
    event_type="closing_check.export",
    filename="closing-checks",
    columns=(
        ("日期", 11, lambda c: c.day),
        ("要害部位", 14, lambda c: c.site.name),
        ("类别", 12, lambda c: c.get_kind_display() + (f"（{c.holiday}）" if c.holiday else "")),
        ("电源", 6, lambda c: c.power_off),
        ("报警", 6, lambda c: c.alarm_on),
        ("门窗", 6, lambda c: c.windows_closed),
        ("铁门", 6, lambda c: c.doors_locked),
        ("保险柜", 6, lambda c: c.safes_locked),
        ("检查人", 10, lambda c: c.checked_by.name),
        ("检查时间", 17, lambda c: c.checked_at),
        ("问题说明", 24, lambda c: c.note),
    ),
    mark=marked_by_level(lambda c: [c.site]),
    noun="次",
)
