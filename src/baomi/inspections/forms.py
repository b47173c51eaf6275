"""Page forms of inspections: they only parse input; the actions decide (INS-1, INS-2)."""

from __future__ import annotations

from django import forms

from baomi.inspections.actions import templates_for
from baomi.inspections.choices import Holiday, InspectionKind, Severity
from baomi.org.models import Person, Unit
from baomi.personnel.selectors import units_supervised_by
from baomi.web.forms import BootstrapMixin


def people_of(unit_id: int):
    return Person.objects.filter(
        unit_id=unit_id, is_automation=False, system_role="", active=True
    ).order_by("name")


class PlanForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=InspectionKind.choices)
    holiday = forms.ChoiceField(
        label="节日", choices=[("", "（不选）"), *Holiday.choices], required=False
    )
    unit = forms.ModelChoiceField(label="被检查单位", queryset=Unit.objects.none())
    planned_on = forms.DateField(label="计划日期", widget=forms.DateInput(attrs={"type": "date"}))
    leader = forms.ModelChoiceField(label="检查组长", queryset=Person.objects.none())
    template = forms.ModelChoiceField(label="检查表", queryset=None, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [person.unit_id, *(u.pk for u in units_supervised_by(person))]
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=ids).order_by("code")
        self.fields["unit"].initial = person.unit_id
        self.fields["leader"].queryset = people_of(person.unit_id)
        self.fields["template"].queryset = templates_for(person.unit_id)


class FindingForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices)
    rule_id = forms.CharField(label="规则编号", max_length=16, required=False)
    person = forms.ModelChoiceField(label="涉及人员", queryset=None, required=False)
    carrier_number = forms.CharField(label="涉及载体（编号-份号）", max_length=40, required=False)
    evidence = forms.FileField(label="证据材料", required=False)

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of(unit_id)


class AssignForm(BootstrapMixin, forms.Form):
    content = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label="整改责任人", queryset=None)
    deadline = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(unit_id)
