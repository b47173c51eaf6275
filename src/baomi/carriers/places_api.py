"""JSON API: the registry's places (机要室, cabinets, safes — CR-15 keeps 绝密 in a safe).

GET is for everybody of the unit (the `place_id` of registration and returns); the 系统管理员
lists every unit's places (`?unit=`) and creates, renames and retires them (POST, PATCH). A
place holds no classified content, so this is within SEC-3. Each write is one action of
`carriers.actions`, audited.
"""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    InputSchema,
    PageQuery,
    display,
    paginate,
    text,
)
from baomi.carriers import actions
from baomi.carriers.choices import PlaceKind
from baomi.carriers.models import Place
from baomi.lib.errors import Invalid, NotFound
from baomi.org.models import Person
from baomi.org.selectors import administered_units, is_sysadmin, require_role

router = Router()


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    kind_display: str
    is_safe: bool = Field(description="保险柜：绝密载体与密码电报只能存放于此（CR-15）")
    active: bool = Field(description="false 已撤销")
    unit_id: int


class PlacePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PlaceOut]


def place_out(p: Place) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "kind": p.kind,
        "kind_display": display(PlaceKind, p.kind),
        "is_safe": p.is_safe,
        "active": p.active,
        "unit_id": p.unit_id,
    }


def places_of(caller: Person):
    if is_sysadmin(caller):
        return Place.objects.filter(unit__in=administered_units(caller))
    return Place.objects.filter(unit_id=caller.unit_id)


class PlaceQuery(PageQuery):
    unit: Id | None = Field(None, description="单位编号（系统管理员）")
    include_retired: bool = Field(False, description="包括已撤销的存放位置")
    kind: PlaceKind | None = None


@router.get("", response={200: PlacePage, **READ_ERRORS}, summary="存放位置")
def list_places(request, query: Query[PlaceQuery]):
    """The registry locations of the caller's unit (for `place_id` in bodies)."""
    places = places_of(request.auth)
    if not query.include_retired:
        places = places.filter(active=True)
    if query.unit:
        places = places.filter(unit_id=query.unit)
    if query.kind:
        places = places.filter(kind=query.kind)
    return paginate(places.order_by("unit_id", "name"), query, place_out)


def _visible(caller: Person, place_id: int) -> Place:
    found = places_of(caller).filter(pk=place_id).first()
    if found is None:
        raise NotFound("存放位置不存在，或您无权查看。")
    return found


@router.get("/{place_id}", response={200: PlaceOut, **READ_ERRORS}, summary="存放位置详情")
def get_place(request, place_id: Id):
    return place_out(_visible(request.auth, place_id))


class PlaceIn(InputSchema):
    unit_id: Id | None = Field(None, description="单位；缺省为系统管理员所在单位")
    name: text(100, min_length=1)
    kind: PlaceKind = Field(description="room 机要室、cabinet 文件柜、safe 保险柜…")


@router.post("", response={201: PlaceOut, **WRITE_ERRORS}, summary="建立存放位置")
def create_place(request, body: PlaceIn):
    actor = request.auth
    require_role(actor, "sysadmin", "建立存放位置")
    unit = actor.unit
    if body.unit_id:
        unit = administered_units(actor).filter(pk=body.unit_id).first()
        if unit is None:
            raise Invalid("单位不存在。", {"unit_id": [f"单位 #{body.unit_id} 不存在"]})
    place = actions.create_place(actor, unit, name=body.name, kind=body.kind)
    return 201, place_out(place)


class PlacePatch(InputSchema):
    name: text(100, min_length=1) | None = None
    kind: PlaceKind | None = None
    active: bool | None = Field(None, description="false 撤销（须不存放任何载体），true 恢复")


@router.patch("/{place_id}", response={200: PlaceOut, **WRITE_ERRORS}, summary="修改存放位置")
def update_place(request, place_id: Id, body: PlacePatch):
    actor = request.auth
    require_role(actor, "sysadmin", "修改存放位置")
    place = _visible(actor, place_id)
    if body.name is not None or body.kind is not None:
        place = actions.update_place(actor, place, name=body.name, kind=body.kind)
    if body.active is False and place.active:
        place = actions.retire_place(actor, place)
    elif body.active is True and not place.active:
        place = actions.reinstate_place(actor, place)
    return place_out(place)


@router.post("/{place_id}/retire", response={200: PlaceOut, **WRITE_ERRORS}, summary="撤销存放位置")
def retire_place(request, place_id: Id):
    """The same as PATCH {"active": false}: only a place that holds nothing."""
    actor = request.auth
    require_role(actor, "sysadmin", "撤销存放位置")
    return place_out(actions.retire_place(actor, _visible(actor, place_id)))
