"""Page forms for 涉密人员: each parses, then calls one action (every rule is in the action)."""

from __future__ import annotations

from django import forms

from baomi.classification.choices import Clearance, Level
from baomi.org.models import Person
from baomi.personnel import actions
from baomi.personnel.choices import CommitmentKind, DepartureKind, MoveKind, VettingResult
from baomi.web.forms import BootstrapMixin, DateInput


def approvers_of(unit_id):
    return Person.objects.filter(
        unit_id=unit_id, system_role="", is_automation=False, active=True, authorities__isnull=False
    ).distinct()


class PersonForm(BootstrapMixin, forms.Form):
    """A form about one person, performed by `actor`."""

    title = ""

    def __init__(self, *args, person: Person, actor: Person, **kwargs):
        self.person, self.actor = person, actor
        super().__init__(*args, **kwargs)


class ProposeForm(PersonForm):
    title = "提出涉密等级（PER-2）"
    clearance = forms.ChoiceField(label="拟定等级", choices=Clearance.choices)
    highest_level = forms.ChoiceField(label="岗位接触最高密级", choices=Level.choices)
    reason = forms.CharField(label="理由", max_length=500)

    def perform(self) -> str:
        actions.propose_clearance(self.actor, self.person, **self.cleaned_data)
        return "已提出涉密等级，待部门负责人审核。"


class VettingForm(PersonForm):
    title = "保密审查（PER-3）"
    on = forms.DateField(label="审查日期", widget=DateInput())
    result = forms.ChoiceField(label="结论", choices=VettingResult.choices)
    findings = forms.CharField(
        label="审查情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_review_on = forms.DateField(label="下次复审日期", required=False, widget=DateInput())

    def perform(self) -> str:
        actions.record_vetting(self.actor, self.person, **self.cleaned_data)
        return "已记录保密审查。"


class CommitmentForm(PersonForm):
    title = "保密承诺书"
    kind = forms.ChoiceField(label="类型", choices=CommitmentKind.choices)
    signed_on = forms.DateField(label="签订日期", widget=DateInput())
    text = forms.CharField(
        label="承诺内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def perform(self) -> str:
        actions.sign_commitment(self.actor, self.person, **self.cleaned_data)
        return "已登记承诺书。"


class TrainingForm(PersonForm):
    title = "保密培训（PER-4）"
    on = forms.DateField(label="培训日期", widget=DateInput())
    hours = forms.DecimalField(label="学时", min_value=0.5, max_value=100, decimal_places=1)
    subject = forms.CharField(label="内容", max_length=200)
    score = forms.IntegerField(label="考试成绩", required=False, min_value=0, max_value=100)

    def perform(self) -> str:
        actions.record_training(self.actor, self.person, **self.cleaned_data)
        return "已登记培训。"


class DepartureForm(PersonForm):
    title = "办理离岗（PER-5）"
    kind = forms.ChoiceField(label="离岗类型", choices=DepartureKind.choices)
    end_date = forms.DateField(label="离岗日期", widget=DateInput())
    reason = forms.CharField(label="事由", max_length=500)

    def perform(self) -> str:
        actions.start_departure(self.actor, self.person, **self.cleaned_data)
        return "已开始办理离岗。"


class DateStepForm(PersonForm):
    on = forms.DateField(label="日期", widget=DateInput())


class TravelForm(PersonForm):
    title = "出国（境）申请（PER-7）"
    destination = forms.CharField(label="目的地", max_length=200)
    depart_on = forms.DateField(label="出境日期", widget=DateInput())
    return_on = forms.DateField(label="回国日期", widget=DateInput())
    purpose = forms.CharField(label="事由", max_length=500)
    approver = forms.ModelChoiceField(label="审批人", queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers_of(self.person.unit_id)

    def perform(self) -> str:
        actions.request_travel(self.actor, self.person, **self.cleaned_data)
        return "已提交出国（境）申请。"


class MoveForm(PersonForm):
    title = "脱密期内调动/辞职（PER-6）"
    kind = forms.ChoiceField(label="类型", choices=MoveKind.choices)
    reason = forms.CharField(label="事由", max_length=500)
    approver = forms.ModelChoiceField(label="审批人", queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers_of(self.person.unit_id)

    def perform(self) -> str:
        actions.request_move(self.actor, self.person, **self.cleaned_data)
        return "已提交审批。"


PERSON_FORMS = {
    "propose": ProposeForm,
    "vetting": VettingForm,
    "commitment": CommitmentForm,
    "training": TrainingForm,
    "departure": DepartureForm,
    "travel": TravelForm,
    "move": MoveForm,
}
