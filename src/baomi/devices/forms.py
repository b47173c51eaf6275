"""Forms of the device pages: the ledger entry (official columns) and the check upload."""

from __future__ import annotations

from django import forms

from baomi.carriers.models import Place
from baomi.devices.choices import DeviceKind, DeviceStatus, Network
from baomi.org.models import Department, Person
from baomi.web.forms import BootstrapMixin, DateInput

LEVEL_CHOICES = [
    ("", "非涉密"),
    ("confidential", "秘密"),
    ("secret", "机密"),
    ("top_secret", "绝密"),
]


def _people(person: Person):
    return Person.objects.filter(
        unit_id=person.unit_id, active=True, is_automation=False, system_role=""
    ).order_by("name")


class DeviceForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="设备类型", choices=DeviceKind.choices)
    level = forms.ChoiceField(label="密级", choices=LEVEL_CHOICES, required=False)
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.none(), required=False
    )
    brand = forms.CharField(label="品牌", max_length=100, required=False)
    model = forms.CharField(label="型号", max_length=100, required=False)
    serial = forms.CharField(label="序列号", max_length=100, required=False)
    disk_serial = forms.CharField(label="硬盘序列号", max_length=100, required=False)
    mac = forms.CharField(label="MAC地址", max_length=64, required=False)
    responsible = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), required=False
    )
    location = forms.CharField(label="放置地点", max_length=200, required=False)
    network = forms.ChoiceField(
        label="联网情况", choices=[("", "（无）"), *Network.choices], required=False
    )
    status = forms.ChoiceField(label="使用情况", choices=DeviceStatus.choices)
    commissioned_on = forms.DateField(label="启用日期", required=False, widget=DateInput())
    asset_number = forms.CharField(label="设备编号（非涉密）", max_length=64, required=False)
    place = forms.ModelChoiceField(
        label="存放位置（涉密）", queryset=Place.objects.none(), required=False
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit_id=person.unit_id)
        self.fields["responsible"].queryset = _people(person)
        self.fields["place"].queryset = Place.objects.filter(unit_id=person.unit_id, active=True)


class CheckUploadForm(BootstrapMixin, forms.Form):
    report = forms.FileField(label="检查报告（baomi scan --out 生成的 JSON 文件）")
    carried_on = forms.CharField(label="带回所用介质", max_length=100, required=False)


class NetworkForm(BootstrapMixin, forms.Form):
    network = forms.ChoiceField(label="联网情况", choices=Network.choices)
