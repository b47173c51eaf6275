"""The console's lists (django-tables2, like the ledger and the audit trail)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from baomi.carriers.models import Place
from baomi.org.models import Person


class PeopleTable(tables.Table):
    name = tables.Column(
        verbose_name="姓名", linkify=lambda record: reverse("console:person_edit", args=[record.pk])
    )
    number = tables.Column(verbose_name="人员编号", empty_values=())
    unit = tables.Column(verbose_name="单位", accessor="unit__name", order_by="unit__name")
    department = tables.Column(
        verbose_name="部门", accessor="department__name", order_by="department__name", default="—"
    )
    post = tables.Column(verbose_name="职务/岗位", empty_values=())
    account = tables.Column(verbose_name="登录账号", accessor="user__username", default="—")
    active = tables.Column(verbose_name="状态")

    class Meta:
        model = Person
        fields = ()
        sequence = ("name", "number", "unit", "department", "post", "account", "active")
        attrs = {"class": "table table-sm table-hover align-middle console-table"}
        order_by = ("unit", "department", "name")
        empty_text = "没有符合条件的人员。"

    hx_target = None

    def render_number(self, record):
        return record.number or "—"

    def render_post(self, record):
        role = record.get_system_role_display() if record.system_role else ""
        return format_html("{}{}", record.post or "—", f"（{role}）" if role else "")

    def render_active(self, record):
        if record.active:
            return mark_safe('<span class="badge text-bg-success">在岗</span>')
        return mark_safe('<span class="badge text-bg-secondary">已停用</span>')


class PlacesTable(tables.Table):
    name = tables.Column(
        verbose_name="名称", linkify=lambda record: reverse("console:place_edit", args=[record.pk])
    )
    unit = tables.Column(verbose_name="单位", accessor="unit__name", order_by="unit__name")
    kind = tables.Column(verbose_name="类型")
    safe = tables.Column(verbose_name="保险柜", empty_values=(), orderable=False)
    active = tables.Column(verbose_name="状态")

    class Meta:
        model = Place
        fields = ()
        sequence = ("name", "unit", "kind", "safe", "active")
        attrs = {"class": "table table-sm table-hover align-middle console-table"}
        order_by = ("unit", "name")
        empty_text = "没有符合条件的存放位置。"

    hx_target = None

    def render_safe(self, record):
        if record.is_safe:
            return mark_safe(
                '<span class="badge text-bg-warning" title="可存放绝密（CR-15）">是</span>'
            )
        return "否"

    def render_active(self, record):
        if record.active:
            return mark_safe('<span class="badge text-bg-success">在用</span>')
        return mark_safe('<span class="badge text-bg-secondary">已撤销</span>')
