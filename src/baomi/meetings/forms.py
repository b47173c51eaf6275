"""Page forms of meetings: they only parse input; the actions decide (MTG-1…3)."""

from __future__ import annotations

from django import forms

from baomi.carriers.models import Place
from baomi.classification.choices import STATE_SECRET_LEVELS, Level
from baomi.org.models import Person
from baomi.web.forms import BootstrapMixin, DateInput

LEVEL_CHOICES = [(lv.value, lv.label) for lv in Level if lv in STATE_SECRET_LEVELS]


def unit_people(person: Person):
    return Person.objects.filter(
        unit_id=person.unit_id, is_automation=False, system_role="", active=True
    ).order_by("name")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MeetingForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="会议名称", max_length=200)
    level = forms.ChoiceField(label="密级", choices=LEVEL_CHOICES)
    venue = forms.CharField(label="会议地点", max_length=200)
    starts_at = forms.DateTimeField(label="开始时间", widget=DateTimeInput())
    ends_at = forms.DateTimeField(label="结束时间", widget=DateTimeInput(), required=False)
    organiser = forms.ModelChoiceField(label="组织者", queryset=Person.objects.none())

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = unit_people(person)


class PeopleForm(BootstrapMixin, forms.Form):
    people = forms.ModelMultipleChoiceField(label="人员", queryset=Person.objects.none())

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = unit_people(person)


class ApproverForm(BootstrapMixin, forms.Form):
    approver = forms.ModelChoiceField(label="审批人", queryset=Person.objects.none())
    reason = forms.CharField(label="事由", max_length=500, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = unit_people(person).exclude(pk=person.pk)


class ChecklistForm(BootstrapMixin, forms.Form):
    equipment_checked = forms.BooleanField(label="录音录像及扩音设备已检查", required=False)
    no_wireless_mics = forms.BooleanField(label="未使用无线话筒", required=False)
    phones_collected = forms.BooleanField(label="手机等通信设备已收存", required=False)
    attendees_briefed = forms.BooleanField(label="已向参会人员提出保密要求", required=False)
    not_to_record = forms.CharField(label="不得记录、录音的内容", max_length=500, required=False)


class PaperForm(BootstrapMixin, forms.Form):
    """会议文件 (收文) — the common case; produced papers go through the API or 登记 page."""

    title = forms.CharField(label="文件标题", max_length=300)
    level = forms.ChoiceField(label="密级", choices=LEVEL_CHOICES)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=500)
    issuer = forms.CharField(label="制文机关", max_length=100)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    doc_date = forms.DateField(label="成文日期", widget=DateInput())
    place = forms.ModelChoiceField(label="会后存放位置", queryset=Place.objects.none())

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(unit_id=person.unit_id).order_by(
            "name"
        )
