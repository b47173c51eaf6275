"""The consoles (pages) of the 系统管理员 and the 安全保密管理员 (SEC-3 三员分立).

系统管理员: units, departments, people, places (and the accounts pages, linked from the nav) —
never a carrier, a vetting record or an audit row. 安全保密管理员: business-role grants and a
unit's 定密权限; links to the approval paths and the clearance path that already exist. Each
change calls one action (org.actions, carriers.actions, personnel.organisation), which checks the
role again, audits, and refuses in Chinese with its rule id.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from baomi.administration.forms import (
    AuthorityForm,
    DepartmentForm,
    GrantForm,
    PeopleFilter,
    PersonForm,
    PlaceForm,
    PlacesFilter,
    UnitCreateForm,
    UnitForm,
)
from baomi.administration.tables import PeopleTable, PlacesTable
from baomi.carriers import actions as carrier_actions
from baomi.carriers.models import Place
from baomi.lib.errors import BaomiError
from baomi.lib.htmx import render_page
from baomi.org import actions as org
from baomi.org.choices import SystemRole
from baomi.org.grants import ROLE_LABELS, grant, grants_in, revoke_grant
from baomi.org.selectors import (
    administered_people,
    administered_units,
    department_tree,
    unit_tree,
)
from baomi.web.forms import apply_error, refusal_of
from baomi.web.views import forbidden, not_found, person_required

PER_PAGE = 50


def console_of(role: str):
    """Only `role` may use these pages (SEC-3); everybody else gets a 403 page saying why."""

    def decorate(view):
        @functools.wraps(view)
        @person_required
        def wrapper(request, *args, **kwargs):
            if request.person.system_role != role:
                return forbidden(
                    request,
                    f"此页面只供{SystemRole(role).label}使用（SEC-3 三员分立）。",
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


sysadmin_only = console_of(SystemRole.SYSADMIN)
secadmin_only = console_of(SystemRole.SECADMIN)


@person_required
def index(request):
    role = request.person.system_role
    if role == SystemRole.SYSADMIN:
        return redirect("console:units")
    if role == SystemRole.SECADMIN:
        return redirect("console:grants")
    return forbidden(request, "管理台只供系统管理员和安全保密管理员使用（SEC-3 三员分立）。")


def _form_page(request, form, *, title: str, submit, back: str, context=None):
    """GET: the form; POST: validate, call `submit(cleaned)` (an action), redirect to `back`.
    A refusal is shown above the form with its rule id and the page's status (403/409/422)."""
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                done = submit(form.cleaned_data)
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, done)
                return redirect(back)
        else:
            status = 422
    page = {"form": form, "title": title, "refusal": refusal, "back": back, **(context or {})}
    return render_page(request, "administration/form.html", page, status=status)


def _act(request, back: str, run):
    """A one-button POST (停用/恢复/撤销): message and back to the list."""
    try:
        messages.success(request, run())
    except BaomiError as error:
        refusal = refusal_of(error)
        messages.error(request, f"{refusal.label}：{refusal.message}")
    return redirect(back)


# --- units ----------------------------------------------------------------------------------------


@sysadmin_only
def units(request):
    rows = unit_tree(request.person)
    return render_page(request, "administration/units.html", {"rows": rows})


def _unit(actor, pk):
    return administered_units(actor).filter(pk=pk).first()


@sysadmin_only
def unit_create(request):
    actor = request.person
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = UnitCreateForm(actor, request.POST or None, initial=initial)

    def submit(data):
        above = data["placement"] == "above" and data["parent"] is not None
        unit = org.create_unit(
            actor,
            name=data["name"],
            code=data["code"],
            parent=None if above else data["parent"],
            superior_of=data["parent"] if above else None,
        )
        return f"已建立单位“{unit.name}”。"

    return _form_page(request, form, title="建立单位", submit=submit, back="console:units")


@sysadmin_only
def unit_edit(request, pk: int):
    actor = request.person
    unit = _unit(actor, pk)
    if unit is None:
        return not_found(request)
    initial = {"name": unit.name, "code": unit.code, "parent": unit.parent_id}
    form = UnitForm(actor, request.POST or None, unit=unit, initial=initial)

    def submit(data):
        org.update_unit(actor, unit, name=data["name"], code=data["code"], parent=data["parent"])
        return f"已修改单位“{unit.name}”。"

    return _form_page(
        request, form, title=f"修改单位：{unit.name}", submit=submit, back="console:units"
    )


