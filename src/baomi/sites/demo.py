"""Demo key places, through the actions: the 机要室, 档案室 and 财务室 with their people,
facilities, keys, visitors and a week of closing checks with yesterday's missing (its alert)."""

from __future__ import annotations

from datetime import timedelta

from baomi.classification.choices import Level
from baomi.sites import actions
from baomi.sites.choices import CHECK_ITEMS, IdKind, KeyKind, SiteKind
from baomi.sites.selectors import is_working_day

ALL_OK = {name: True for name, _ in CHECK_ITEMS}


def load_sites_demo(demo) -> None:
    p, clerk, today = demo.people, demo.people["clerk"], demo.today
    d, places = demo.departments, demo.places
    registry = actions.create_site(
        clerk,
        actions.SiteForm(
            name="机要室",
            kind=SiteKind.REGISTRY,
            level=Level.TOP_SECRET,
            responsible=clerk,
            department=d["机要室"],
            location="办公楼三层 301",
            staff=[p["clerk2"]],
            places=[
                places[n]
                for n in ("机要室保险柜1号", "机要室保险柜2号", "机要室文件柜A", "机要室文件柜B")
            ],
            facilities={
                "iron_door": True,
                "iron_window": True,
                "safe": True,
                "alarm": True,
                "cctv": True,
                "fire_protection": True,
            },
        ),
    )
    archive = actions.create_site(
        clerk,
        actions.SiteForm(
            name="档案室",
            kind=SiteKind.ARCHIVE,
            level=Level.SECRET,
            responsible=p["liu"],
            department=d["档案室"],
            location="办公楼一层 105",
            places=[places["档案室密集架"]],
            facilities={"iron_door": True, "iron_window": True, "fire_protection": True},
        ),
    )
    actions.create_site(
        clerk,
        actions.SiteForm(
            name="财务室",
            kind=SiteKind.FINANCE,
            level=Level.CONFIDENTIAL,
            responsible=p["ma"],
            department=d["财务科"],
            location="办公楼二层 210",
            staff=[p["sun"]],
            facilities={"iron_door": True, "safe": True, "alarm": True},
        ),
    )
    actions.register_key(
        clerk, registry, name="机要室房门钥匙", kind=KeyKind.ROOM, holder=clerk, copies=2
    )
    for n in (1, 2):
        actions.register_key(
            clerk,
            registry,
            name=f"机要室保险柜{n}号钥匙",
            kind=KeyKind.SAFE,
            holder=clerk if n == 1 else p["clerk2"],
            place=places[f"机要室保险柜{n}号"],
        )
    actions.register_key(clerk, archive, name="档案室房门钥匙", kind=KeyKind.ROOM, holder=p["liu"])

    # A week of closing checks of the 机要室, yesterday's forgotten (the morning alert).
    for back in range(7, 1, -1):
        day = today - timedelta(days=back)
        if is_working_day(day, registry.unit_id):
            actions.record_closing_check(p["clerk2"], registry, items=ALL_OK, day=day)
    actions.record_closing_check(
        clerk,
        archive,
        items={**ALL_OK, "alarm_on": False},
        day=today - timedelta(days=1),
        note="档案室未装报警装置，已报请安装",
    )

    inspector = actions.VisitForm(
        visitor_name="陈检查",
        organisation="XX省保密局",
        id_kind=IdKind.WORK_CARD,
        id_number="BMJ20260318",
        id_checked=True,
        purpose="年度保密检查",
        host=p["leader"],
        escort=clerk,
    )
    done = actions.admit_visitor(clerk, registry, inspector)
    actions.sign_out_visitor(clerk, done)
    actions.admit_visitor(
        clerk,
        registry,
        actions.VisitForm(
            visitor_name="李维修",
            organisation="XX市保密技术服务中心",
            id_kind=IdKind.ID_CARD,
            id_number="110101198805061234",
            id_checked=True,
            purpose="保险柜密码锁检修",
            host=p["clerk2"],
            escort=p["clerk2"],
        ),
    )
