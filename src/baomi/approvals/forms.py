"""Request forms: file a request (借阅/复制/携带外出), approve, reject."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Prefetch
from django.utils.safestring import mark_safe

from baomi.approvals.actions import RequestForm
from baomi.approvals.choices import RequestKind
from baomi.carriers.filters import LABEL_RE
from baomi.carriers.forms import PersonChoiceField, people_of
from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import Level
from baomi.classification.periods import parse_period
from baomi.lib.markings import normalize
from baomi.org.models import ApprovalAuthority, Department, Person
from baomi.web.forms import BootstrapMixin, DateInput

SEPARATORS = re.compile(r"[\s,，、;；]+")


class ApproverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        kinds = "、".join(
            RequestKind(a.kind).label for a in obj.authorities.all() if a.kind in RequestKind.values
        )
        return f"{obj.name}（可审批：{kinds}）"


K = RequestKind
# The fields each kind of request uses beyond kind, carriers, reason and approver. The page shows
# only the chosen kind's (server-side `hidden`, switched by static/baomi/forms.js on change).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "due_date": (K.LOAN, K.TAKE_OUT),
    "beneficiary": (K.LOAN, K.TAKE_OUT, K.COPY, K.ARCHIVE_RETRIEVAL),
    "copies": (K.COPY,),
    "destination": (K.TAKE_OUT,),
    "issuer_consent_doc": (K.COPY,),
    "issuer_consent_date": (K.COPY,),
    "new_level": (K.RECLASSIFICATION,),
    "new_period": (K.RECLASSIFICATION,),
    "declassify": (K.RECLASSIFICATION,),
    "add_people": (K.SCOPE_WIDENING,),
    "add_departments": (K.SCOPE_WIDENING,),
    "remove_people": (K.SCOPE_WIDENING,),
    "remove_departments": (K.SCOPE_WIDENING,),
}


class NewRequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="申请类型", choices=RequestKind.choices)
    carriers = forms.CharField(
        label="载体",
        max_length=2000,
        help_text="填写统一编号-份号，如 2026-0000001-01；多件用空格或逗号分隔",
    )
    reason = forms.CharField(label="事由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    approver = ApproverChoiceField(label="审批人", queryset=Person.objects.none())
    due_date = forms.DateField(
        label="归还期限", required=False, widget=DateInput(), help_text="借阅、携带外出必填"
    )
    copies = forms.IntegerField(label="复制份数", required=False, min_value=1, max_value=100)
    beneficiary = PersonChoiceField(
        label="使用人", queryset=Person.objects.none(), required=False, help_text="不填则为本人"
    )
    destination = forms.CharField(label="外出地点", max_length=200, required=False)
    issuer_consent_doc = forms.CharField(
        label="制文机关同意文号",
        max_length=100,
        required=False,
        help_text="复制绝密或不准复印载体时填写（CR-7）",
    )
    issuer_consent_date = forms.DateField(
        label="制文机关同意日期", required=False, widget=DateInput()
    )
    # 拟变更内容 (APR-3): what a 密级变更 / 扩大知悉范围 approval will allow, exactly.
    new_level = forms.ChoiceField(
        label="拟变更密级", choices=[("", "（不变）"), *Level.choices], required=False
    )
    new_period = forms.CharField(
        label="拟变更保密期限", max_length=50, required=False, help_text="如 10年、6个月、长期"
    )
    declassify = forms.BooleanField(label="拟解密", required=False)
    add_people = forms.ModelMultipleChoiceField(
        label="拟增加知悉范围的人员", queryset=Person.objects.none(), required=False
    )
    add_departments = forms.ModelMultipleChoiceField(
        label="拟增加知悉范围的部门", queryset=Department.objects.none(), required=False
    )
    remove_people = forms.ModelMultipleChoiceField(
        label="拟移出知悉范围的人员", queryset=Person.objects.none(), required=False
    )
    remove_departments = forms.ModelMultipleChoiceField(
        label="拟移出知悉范围的部门", queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, person: Person, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)
        people = people_of(person.unit_id)
        self.fields["approver"].queryset = (
            people.filter(authorities__isnull=False)
            .exclude(pk=person.pk)
            .distinct()
            .prefetch_related(Prefetch("authorities", ApprovalAuthority.objects.order_by("kind")))
        )
        self.fields["beneficiary"].queryset = people
        for name in ("add_people", "remove_people"):
            self.fields[name].queryset = people
        departments = Department.objects.filter(unit_id=person.unit_id)
        for name in ("add_departments", "remove_departments"):
            self.fields[name].queryset = departments
        self.fields["kind"].widget.attrs["data-kind-select"] = ""

    @property
    def chosen_kind(self) -> str:
        """The kind the page is for: as posted, as asked (?kind=), else the first choice."""
        kind = (self.data.get("kind") if self.is_bound else None) or self.initial.get("kind")
        return kind if kind in RequestKind.values else RequestKind.values[0]

    @property
    def kind_attrs(self) -> dict[str, str]:
        """Per conditional field: `data-kinds="…"`, and `hidden` when not the chosen kind's."""
        chosen = self.chosen_kind
        return {
            # mark_safe: the text is built from enum codes only.
            name: mark_safe(
                f'data-kinds="{" ".join(kinds)}"' + ("" if chosen in kinds else " hidden")
            )
            for name, kinds in KIND_FIELDS.items()
        }

    @property
    def proposed_change_hidden(self) -> bool:
        return self.chosen_kind not in (RequestKind.RECLASSIFICATION, RequestKind.SCOPE_WIDENING)

    def clean_new_period(self):
        text = normalize(self.cleaned_data["new_period"] or "")
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def proposed_change(self) -> dict | None:
        d = self.cleaned_data
        if d["kind"] not in (RequestKind.RECLASSIFICATION, RequestKind.SCOPE_WIDENING):
            return None
        scope = {
            name: sorted(x.pk for x in d[name])
            for name in ("add_people", "add_departments", "remove_people", "remove_departments")
            if d[name]
        }
        if scope:
            return scope
        change: dict = {}
        if d["declassify"]:
            change["declassify"] = True
        if d["new_level"]:
            change["level"] = d["new_level"]
        if d["new_period"] is not None:
            change["period"] = d["new_period"].to_dict()
        return change or None

    def clean_carriers(self):
        labels = [t for t in SEPARATORS.split(self.cleaned_data["carriers"]) if t]
        if not labels:
            raise forms.ValidationError("请至少填写一件载体")
        visible = carriers_visible_to(self.person).filter(unit_id=self.person.unit_id)
        found, unknown = [], []
        for label in dict.fromkeys(labels):
            match = LABEL_RE.match(label)
            carrier = None
            if match:
                carrier = visible.filter(number=match["number"], copy_no=int(match["copy"])).first()
            if carrier is None:
                unknown.append(label)
            else:
                found.append(carrier)
        if unknown:
            # Unknown and not visible read the same (deny by default).
            raise forms.ValidationError(f"未找到载体：{'、'.join(unknown)}（或无权查看）")
        return found

    def request_form(self) -> RequestForm:
        d = self.cleaned_data
        return RequestForm(
            kind=d["kind"],
            carriers=d["carriers"],
            reason=d["reason"],
            approver=d["approver"],
            due_date=d["due_date"],
            copies=d["copies"],
            beneficiary=d["beneficiary"],
            destination=d["destination"],
            issuer_consent_doc=d["issuer_consent_doc"],
            issuer_consent_date=d["issuer_consent_date"],
            proposed_change=self.proposed_change(),
        )


class ApproveForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label="审批意见", max_length=500, required=False, initial="同意")
    issuer_consent_doc = forms.CharField(label="制文机关同意文号", max_length=100, required=False)
    issuer_consent_date = forms.DateField(
        label="制文机关同意日期", required=False, widget=DateInput()
    )


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="驳回理由", max_length=500)
