"""The ledger's filters (design.md Pages: every list has filters and search)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Q

from baomi.carriers.choices import WITH_HOLDER, CarrierKind, Status
from baomi.carriers.models import Carrier
from baomi.carriers.rules import today
from baomi.carriers.search import in_scope_of_department, matching
from baomi.classification.choices import Level
from baomi.org.models import Department, Person

# 2026-0001234-03 (a label) or 2026-0001234 (a number): the scanner types these.
LABEL_RE = re.compile(r"^(?P<number>\d{4}-\d{7})-(?P<copy>\d{1,3})$")


# Past this many people the holder filter is typed, not picked from a list.
HOLDER_SELECT_LIMIT = 300


class CarrierFilter(django_filters.FilterSet):
    substring_search = False

    q = django_filters.CharFilter(
        label="搜索",
        method="search",
        widget=forms.TextInput(attrs={"placeholder": "统一编号 / 标题 / 文号", "type": "search"}),
    )
    level = django_filters.ChoiceFilter(label="密级", choices=Level.choices, empty_label="全部密级")
    status = django_filters.ChoiceFilter(
        label="状态", choices=Status.choices, empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        label="载体类型", choices=CarrierKind.choices, empty_label="全部类型"
    )
    department = django_filters.ModelChoiceFilter(
        label="知悉范围（部门）",
        queryset=Department.objects.none(),
        method="in_department",
        empty_label="全部部门",
    )
    holder = django_filters.ModelChoiceFilter(
        label="持有人", queryset=Person.objects.none(), empty_label="全部持有人"
    )
    overdue = django_filters.BooleanFilter(
        label="仅看逾期",
        method="only_overdue",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Carrier
        fields = ["q", "level", "status", "kind", "department", "holder", "overdue"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        person = getattr(request, "person", None)
        unit_id = person.unit_id if person else None
        self.filters["department"].queryset = Department.objects.filter(unit_id=unit_id)
        people = Person.objects.filter(unit_id=unit_id, system_role="", is_automation=False)
        if people.order_by()[: HOLDER_SELECT_LIMIT + 1].count() > HOLDER_SELECT_LIMIT:
            # A unit of thousands: a picker of every person was most of the page's weight and
            # time; the clerk types the holder's name or 人员编号 instead.
            self.filters["holder"] = django_filters.CharFilter(
                label="持有人",
                method="held_by",
                widget=forms.TextInput(attrs={"placeholder": "持有人姓名或人员编号"}),
            )
            self.form.fields["holder"] = self.filters["holder"].field
        else:
            self.filters["holder"].queryset = people.order_by("department_id", "name")
        for name, field in self.form.fields.items():
            if name == "overdue":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-select-sm form-control-sm"

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        label = LABEL_RE.match(value)
        if label:
            return queryset.filter(number=label["number"], copy_no=int(label["copy"]))
        # The ledger page reads a substring search's matches once for its count and its page.
        self.substring_search = True
        return matching(queryset, value)

    def in_department(self, queryset, name, value):
        # EXISTS, not a join: a join on the M2M would repeat rows (and a semi-join is slow).
        if value is None:
            return queryset
        return in_scope_of_department(queryset, value.pk)

    def held_by(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(holder__name=value) | Q(holder__number=value))

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=WITH_HOLDER, due_date__lt=today())
