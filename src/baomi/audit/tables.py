"""The audit trail table (SEC-4): no classified text is in it, so the auditor reads all of it."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from baomi.audit.models import AuditEvent

OUTCOME_CSS = {"done": "text-bg-success", "refused": "text-bg-danger", "read": "text-bg-info"}


class AuditTable(tables.Table):
    seq = tables.Column(verbose_name="序号", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s")
    actor_name = tables.Column(verbose_name="操作人")
    event_type = tables.Column(verbose_name="事件")
    outcome = tables.Column(verbose_name="结果")
    rule_id = tables.Column(verbose_name="规则", empty_values=())
    object_text = tables.Column(verbose_name="对象", empty_values=())
    message = tables.Column(verbose_name="说明", empty_values=(), orderable=False)
    correlation_id = tables.Column(verbose_name="关联号", empty_values=())
    leaf = tables.Column(
        verbose_name="封存", accessor="leaf__index", empty_values=(), order_by=("leaf__index",)
    )

    class Meta:
        model = AuditEvent
        fields = ()
        sequence = (
            "seq",
            "at",
            "actor_name",
            "event_type",
            "outcome",
            "rule_id",
            "object_text",
            "message",
            "correlation_id",
            "leaf",
        )
        attrs = {
            "class": "table table-sm table-hover table-dense align-middle audit-table",
            "thead": {"hx-boost": "true", "hx-target": "#audit-table", "hx-push-url": "true"},
        }
        # Stable hooks for scripts and browser tests: the row's event type and actor.
        row_attrs = {
            "data-seq": lambda record: record.seq,
            "data-event": lambda record: record.event_type,
            "data-actor": lambda record: record.actor_name,
        }
        order_by = ("-seq",)
        empty_text = "没有符合条件的审计记录。"

    hx_target = "#audit-table"

    def render_outcome(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            OUTCOME_CSS.get(record.outcome, "text-bg-secondary"),
            record.get_outcome_display(),
        )

    def render_event_type(self, record):
        # The Chinese name on the page; the code stays reachable as a tooltip for the auditor.
        return format_html('<span title="{}">{}</span>', record.event_type, record.event_label)

    def render_rule_id(self, record):
        return record.rule_id or "—"

    def render_object_text(self, record):
        return record.object_text or "—"

    def render_message(self, record):
        return record.message or ""

    def render_correlation_id(self, record):
        value = record.correlation_id or ""
        return format_html('<code title="{}">{}</code>', value, value[:12]) if value else "—"

    def render_leaf(self, record):
        """The leaf index once sealed; 待封存 until the sequencer has given it one (SEC-4)."""
        index = getattr(getattr(record, "leaf", None), "index", None)
        if index is None:
            return mark_safe('<span class="badge text-bg-warning" data-sealed="no">待封存</span>')
        return format_html(
            '<a href="{}?event={}" data-sealed="yes" title="包含证明">#{}</a>',
            reverse("audit:proof"),
            record.pk,
            index,
        )
