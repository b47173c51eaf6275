"""Page forms of the review: thin — the actions decide (REV-1…3)."""

from __future__ import annotations

from django import forms

from baomi.classification.choices import Level
from baomi.org.models import Department, Person
from baomi.review.choices import Destination, Stage
from baomi.web.forms import BootstrapMixin, DateInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReviewPageForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    source = forms.CharField(label="信息来源", max_length=200, required=False)
    destination = forms.ChoiceField(label="发布途径 / 提供对象", choices=Destination.choices)
    destination_detail = forms.CharField(
        label="具体去向", max_length=200, required=False, help_text="网站栏目、媒体名称或接收单位"
    )
    department = forms.ModelChoiceField(label="承办部门", queryset=Department.objects.none())
    first_reviewer = forms.ModelChoiceField(
        label="部门初审人", queryset=Person.objects.none(), help_text="承办部门负责人，不能是本人"
    )
    level = forms.ChoiceField(label="内容密级", choices=Level.choices, initial=Level.PUBLIC)
    important = forms.BooleanField(label="特别重要（须经单位负责人签批）", required=False)
    text = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    files = MultipleFileField(label="附件", required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit_id=person.unit_id)
        self.fields["first_reviewer"].queryset = (
            Person.objects.filter(unit_id=person.unit_id, is_automation=False, active=True)
            .exclude(system_role__gt="")
            .exclude(pk=person.pk)
            .select_related("department")
        )
        self.fields["first_reviewer"].label_from_instance = lambda p: (
            f"{p.name}（{p.department or '—'}，{p.get_clearance_display()}）"
        )


class SelfCheckForm(BootstrapMixin, forms.Form):
    statement = forms.CharField(
        label="自查声明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="本人已对照保密审查要求逐项自查，上述内容不涉及国家秘密和工作秘密，对自动检查命中已逐条核实。",
    )
    confirm = forms.BooleanField(label="本人确认并签署以上声明")


class DecisionForm(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label="审查意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(BootstrapMixin, forms.Form):
    where = forms.CharField(label="发布位置 / 接收单位", max_length=200)
    on = forms.DateField(label="发布日期", widget=DateInput())


class TermsForm(BootstrapMixin, forms.Form):
    terms = forms.CharField(
        label="敏感词（每行一个）", widget=forms.Textarea(attrs={"rows": 14}), required=False
    )
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class TermImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="文件（.txt 每行一词，或 .xlsx 第一列）")
    replace = forms.BooleanField(label="替换现有词表（不选则追加）", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=200, required=False)
