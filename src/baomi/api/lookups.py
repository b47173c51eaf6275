"""Turning ids in a request into objects the caller may name — the one resolver of the API.

design.md: 404 `not_found` for unknown or not-visible objects. An id in the URL path or in the
request body (carrier, person, department, place, request, dossier…) that is unknown or that the
caller may not see is a 404 `not_found`; for a body id `detail` names the field
(`{"reader_id": ["人员 #99 不存在"]}`). Neither reveals whether an invisible object exists.
"""

from __future__ import annotations

from baomi.approvals.models import Request
from baomi.approvals.rules import requests_visible_to
from baomi.carriers.models import Carrier, Place
from baomi.carriers.selectors import carrier_for, carriers_visible_to
from baomi.lib.errors import NotFound
from baomi.org.models import Department, Person


def _missing(field: str, what: str, ids) -> NotFound:
    messages = [f"{what} #{i} 不存在" for i in ids]
    return NotFound(f"{what}不存在，或您无权使用。", {field: messages})


def visible_carrier(actor: Person, carrier_id: int) -> Carrier:
    """A carrier named in the URL: 404 when unknown or not visible (deny by default)."""
    carrier = carrier_for(actor, carrier_id)
    if carrier is None:
        raise NotFound("载体不存在，或您无权查看。")
    return carrier


def visible_request(actor: Person, request_id: int, field: str | None = None) -> Request:
    """A request in the URL or in the body (404; for the body, naming `field`)."""
    found = requests_visible_to(actor).select_related("unit").filter(pk=request_id).first()
    if found is None:
        if field is None:
            raise NotFound("审批单不存在，或您无权查看。")
        raise _missing(field, "审批单", [request_id])
    return found


def person(actor: Person, person_id: int | None, field: str) -> Person | None:
    """Somebody of the caller's unit (carriers never leave the unit by these actions)."""
    if person_id is None:
        return None
    return people(actor, [person_id], field)[0]


def people(actor: Person, ids: list[int], field: str) -> list[Person]:
    found = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids, unit_id=actor.unit_id, is_automation=False)
    }
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise _missing(field, "人员", missing)
    return [found[i] for i in dict.fromkeys(ids)]


def departments(actor: Person, ids: list[int], field: str) -> list[Department]:
    found = {d.pk: d for d in Department.objects.filter(pk__in=ids, unit_id=actor.unit_id)}
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise _missing(field, "部门", missing)
    return [found[i] for i in dict.fromkeys(ids)]


def place(actor: Person, place_id: int | None, field: str = "place_id") -> Place | None:
    if place_id is None:
        return None
    found = Place.objects.filter(pk=place_id, unit_id=actor.unit_id).first()
    if found is None:
        raise _missing(field, "存放位置", [place_id])
    return found


def carriers(actor: Person, ids: list[int], field: str) -> list[Carrier]:
    found = {c.pk: c for c in carriers_visible_to(actor).filter(pk__in=ids).select_related("unit")}
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise _missing(field, "载体", missing)
    return [found[i] for i in dict.fromkeys(ids)]


def dossier(actor: Person, dossier_id: int, field: str = "dossier_id"):
    from baomi.archive.selectors import dossiers_visible_to

    found = dossiers_visible_to(actor).filter(pk=dossier_id).first()
    if found is None:
        raise _missing(field, "卷宗", [dossier_id])
    return found
