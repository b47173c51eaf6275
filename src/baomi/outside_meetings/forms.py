"""Page forms for outside meetings: they only parse input; the actions decide (CR-2)."""

from __future__ import annotations

from django import forms

from baomi.carriers.choices import CarrierKind
from baomi.carriers.models import Place
from baomi.classification.choices import Level
from baomi.org.models import Department, Person
from baomi.web.forms import BootstrapMixin, DateInput

MEETING_LEVELS = [(lv.value, lv.label) for lv in Level if lv != Level.PUBLIC]
PAPER_KINDS = [
    (k.value, k.label)
    for k in (CarrierKind.MEETING_PAPER, CarrierKind.DOCUMENT, CarrierKind.NOTEBOOK)
] + [(k.value, k.label) for k in (CarrierKind.USB_DRIVE, CarrierKind.OPTICAL_DISC)]


class AttendanceForm(BootstrapMixin, forms.Form):
    meeting_title = forms.CharField(label="会议名称", max_length=200)
    organiser = forms.CharField(label="主办单位", max_length=200)
    held_on = forms.DateField(label="会议日期（结束日）", widget=DateInput())
    level = forms.ChoiceField(label="会议密级", choices=MEETING_LEVELS)
    note = forms.CharField(label="备注", max_length=500, required=False)


class PaperForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="文件标题", max_length=300)
    level = forms.ChoiceField(label="密级", choices=MEETING_LEVELS)
    kind = forms.ChoiceField(label="类型", choices=PAPER_KINDS, initial=CarrierKind.MEETING_PAPER)
    issuer = forms.CharField(label="制文机关（默认主办单位）", max_length=100, required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    original_copy_no = forms.CharField(label="原份号", max_length=32, required=False)
    pages = forms.IntegerField(label="页数/数量", min_value=1, max_value=100_000, initial=1)


class RegisterForm(BootstrapMixin, forms.Form):
    place = forms.ModelChoiceField(label="存放位置", queryset=Place.objects.none())
    scope_departments = forms.ModelMultipleChoiceField(
        label="知悉范围（部门，可选）", queryset=Department.objects.none(), required=False
    )
    scope_people = forms.ModelMultipleChoiceField(
        label="知悉范围（人员，可选）", queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(
            unit_id=person.unit_id, active=True
        ).order_by("name")
        self.fields["scope_departments"].queryset = Department.objects.filter(
            unit_id=person.unit_id
        ).order_by("name")
        self.fields["scope_people"].queryset = Person.objects.filter(
            unit_id=person.unit_id, is_automation=False, system_role="", active=True
        ).order_by("name")
