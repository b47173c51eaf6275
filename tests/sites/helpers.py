"""Builders for key-place tests: the 机要室 with 赵保密 responsible and 张三 on its staff."""

from __future__ import annotations

from baomi.classification.choices import Level
from baomi.sites import actions
from baomi.sites.choices import IdKind, SiteKind


def registry_room(w, **extra):
    return actions.create_site(
        w.clerk,
        actions.SiteForm(
            name=extra.pop("name", "机要室"),
            kind=SiteKind.REGISTRY,
            level=extra.pop("level", Level.TOP_SECRET),
            responsible=w.clerk,
            department=w.registry,
            location="办公楼三层 301",
            staff=extra.pop("staff", [w.leader]),
            places=[w.safe, w.cabinet],
            facilities={"iron_door": True, "iron_window": True, "safe": True, "alarm": True},
            **extra,
        ),
    )


def visitor(w, *, escort, id_checked=True, host=None):
    return actions.VisitForm(
        visitor_name="陈来访",
        organisation="XX省保密局",
        id_kind=IdKind.WORK_CARD,
        id_number="BMJ20260001",
        id_checked=id_checked,
        purpose="保密检查",
        host=host or w.leader,
        escort=escort,
    )


ALL_OK = {
    "power_off": True,
    "alarm_on": True,
    "windows_closed": True,
    "doors_locked": True,
    "safes_locked": True,
}
