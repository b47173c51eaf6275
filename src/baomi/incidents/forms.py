"""Page forms of the incident workflow (INC-1, INC-2). They parse; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from baomi.carriers.models import Carrier
from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import Level
from baomi.incidents.choices import EntryKind, IncidentKind
from baomi.incidents.models import EmergencyPlan
from baomi.lib.errors import Invalid
from baomi.org.models import Person
from baomi.web.forms import BootstrapMixin, DateInput

REPORTABLE_LEVELS = [(v, label) for v, label in Level.choices if v != Level.PUBLIC]
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _people(unit_id: int):
    return Person.objects.filter(unit_id=unit_id, active=True, is_automation=False).order_by("name")


def carriers_by_label(person: Person, text: str, field: str = "carrier_labels") -> list[Carrier]:
    """Carrier numbers typed or scanned one per line (2026-0001234-03), among those the person
    may see; an unknown number is a field error naming it (never whether it exists)."""
    found, unknown = [], []
    visible = carriers_visible_to(person)
    for raw in dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()):
        number, _, copy_no = raw.rpartition("-")
        carrier = (
            visible.filter(number=number, copy_no=int(copy_no)).first()
            if number and copy_no.isdigit() and len(copy_no) < 6
            else None
        )
        (found if carrier else unknown).append(carrier or raw[:40])
    if unknown:
        raise Invalid("载体编号有误。", {field: [f"没有载体 {u}，或您无权查看" for u in unknown]})
    return found


class IncidentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="事件类型", choices=IncidentKind.choices)
    summary = forms.CharField(label="事件概要", max_length=500)
    level = forms.ChoiceField(label="涉及密级", choices=REPORTABLE_LEVELS)
    discovered_at = forms.DateTimeField(
        label="发现时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    discovered_where = forms.CharField(label="发现地点", max_length=200)
    discovered_by = forms.ModelChoiceField(label="发现人", queryset=Person.objects.none())
    carrier_labels = forms.CharField(
        label="丢失或涉及的载体",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个编号，如 2026-0001234-03；丢失事件中这些载体随即报失（须为持有人或保密员）",
    )
    information = forms.CharField(
        label="涉及的信息", required=False, max_length=5000, widget=TEXTAREA
    )
    how = forms.CharField(label="事件经过", required=False, max_length=5000, widget=TEXTAREA)
    harm = forms.CharField(label="危害及后果", required=False, max_length=5000, widget=TEXTAREA)
    remedies = forms.CharField(
        label="已采取的补救措施", required=False, max_length=5000, widget=TEXTAREA
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discovered_by"].queryset = _people(person.unit_id)
        self.initial.setdefault("discovered_by", person.pk)
        self.initial.setdefault("discovered_at", timezone.localtime().replace(second=0))


class AuthorityReportForm(BootstrapMixin, forms.Form):
    reference = forms.CharField(label="上报文号或方式", max_length=200)


class LinkCarriersForm(BootstrapMixin, forms.Form):
    carrier_labels = forms.CharField(
        label="载体编号", widget=forms.Textarea(attrs={"rows": 2}), help_text="每行一个编号"
    )


class EntryForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[(k, EntryKind(k).label) for k in (EntryKind.NOTE, EntryKind.REMEDY)]
    )
    text = forms.CharField(label="内容", max_length=5000, widget=TEXTAREA)


class ConfirmForm(BootstrapMixin, forms.Form):
    still_missing = forms.ModelMultipleChoiceField(
        label="复查后仍未找到的载体",
        queryset=Carrier.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选的载体随即报失；未勾选的记为复查已找到，仍保留在事件中",
    )
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        listed = incident.carriers.order_by("number", "copy_no")
        self.fields["still_missing"].queryset = listed
        self.fields["still_missing"].label_from_instance = lambda c: (
            f"{c.label}（{c.get_level_display()}）"
        )
        self.initial.setdefault("still_missing", list(listed))


class CloseForm(BootstrapMixin, forms.Form):
    # Not required here: the action refuses a blank cause or responsibility naming INC-1.
    cause = forms.CharField(label="原因分析", required=False, max_length=5000, widget=TEXTAREA)
    responsible_person = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), required=False
    )
    responsibility = forms.CharField(
        label="责任认定及处理", required=False, max_length=5000, widget=TEXTAREA
    )

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = _people(unit_id)


class PlanForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="预案名称", max_length=200)
    version = forms.CharField(label="版本", max_length=20)
    approved_on = forms.DateField(label="批准日期", widget=DateInput())
    content = forms.CharField(
        label="预案正文", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(label="或上传预案文件", required=False, help_text="加密保存")


class DrillForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label="演练日期", widget=DateInput())
    plan = forms.ModelChoiceField(
        label="依据预案", queryset=EmergencyPlan.objects.none(), required=False
    )
    scenario = forms.CharField(label="演练情景", max_length=5000, widget=TEXTAREA)
    participants = forms.ModelMultipleChoiceField(
        label="参加人员",
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    findings = forms.CharField(label="发现的问题及改进", max_length=5000, widget=TEXTAREA)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = EmergencyPlan.objects.filter(unit_id=person.unit_id)
        self.fields["participants"].queryset = _people(person.unit_id)
