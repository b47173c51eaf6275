"""Filters of the request lists."""

from __future__ import annotations

import django_filters

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=RequestStatus.choices, empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        label="类型", choices=RequestKind.choices, empty_label="全部类型"
    )

    class Meta:
        model = Request
        fields = ["status", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
