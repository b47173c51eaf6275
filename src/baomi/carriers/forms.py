"""Page forms of the ledger: registration (收文/制发登记) and one small form per carrier action.

Forms only parse; every rule is checked by the action they call (carriers.actions)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request
from baomi.carriers import actions
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.models import Carrier, Place
from baomi.carriers.registration import MAX_COPIES_PER_REGISTRATION, Registration
from baomi.classification.choices import (
    Category,
    Clearance,
    Level,
    PeriodKind,
    clearance_covers,
    is_state_secret,
)
from baomi.classification.periods import Period
from baomi.lib.markings import MarkingError, parse_marking
from baomi.org.models import Department, Person
from baomi.web.forms import BootstrapMixin, DateInput

LEVELS_TO_REGISTER = [(v, label) for v, label in Level.choices if v != Level.PUBLIC]
PERIOD_KINDS = [("", "按密级默认（CL-3 最长期限）"), *PeriodKind.choices]


def people_of(unit_id):
    """People of the unit who may appear in a form: no system roles, no automation."""
    return (
        Person.objects.filter(unit_id=unit_id, system_role="", is_automation=False, active=True)
        .select_related("department")
        .order_by("department_id", "name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        dept = f"·{obj.department.name}" if obj.department_id else ""
        return f"{obj.name}（{obj.get_clearance_display()}{dept}）"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        dept = f"·{obj.department.name}" if obj.department_id else ""
        return f"{obj.name}（{obj.get_clearance_display()}{dept}）"


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class RegisterForm(BootstrapMixin, forms.Form):
    """收文/制发登记 (CR-1, CL-2): the fields of `registration.Registration`."""

    source = forms.ChoiceField(
        label="来源",
        choices=[
            (Source.RECEIVED, Source.RECEIVED.label),
            (Source.PRODUCED, Source.PRODUCED.label),
        ],
    )
    kind = forms.ChoiceField(label="载体类型", choices=CarrierKind.choices)
    title = forms.CharField(label="标题", max_length=300)
    issuer = forms.CharField(label="制文机关", max_length=100, required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    doc_date = forms.DateField(label="成文日期", widget=DateInput())
    pages = forms.IntegerField(label="页数/数量", min_value=1, max_value=100000, initial=1)
    marking = forms.CharField(
        label="密级标志",
        max_length=60,
        required=False,
        help_text="可直接照录文件上的标志，如 机密★5年、绝密★启用前；填写后自动得出密级和保密期限",
    )
    level = forms.ChoiceField(
        label="密级", choices=[("", "—"), *LEVELS_TO_REGISTER], required=False
    )
    category = forms.ChoiceField(
        label="类别", choices=[("", "按密级"), *Category.choices], required=False
    )
    period_kind = forms.ChoiceField(label="保密期限形式", choices=PERIOD_KINDS, required=False)
    period_years = forms.IntegerField(label="年数", min_value=1, max_value=100, required=False)
    period_months = forms.IntegerField(label="月数", min_value=1, max_value=1200, required=False)
    period_until = forms.DateField(label="至（日期）", required=False, widget=DateInput())
    period_condition = forms.CharField(
        label="解密条件", max_length=50, required=False, help_text="如 启用前"
    )
    catalogue_entry = forms.ModelChoiceField(
        label="保密事项目录条目",
        queryset=None,
        required=False,
        help_text="选定后作为定密依据，未填的密级和保密期限按目录条目确定（CL-7）",
    )
    basis = forms.CharField(label="定密依据", max_length=200, required=False)
    classifier = PersonChoiceField(
        label="定密责任人", queryset=Person.objects.none(), required=False
    )
    marking_reviewer = PersonChoiceField(
        label="标志审核人", queryset=Person.objects.none(), required=False
    )
    scope_departments = forms.ModelMultipleChoiceField(
        label="知悉范围（部门）",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    scope_people = PeopleChoiceField(
        label="知悉范围（人员）",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    no_copy = forms.BooleanField(label="不准复印", required=False)
    copies = forms.IntegerField(
        label="份数",
        min_value=1,
        max_value=MAX_COPIES_PER_REGISTRATION,
        initial=1,
        help_text="同一统一编号下按份号 1…n 逐份登记",
    )
    place = PlaceChoiceField(label="存放位置", queryset=Place.objects.none())
    remarks = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        unit_id = person.unit_id
        people = people_of(unit_id)
        self.fields["classifier"].queryset = people.filter(is_classifier=True)
        self.fields["marking_reviewer"].queryset = people.filter(
            Q(is_registry_clerk=True) | Q(is_classifier=True)
        )
        from baomi.catalogue.selectors import current_entries

        self.fields["catalogue_entry"].queryset = current_entries(unit_id)
        self.fields["scope_people"].queryset = people
        self.fields["scope_departments"].queryset = Department.objects.filter(unit_id=unit_id)
        self.fields["place"].queryset = Place.objects.filter(unit_id=unit_id, active=True).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        marking = (data.get("marking") or "").strip()
        if marking:
            self._from_marking(data, marking)
        elif not data.get("level") and data.get("catalogue_entry"):
            # CL-7: the catalogue entry proposes the level (and, left open, the period).
            data["level"] = data["catalogue_entry"].level
            data["period"] = self._period(data)
        elif not data.get("level"):
            self.add_error("level", "请选择密级，或填写密级标志")
        else:
            data["period"] = self._period(data)
        return data

    def _from_marking(self, data, marking):
        try:
            parsed = parse_marking(marking)
        except MarkingError as error:
            rule = (
                f"（{error.rule_id}）"
                if error.rule_id and error.rule_id not in error.message
                else ""
            )
            self.add_error("marking", f"{error.message}{rule}")
            return
        if data.get("level") and data["level"] != parsed.level:
            self.add_error("level", f"所选密级与密级标志“{parsed.text}”不一致")
            return
        if parsed.level == Level.PUBLIC:
            self.add_error("marking", "公开载体无需登记")
            return
        data["level"], data["period"] = str(parsed.level), parsed.period
        if not data.get("category") or not is_state_secret(parsed.level):
            data["category"] = str(parsed.category)

    def _period(self, data):
        kind = data.get("period_kind")
        if not kind:
            return None
        values = {
            PeriodKind.YEARS: {"years": data.get("period_years")},
            PeriodKind.MONTHS: {"months": data.get("period_months")},
            PeriodKind.DATE: {"until": data.get("period_until")},
            PeriodKind.INDEFINITE: {},
            PeriodKind.CONDITION: {"condition": data.get("period_condition") or None},
        }[PeriodKind(kind)]
        field = {
            PeriodKind.YEARS: "period_years",
            PeriodKind.MONTHS: "period_months",
            PeriodKind.DATE: "period_until",
            PeriodKind.CONDITION: "period_condition",
        }
        if any(v in (None, "") for v in values.values()):
            self.add_error(field.get(PeriodKind(kind), "period_kind"), "请填写保密期限")
            return None
        try:
            return Period(kind=kind, **values)
        except ValueError as error:
            self.add_error(field.get(PeriodKind(kind), "period_kind"), str(error))
            return None

    def registration(self) -> Registration:
        d = self.cleaned_data
        return Registration(
            kind=d["kind"],
            title=d["title"],
            doc_date=d["doc_date"],
            level=d["level"],
            source=d["source"],
            place=d["place"],
            copies=d["copies"],
            category=d.get("category") or None,
            period=d.get("period"),
            issuer=d["issuer"],
            doc_number=d["doc_number"],
            pages=d["pages"],
            basis=d["basis"],
            catalogue_entry=d.get("catalogue_entry"),
            classifier=d["classifier"],
            marking_reviewer=d["marking_reviewer"],
            scope_people=list(d["scope_people"]),
            scope_departments=list(d["scope_departments"]),
            no_copy=d["no_copy"],
            remarks=d["remarks"],
        )


# --- the carrier page's action forms -----------------------------------------------------------


def people_who_may_hold(carrier: Carrier):
    """PER-1 + CR-4 as a query: cleared for the level and inside the 知悉范围."""
    covering = [c for c in Clearance.values if clearance_covers(c, carrier.level)]
    in_scope = Q(pk__in=carrier.scope_people.values("pk")) | Q(
        department__in=carrier.scope_departments.values("pk")
    )
    return people_of(carrier.unit_id).filter(in_scope, clearance__in=covering)


def approved_requests(carrier: Carrier, kind: str):
    """Approved requests of `kind` naming this carrier, not yet used for it (APR-3)."""
    return (
        Request.objects.filter(
            kind=kind,
            status=RequestStatus.APPROVED,
            items__carrier=carrier,
            items__consumed_at__isnull=True,
        )
        .select_related("beneficiary")
        .order_by("-decided_at")
    )


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        due = f"，至 {obj.due_date}" if obj.due_date else ""
        copies = f"，{obj.copies} 份" if obj.copies else ""
        return f"#{obj.pk} {obj.beneficiary.name}{due}{copies}"


class ActionForm(BootstrapMixin, forms.Form):
    """One carrier action: `perform` calls the action and returns a Chinese success message."""

    def __init__(self, *args, carrier: Carrier, person: Person, **kwargs):
        self.carrier, self.person = carrier, person
        super().__init__(*args, **kwargs)

    def places(self):
        return Place.objects.filter(unit_id=self.carrier.unit_id, active=True).order_by("name")

    def perform(self) -> str:
        raise NotImplementedError


class CirculateForm(ActionForm):
    reader = PersonChoiceField(
        label="阅读人",
        queryset=Person.objects.none(),
        help_text="只列出涉密等级覆盖本载体且在知悉范围内的人员",
    )
    due_date = forms.DateField(
        label="应还日期", required=False, widget=DateInput(), help_text="不填则按本单位上限"
    )
    reading_place = PlaceChoiceField(
        label="阅读地点",
        queryset=Place.objects.none(),
        required=False,
        help_text="绝密载体必填：只能在机要室或阅览室阅读（CR-5）",
    )
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reader"].queryset = people_who_may_hold(self.carrier)
        self.fields["reading_place"].queryset = Place.objects.filter(
            unit_id=self.carrier.unit_id, kind__in=actions.READING_PLACE_KINDS
        )

    def perform(self):
        d = self.cleaned_data
        actions.circulate(
            self.person,
            self.carrier,
            d["reader"],
            due_date=d["due_date"],
            note=d["note"],
            reading_place=d["reading_place"],
        )
        return f"已传阅给{d['reader'].name}。"


class _IntoRegistryForm(ActionForm):
    """A carrier coming (back) into the registry: an optional place, and a note."""

    place_label = "存放位置"
    place = PlaceChoiceField(
        label="存放位置",
        queryset=Place.objects.none(),
        required=False,
        help_text="不填则回到固定存放位置",
    )
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = self.places()
        self.fields["place"].label = self.place_label


class ReturnForm(_IntoRegistryForm):
    place_label = "归还至"

    def perform(self):
        d = self.cleaned_data
        actions.return_to_registry(self.person, self.carrier, place=d["place"], note=d["note"])
        return "已归还机要室。"


class AcknowledgeForm(ActionForm):
    def perform(self):
        actions.acknowledge(self.person, self.carrier)
        return "已签收。"


class _ApprovedForm(ActionForm):
    kind = RequestKind.LOAN
    request = RequestChoiceField(
        label="依据审批单", queryset=Request.objects.none(), empty_label="请选择已批准的申请"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = approved_requests(self.carrier, self.kind)


class LendForm(_ApprovedForm):
    kind = RequestKind.LOAN
    due_date = forms.DateField(
        label="应还日期", required=False, widget=DateInput(), help_text="不填则按批准的期限"
    )
    note = forms.CharField(label="说明", max_length=500, required=False)

    def perform(self):
        d = self.cleaned_data
        actions.lend(
            self.person, self.carrier, d["request"], due_date=d["due_date"], note=d["note"]
        )
        return f"已借出给{d['request'].beneficiary.name}。"


class TakeOutForm(LendForm):
    kind = RequestKind.TAKE_OUT

    def perform(self):
        d = self.cleaned_data
        actions.take_out(
            self.person, self.carrier, d["request"], due_date=d["due_date"], note=d["note"]
        )
        return f"已办理携带外出（{d['request'].beneficiary.name}）。"


class CopyForm(_ApprovedForm):
    kind = RequestKind.COPY
    copies = forms.IntegerField(label="复制份数", min_value=1, max_value=100)
    place = PlaceChoiceField(label="复制件存放位置", queryset=Place.objects.none(), required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = self.places()

    def perform(self):
        d = self.cleaned_data
        made = actions.copy(
            self.person,
            self.carrier,
            d["request"],
            copies=d["copies"],
            place=d["place"],
            note=d["note"],
        )
        return f"已复制 {len(made)} 份：{'、'.join(c.label for c in made)}。"


class RelocateForm(ActionForm):
    place = PlaceChoiceField(label="新存放位置", queryset=Place.objects.none())
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = self.places()

    def perform(self):
        d = self.cleaned_data
        actions.relocate(self.person, self.carrier, d["place"], note=d["note"])
        return f"已移至{d['place'].name}。"


class AmendForm(ActionForm):
    field = forms.ChoiceField(
        label="更正项目",
        choices=[(name, Carrier._meta.get_field(name).verbose_name) for name in actions.AMENDABLE],
    )
    value = forms.CharField(
        label="更正为",
        max_length=300,
        required=False,
        help_text="日期写作 2026-01-05；载体类型写中文名称",
    )
    reason = forms.CharField(label="更正理由", max_length=500)

    def clean(self):
        data = super().clean()
        name, raw = data.get("field"), (data.get("value") or "").strip()
        if not name:
            return data
        model_field = Carrier._meta.get_field(name)
        if name == "kind":
            by_label = {label: value for value, label in CarrierKind.choices}
            raw = by_label.get(raw, raw)
        try:
            data["new_value"] = model_field.clean(raw, self.carrier)
        except ValidationError as error:
            self.add_error("value", error.messages[0])
        return data

    def perform(self):
        d = self.cleaned_data
        actions.amend(self.person, self.carrier, {d["field"]: d["new_value"]}, reason=d["reason"])
        return "已更正。"


class VoidForm(ActionForm):
    reason = forms.CharField(label="作废理由", max_length=500)

    def perform(self):
        actions.void(self.person, self.carrier, reason=self.cleaned_data["reason"])
        return "登记已作废。"


class ReportLostForm(ActionForm):
    note = forms.CharField(label="情况说明", max_length=500, required=False)

    def perform(self):
        actions.report_lost(self.person, self.carrier, note=self.cleaned_data["note"])
        return "已报失（INC-1：须立即报告保密工作部门）。"


class FoundForm(_IntoRegistryForm):
    incident = forms.ModelChoiceField(
        label="报失所在的失泄密事件",
        queryset=None,
        required=False,
        help_text="载体在失泄密事件中报失的，须注明该事件，找回情况记入事件（INC-1）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Imported here: the incidents app builds on the carriers, not the other way round.
        from baomi.incidents.selectors import incidents_visible_to, lost_in

        self.fields["incident"].queryset = incidents_visible_to(self.person).filter(
            pk__in=lost_in(self.carrier.pk)
        )

    def perform(self):
        d = self.cleaned_data
        actions.found(
            self.person, self.carrier, place=d["place"], note=d["note"], incident=d["incident"]
        )
        return "已登记找回。"


# name (policies.available_actions) → (URL slug, button text, icon, form)
ACTION_FORMS = {
    "acknowledge": ("acknowledge", "签收", "bi-check2-square", AcknowledgeForm),
    "circulate": ("circulate", "传阅", "bi-people", CirculateForm),
    "return": ("return", "归还", "bi-box-arrow-in-down", ReturnForm),
    "lend": ("lend", "借出", "bi-journal-arrow-up", LendForm),
    "take_out": ("take-out", "携带外出", "bi-briefcase", TakeOutForm),
    "copy": ("copy", "复制", "bi-files", CopyForm),
    "relocate": ("relocate", "移库", "bi-arrow-left-right", RelocateForm),
    "amend": ("amend", "更正", "bi-pencil-square", AmendForm),
    "void": ("void", "作废", "bi-x-circle", VoidForm),
    "report_lost": ("report-lost", "报失", "bi-exclamation-triangle", ReportLostForm),
    "found": ("found", "找回", "bi-search", FoundForm),
}
ACTION_BY_SLUG = {slug: name for name, (slug, *_rest) in ACTION_FORMS.items()}
