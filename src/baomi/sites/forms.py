"""Page forms of the key places: they only parse input; the actions decide (SITE-1…4)."""

from __future__ import annotations

from django import forms

from baomi.carriers.models import Place
from baomi.classification.choices import Level
from baomi.org.models import Department, Person
from baomi.sites.choices import CHECK_ITEMS, IdKind, KeyKind, SiteKind
from baomi.web.forms import BootstrapMixin

LEVELS = [(lv.value, lv.label) for lv in Level if lv != Level.PUBLIC]


def unit_people(person: Person):
    return Person.objects.filter(
        unit_id=person.unit_id, is_automation=False, system_role="", active=True
    ).order_by("name")


class SiteForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=SiteKind.choices)
    level = forms.ChoiceField(label="涉密程度", choices=LEVELS)
    department = forms.ModelChoiceField(
        label="所属部门", queryset=Department.objects.none(), required=False
    )
    location = forms.CharField(label="位置", max_length=200, required=False)
    responsible = forms.ModelChoiceField(label="责任人", queryset=Person.objects.none())
    staff = forms.ModelMultipleChoiceField(
        label="工作人员", queryset=Person.objects.none(), required=False
    )
    places = forms.ModelMultipleChoiceField(
        label="保险柜、文件柜", queryset=Place.objects.none(), required=False
    )
    iron_door = forms.BooleanField(label="铁门", required=False)
    iron_window = forms.BooleanField(label="铁窗（防盗窗）", required=False)
    safe = forms.BooleanField(label="保险柜", required=False)
    alarm = forms.BooleanField(label="报警装置", required=False)
    cctv = forms.BooleanField(label="视频监控", required=False)
    fire_protection = forms.BooleanField(label="消防设施", required=False)
    facilities_note = forms.CharField(label="设施说明", max_length=500, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit_id=person.unit_id)
        self.fields["responsible"].queryset = unit_people(person)
        self.fields["staff"].queryset = unit_people(person)
        self.fields["places"].queryset = Place.objects.filter(unit_id=person.unit_id).order_by(
            "name"
        )


class VisitForm(BootstrapMixin, forms.Form):
    site = forms.ModelChoiceField(label="要害部位", queryset=None)
    visitor_name = forms.CharField(label="来访人", max_length=50)
    organisation = forms.CharField(label="来访单位", max_length=100)
    id_kind = forms.ChoiceField(label="证件类型", choices=IdKind.choices)
    id_number = forms.CharField(label="证件号码", max_length=40)
    id_checked = forms.BooleanField(label="已核验身份证件", required=False)
    purpose = forms.CharField(label="事由", max_length=200)
    host = forms.ModelChoiceField(label="接待人", queryset=Person.objects.none())
    escort = forms.ModelChoiceField(label="陪同人", queryset=Person.objects.none(), required=False)

    def __init__(self, *args, person: Person, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["host"].queryset = unit_people(person)
        self.fields["escort"].queryset = unit_people(person)


class KeyForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="钥匙名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=KeyKind.choices)
    holder = forms.ModelChoiceField(label="保管人", queryset=Person.objects.none())
    place = forms.ModelChoiceField(
        label="对应保险柜/文件柜", queryset=Place.objects.none(), required=False
    )
    copies = forms.IntegerField(label="把数", min_value=1, max_value=20, initial=1)

    def __init__(self, *args, person: Person, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = unit_people(person)
        self.fields["place"].queryset = site.places.all()


class HandOverForm(BootstrapMixin, forms.Form):
    key = forms.ModelChoiceField(label="钥匙", queryset=None)
    receiver = forms.ModelChoiceField(label="接收人", queryset=Person.objects.none())
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, person: Person, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].queryset = site.keys.filter(lost=False, retired=False)
        self.fields["receiver"].queryset = unit_people(person)


class ClosingCheckForm(forms.Form):
    """The door terminal's form: five toggles, a note only when something is not in order."""

    power_off = forms.BooleanField(required=False)
    alarm_on = forms.BooleanField(required=False)
    windows_closed = forms.BooleanField(required=False)
    doors_locked = forms.BooleanField(required=False)
    safes_locked = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("daily", "每日"), ("holiday", "节假日前")], required=False)
    holiday = forms.CharField(max_length=50, required=False)
    note = forms.CharField(max_length=500, required=False)

    ITEMS = CHECK_ITEMS