# --- departments ----------------------------------------------------------------------------------


@sysadmin_only
def departments(request):
    units = administered_units(request.person).order_by("name")
    chosen = request.GET.get("unit") or ""
    unit_ids = units.filter(pk=chosen).values_list("pk", flat=True) if chosen.isdigit() else units
    rows = department_tree(unit_ids)
    context = {"rows": rows, "units": units, "chosen": chosen}
    return render_page(request, "administration/departments.html", context)


@sysadmin_only
def department_create(request):
    actor = request.person
    form = DepartmentForm(actor, request.POST or None, initial={"unit": actor.unit_id})

    def submit(data):
        department = org.create_department(
            actor, data["unit"], name=data["name"], parent=data["parent"], head=data["head"]
        )
        return f"已建立部门“{department.name}”。"

    return _form_page(request, form, title="建立部门", submit=submit, back="console:departments")


@sysadmin_only
def department_edit(request, pk: int):
    from baomi.org.models import Department

    actor = request.person
    department = Department.objects.filter(pk=pk, unit__in=administered_units(actor)).first()
    if department is None:
        return not_found(request)
    initial = {
        "unit": department.unit_id,
        "name": department.name,
        "parent": department.parent_id,
        "head": department.head_id,
    }
    form = DepartmentForm(actor, request.POST or None, department=department, initial=initial)

    def submit(data):
        org.update_department(
            actor, department, name=data["name"], parent=data["parent"], head=data["head"]
        )
        return f"已修改部门“{department.name}”。"

    return _form_page(
        request,
        form,
        title=f"修改部门：{department.name}",
        submit=submit,
        back="console:departments",
    )


# --- people ---------------------------------------------------------------------------------------


@sysadmin_only
def people(request):
    actor = request.person
    filterset = PeopleFilter(request.GET or None, queryset=administered_people(actor), actor=actor)
    table = PeopleTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render_page(request, "administration/people.html", {"filter": filterset, "table": table})


@sysadmin_only
def person_create(request):
    actor = request.person
    form = PersonForm(actor, request.POST or None, initial={"unit": actor.unit_id})

    def submit(data):
        person = org.create_person(
            actor,
            data["unit"],
            name=data["name"],
            number=data["number"],
            department=data["department"],
            post=data["post"],
        )
        return f"已建立人员“{person.name}”。"

    return _form_page(request, form, title="建立人员", submit=submit, back="console:people")


@sysadmin_only
def person_edit(request, pk: int):
    actor = request.person
    person = administered_people(actor).filter(pk=pk).first()
    if person is None:
        return not_found(request)
    initial = {
        "name": person.name,
        "number": person.number,
        "unit": person.unit_id,
        "department": person.department_id,
        "post": person.post,
    }
    form = PersonForm(actor, request.POST or None, initial=initial)

    def submit(data):
        org.update_person(
            actor,
            person,
            name=data["name"],
            number=data["number"],
            unit=data["unit"],
            department=data["department"],
            post=data["post"],
        )
        return f"已修改人员“{person.name}”。"

    return _form_page(
        request,
        form,
        title=f"修改人员：{person.name}",
        submit=submit,
        back="console:people",
        context={"person": person},
    )


@require_POST
@sysadmin_only
def person_active(request, pk: int):
    actor = request.person
    person = administered_people(actor).filter(pk=pk).first()
    if person is None:
        return not_found(request)

    def run():
        if person.active:
            org.deactivate_person(actor, person)
            return f"已停用“{person.name}”。"
        org.reactivate_person(actor, person)
        return f"已恢复“{person.name}”。"

    return _act(request, "console:people", run)


# --- places ---------------------------------------------------------------------------------------


def _places(actor):
    return Place.objects.filter(unit__in=administered_units(actor)).select_related("unit")


@sysadmin_only
def places(request):
    actor = request.person
    filterset = PlacesFilter(request.GET or None, queryset=_places(actor), actor=actor)
    table = PlacesTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render_page(request, "administration/places.html", {"filter": filterset, "table": table})


