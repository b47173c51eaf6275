"""Request tables: 申请 and 待我审批."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from baomi.approvals.choices import RequestStatus
from baomi.approvals.models import Request, step_states
from baomi.carriers.tables import marking_badge

STATUS_CSS = {
    "pending": "text-bg-warning",
    "approved": "text-bg-success",
    "rejected": "text-bg-danger",
    "withdrawn": "text-bg-secondary",
    "consumed": "text-bg-light border",
}


class RequestTable(tables.Table):
    id = tables.Column(verbose_name="编号")
    kind = tables.Column(verbose_name="类型")
    carriers = tables.Column(verbose_name="载体", empty_values=(), orderable=False)
    requester = tables.Column(verbose_name="申请人", order_by=("requester__name",))
    beneficiary = tables.Column(verbose_name="使用人", order_by=("beneficiary__name",))
    approver = tables.Column(verbose_name="审批人", empty_values=(), orderable=False)
    status = tables.Column(verbose_name="状态")
    due_date = tables.Column(verbose_name="期限")
    created_at = tables.DateTimeColumn(verbose_name="申请时间", format="Y-m-d H:i")

    class Meta:
        model = Request
        fields = ()
        sequence = (
            "id",
            "kind",
            "carriers",
            "requester",
            "beneficiary",
            "approver",
            "status",
            "due_date",
            "created_at",
        )
        attrs = {
            "class": "table table-sm table-hover table-dense align-middle request-table",
            "thead": {"hx-boost": "true", "hx-target": "#request-table", "hx-push-url": "true"},
        }
        row_attrs = {"data-request": lambda record: record.pk}
        empty_text = "没有申请。"

    hx_target = "#request-table"

    def render_id(self, record):
        return format_html(
            '<a href="{}">#{}</a>', reverse("approvals:detail", args=[record.pk]), record.pk
        )

    def render_kind(self, record):
        return record.get_kind_display()

    def render_carriers(self, record):
        items = [item.carrier for item in record.items.all()]
        return format_html_join(
            " ",
            '<span class="text-nowrap"><span class="carrier-number">{}</span> {}</span>',
            ((c.label, marking_badge(c.get_level_display(), c.level)) for c in items),
        )

    def render_requester(self, record):
        return record.requester.name

    def render_beneficiary(self, record):
        return record.beneficiary.name

    def render_approver(self, record):
        steps = step_states(record.steps.all(), open_request=record.status == RequestStatus.PENDING)
        if len(steps) == 1:
            step, state = steps[0]
            return format_html("{}（{}）", step.approver.name, state)
        # Two or more steps: their order, and which one the request waits for.
        return (
            format_html_join(
                " → ",
                '<span class="text-nowrap" data-step="{}">第{}步 {}（{}）</span>',
                ((s.order, s.order, s.approver.name, state) for s, state in steps),
            )
            or "—"
        )

    def render_status(self, record):
        return format_html(
            '<span class="badge {}" data-status="{}">{}</span>',
            STATUS_CSS.get(record.status, "text-bg-secondary"),
            record.status,
            record.get_status_display(),
        )
