"""Filters of the audit trail page."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from baomi.audit.events import event_types_labelled
from baomi.audit.models import AuditEvent, Outcome
from baomi.org.models import Unit
from baomi.web.forms import DateInput


class AuditFilter(django_filters.FilterSet):
    # Typed as the user reads it (借出, 销毁) or as the code (carrier.lend).
    event_type = django_filters.CharFilter(label="事件", method="filter_event_type")
    outcome = django_filters.ChoiceFilter(
        label="结果", choices=Outcome.choices, empty_label="全部结果"
    )
    rule_id = django_filters.CharFilter(label="规则", lookup_expr="iexact")
    actor_name = django_filters.CharFilter(label="操作人", lookup_expr="icontains")
    object_text = django_filters.CharFilter(label="对象", lookup_expr="icontains")
    correlation_id = django_filters.CharFilter(label="关联号", lookup_expr="exact")
    # One log per deployment (a province is one log): the auditor reads it unit by unit.
    unit_id = django_filters.ModelChoiceFilter(
        label="单位",
        field_name="unit_id",
        queryset=Unit.objects.order_by("pk"),
        empty_label="全部单位",
        method="filter_unit",
    )
    sealed = django_filters.ChoiceFilter(
        label="封存",
        choices=(("yes", "已封存"), ("no", "待封存")),
        empty_label="全部",
        method="filter_sealed",
    )
    since = django_filters.DateFilter(
        label="起始日期", field_name="at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label="截止日期", field_name="at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = AuditEvent
        fields = [
            "event_type",
            "outcome",
            "rule_id",
            "actor_name",
            "object_text",
            "correlation_id",
            "unit_id",
            "sealed",
            "since",
            "until",
        ]

    def filter_event_type(self, queryset, name, value):
        codes = event_types_labelled(value)
        return queryset.filter(Q(event_type__icontains=value.strip()) | Q(event_type__in=codes))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit_id=value.pk) if value else queryset

    def filter_sealed(self, queryset, name, value):
        return queryset.filter(leaf__isnull=value == "no") if value else queryset