@sysadmin_only
def place_create(request):
    actor = request.person
    form = PlaceForm(actor, request.POST or None, initial={"unit": actor.unit_id})

    def submit(data):
        place = carrier_actions.create_place(
            actor, data["unit"], name=data["name"], kind=data["kind"]
        )
        return f"已建立存放位置“{place.name}”。"

    return _form_page(request, form, title="建立存放位置", submit=submit, back="console:places")


@sysadmin_only
def place_edit(request, pk: int):
    actor = request.person
    place = _places(actor).filter(pk=pk).first()
    if place is None:
        return not_found(request)
    initial = {"unit": place.unit_id, "name": place.name, "kind": place.kind}
    form = PlaceForm(actor, request.POST or None, place=place, initial=initial)

    def submit(data):
        carrier_actions.update_place(actor, place, name=data["name"], kind=data["kind"])
        return f"已修改存放位置“{place.name}”。"

    return _form_page(
        request,
        form,
        title=f"修改存放位置：{place.name}",
        submit=submit,
        back="console:places",
        context={"place": place},
    )


@require_POST
@sysadmin_only
def place_active(request, pk: int):
    actor = request.person
    place = _places(actor).filter(pk=pk).first()
    if place is None:
        return not_found(request)

    def run():
        if place.active:
            carrier_actions.retire_place(actor, place)
            return f"已撤销存放位置“{place.name}”。"
        carrier_actions.reinstate_place(actor, place)
        return f"已恢复存放位置“{place.name}”。"

    return _act(request, "console:places", run)


# --- grants (安全保密管理员) ---------------------------------------------------------------------


@secadmin_only
def grants(request):
    actor = request.person
    units = administered_units(actor).order_by("name")
    role = request.GET.get("role", "")
    role = role if role in ROLE_LABELS else ""
    q = (request.GET.get("q") or "").strip()[:50]
    chosen = request.GET.get("unit") or ""
    unit_ids = list(
        (units.filter(pk=chosen) if chosen.isdigit() else units).values_list("pk", flat=True)
    )
    rows = grants_in(unit_ids, role=role)
    if q:
        rows = [g for g in rows if q in g.person.name or q in (g.person.number or "")]
    from django.core.paginator import Paginator

    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": page.object_list,
        "units": units,
        "roles": ROLE_LABELS,
        "role": role,
        "q": q,
        "chosen": chosen,
        "count": len(rows),
    }
    return render_page(request, "administration/grants.html", context)


@secadmin_only
def grant_create(request):
    actor = request.person
    initial = {k: request.GET[k] for k in ("person", "role") if request.GET.get(k)}
    form = GrantForm(actor, request.POST or None, initial=initial)

    def submit(data):
        grant(
            actor,
            data["person"],
            data["role"],
            kind=data["kind"],
            max_level=data["max_level"],
            committee_role=data["committee_role"],
            start_on=data["start_on"],
        )
        return f"已授予{data['person'].name}{ROLE_LABELS[data['role']]}。"

    return _form_page(request, form, title="授予业务角色", submit=submit, back="console:grants")


@require_POST
@secadmin_only
def grant_revoke(request, grant_id: str):
    actor = request.person
    unit_ids = list(administered_units(actor).values_list("pk", flat=True))

    def run():
        person = revoke_grant(actor, grant_id, unit_ids)
        return f"已撤销{person.name}的授权。"

    return _act(request, "console:grants", run)


@secadmin_only
def authorities(request):
    rows = unit_tree(request.person)
    return render_page(request, "administration/authorities.html", {"rows": rows})


@secadmin_only
def authority_edit(request, pk: int):
    actor = request.person
    unit = _unit(actor, pk)
    if unit is None:
        return not_found(request)
    form = AuthorityForm(
        request.POST or None, initial={"classification_authority": unit.classification_authority}
    )

    def submit(data):
        org.set_classification_authority(actor, unit, data["classification_authority"])
        return f"已设定“{unit.name}”的定密权限。"

    return _form_page(
        request,
        form,
        title=f"定密权限：{unit.name}",
        submit=submit,
        back="console:authorities",
    )
