"""Forms of the consoles: they only parse; the org and carriers actions decide and audit."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from baomi.carriers.choices import PlaceKind
from baomi.carriers.models import Place
from baomi.classification.choices import Authority, Level
from baomi.org.actions import approval_kinds
from baomi.org.grants import ROLE_LABELS
from baomi.org.models import CommitteeRole, Department, Person, Unit
from baomi.org.selectors import administered_people, administered_units
from baomi.web.forms import BootstrapMixin, DateInput


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.name}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        extra = "、".join(
            x for x in (obj.number, obj.department.name if obj.department_id else "") if x
        )
        return f"{obj.name}（{obj.unit.name}{'，' + extra if extra else ''}）"


class UnitForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    code = forms.CharField(
        label="单位代码", max_length=20, help_text="如统一社会信用代码或内部代码"
    )
    parent = UnitChoiceField(label="上级单位", queryset=Unit.objects.none(), required=False)

    def __init__(self, actor, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = administered_units(actor).order_by("name")
        self.fields["parent"].queryset = units.exclude(pk=unit.pk) if unit else units


class UnitCreateForm(UnitForm):
    placement = forms.ChoiceField(
        label="位置",
        choices=[("below", "作为所选单位的下级单位"), ("above", "作为所选单位的上级单位")],
        initial="below",
        help_text="选“上级单位”时，所选单位移到新单位之下（ORG-4：一个库可容纳全省）",
    )


class DepartmentForm(BootstrapMixin, forms.Form):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    name = forms.CharField(label="部门名称", max_length=100)
    parent = DepartmentChoiceField(
        label="上级部门", queryset=Department.objects.none(), required=False
    )
    head = PersonChoiceField(label="部门负责人", queryset=Person.objects.none(), required=False)

    def __init__(self, actor, *args, department: Department | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = administered_units(actor)
        self.fields["unit"].queryset = units.order_by("name")
        departments = Department.objects.filter(unit__in=units).select_related("unit")
        if department is not None:
            departments = departments.filter(unit_id=department.unit_id).exclude(pk=department.pk)
            self.fields["unit"].disabled = True
        self.fields["parent"].queryset = departments.order_by("unit_id", "name")
        people = administered_people(actor).filter(active=True, system_role="")
        if department is not None:
            people = people.filter(unit_id=department.unit_id)
        self.fields["head"].queryset = people


class PersonForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    number = forms.CharField(label="人员编号", max_length=32, required=False)
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    department = DepartmentChoiceField(
        label="部门", queryset=Department.objects.none(), required=False
    )
    post = forms.CharField(label="职务/岗位", max_length=100, required=False)

    def __init__(self, actor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = administered_units(actor)
        self.fields["unit"].queryset = units.order_by("name")
        self.fields["department"].queryset = (
            Department.objects.filter(unit__in=units)
            .select_related("unit")
            .order_by("unit_id", "name")
        )


class PlaceForm(BootstrapMixin, forms.Form):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    name = forms.CharField(label="名称", max_length=100, help_text="如：机要室保险柜1号")
    kind = forms.ChoiceField(
        label="类型",
        choices=PlaceKind.choices,
        help_text="绝密载体、密码电报只能存放于保险柜（CR-15）",
    )

    def __init__(self, actor, *args, place: Place | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = administered_units(actor).order_by("name")
        if place is not None:
            self.fields["unit"].disabled = True


class GrantForm(BootstrapMixin, forms.Form):
    person = PersonChoiceField(label="人员", queryset=Person.objects.none())
    role = forms.ChoiceField(label="业务角色", choices=list(ROLE_LABELS.items()))
    kind = forms.ChoiceField(label="审批的申请类型", required=False)
    max_level = forms.ChoiceField(
        label="最高密级", required=False, choices=[("", "（审批人填写）"), *Level.choices]
    )
    committee_role = forms.ChoiceField(
        label="委员会职务",
        required=False,
        choices=[("", "（委员会成员填写）"), *CommitteeRole.choices],
    )
    start_on = forms.DateField(label="任职日期", required=False, widget=DateInput())

    def __init__(self, actor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # SEC-3: the three system accounts never appear as candidates for a business role.
        self.fields["person"].queryset = administered_people(actor).filter(
            active=True, system_role=""
        )
        self.fields["kind"].choices = [("", "（审批人填写）"), *approval_kinds().items()]


class AuthorityForm(BootstrapMixin, forms.Form):
    classification_authority = forms.ChoiceField(
        label="定密权限",
        choices=Authority.choices,
        help_text="多数单位没有定密权限（无），只能派生定密（CL-11）",
    )


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    unit = django_filters.ModelChoiceFilter(
        label="单位", queryset=Unit.objects.none(), empty_label="全部单位"
    )
    department = django_filters.ModelChoiceFilter(
        label="部门", queryset=Department.objects.none(), empty_label="全部部门"
    )
    active = django_filters.BooleanFilter(
        label="状态",
        widget=forms.Select(choices=[("", "全部"), ("true", "在岗"), ("false", "已停用")]),
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "department", "active"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = administered_units(actor)
        self.filters["unit"].queryset = units.order_by("name")
        self.filters["department"].queryset = Department.objects.filter(unit__in=units).order_by(
            "name"
        )
        _style(self.form)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(number__icontains=value)
            | Q(post__icontains=value)
            | Q(user__username__icontains=value)
        )


class PlacesFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="名称", lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(
        label="单位", queryset=Unit.objects.none(), empty_label="全部单位"
    )
    kind = django_filters.ChoiceFilter(
        label="类型", choices=PlaceKind.choices, empty_label="全部类型"
    )
    active = django_filters.BooleanFilter(
        label="状态",
        widget=forms.Select(choices=[("", "全部"), ("true", "在用"), ("false", "已撤销")]),
    )

    class Meta:
        model = Place
        fields = ["name", "unit", "kind", "active"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = administered_units(actor).order_by("name")
        _style(self.form)


def _style(form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = f"{css} form-control-sm"
