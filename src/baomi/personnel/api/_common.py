"""What the personnel API modules share: the router class, the person and record lookups
(404 when not visible), and the `{"on": …}` body."""

from __future__ import annotations

import ninja

from baomi.api.schemas import Day, InputSchema
from baomi.lib.errors import NotFound
from baomi.org.models import Person
from baomi.personnel.rules import may_view_person


class Router(ninja.Router):
    """A ninja Router that keeps the operation ids `baomi_personnel_api_<view>`.

    Ninja derives an operation id from the view's module; these views lived in one module
    `baomi.personnel.api` until it was split by procedure, and clients generated from the schema
    call the operations by those ids."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **options):
        operation_id = operation_id or f"baomi_personnel_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, operation_id=operation_id, **options)


def _person(actor: Person, person_id: int, *, acting: bool = False) -> Person:
    """The record needs may_view_person; an action only needs the same unit — the action
    itself decides who may do it (a colleague of the department proposes a level, PER-2)."""
    person = (
        Person.objects.filter(pk=person_id, is_automation=False)
        .select_related("department", "unit", "user")
        .first()
    )
    if person is None or person.unit_id != actor.unit_id:
        raise NotFound("人员不存在，或您无权查看。")
    if not acting and not may_view_person(actor, person):
        raise NotFound("人员不存在，或您无权查看。")
    return person


def _owned(actor: Person, model, pk: int):
    obj = model.objects.filter(pk=pk).select_related("person__department").first()
    if obj is None or obj.person.unit_id != actor.unit_id:
        raise NotFound("记录不存在，或您无权查看。")
    return obj


class OnIn(InputSchema):
    on: Day
