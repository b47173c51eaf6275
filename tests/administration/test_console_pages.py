"""The console pages and the pages shaped by role (issue 8 items 2, 3, 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.carriers.models import Place
from baomi.classification.choices import Level
from baomi.org.models import Department, Person, Unit
from tests.factories import receive

SYSADMIN_PAGES = [
    ("console:units", ()),
    ("console:unit_create", ()),
    ("console:departments", ()),
    ("console:department_create", ()),
    ("console:people", ()),
    ("console:person_create", ()),
    ("console:places", ()),
    ("console:place_create", ()),
]
SECADMIN_PAGES = [("console:grants", ()), ("console:grant_create", ()), ("console:authorities", ())]


def done(event_type: str, actor) -> AuditEvent:
    event = AuditEvent.objects.filter(event_type=event_type, outcome="done").last()
    assert event is not None and event.actor_id == actor.pk
    return event


def test_sysadmin_console_pages_render_and_others_get_403(world, as_):
    w = world
    for name, args in SYSADMIN_PAGES:
        r = as_(w.sysadmin).get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.content[:2000])
        assert "管理台导航" in r.content.decode()
    for person in (w.secadmin, w.auditor, w.clerk, w.leader):
        for name, args in SYSADMIN_PAGES:
            assert as_(person).get(reverse(name, args=args)).status_code == 403, (person, name)
    for name in ("console:unit_edit", "console:person_edit"):
        pk = w.unit.pk if "unit" in name else w.zhang.pk
        assert as_(w.sysadmin).get(reverse(name, args=[pk])).status_code == 200
    assert (
        as_(w.sysadmin).get(reverse("console:department_edit", args=[w.office.pk])).status_code
        == 200
    )
    assert as_(w.sysadmin).get(reverse("console:place_edit", args=[w.safe.pk])).status_code == 200
    assert as_(w.sysadmin).get(reverse("console:person_edit", args=[999999])).status_code == 404


def test_secadmin_console_pages_render_and_others_get_403(world, as_):
    w = world
    for name, args in SECADMIN_PAGES:
        r = as_(w.secadmin).get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.content[:2000])
    page = as_(w.secadmin).get(reverse("console:grants")).content.decode()
    assert "赵保密" in page and "保密员" in page and "钱领导" in page
    # the approval paths and the organisation pages that exist are linked
    assert reverse("dispatch:policies") in page and reverse("personnel:organisation") in page
    for linked in ("dispatch:policies", "personnel:organisation"):
        assert as_(w.secadmin).get(reverse(linked)).status_code == 200, linked
    for person in (w.sysadmin, w.auditor, w.clerk):
        for name, args in SECADMIN_PAGES:
            assert as_(person).get(reverse(name, args=args)).status_code == 403


def test_console_index_sends_each_administrator_to_its_console(world, as_):
    w = world
    assert as_(w.sysadmin).get(reverse("console:index")).url == reverse("console:units")
    assert as_(w.secadmin).get(reverse("console:index")).url == reverse("console:grants")
    assert as_(w.zhang).get(reverse("console:index")).status_code == 403


def test_sysadmin_creates_through_the_pages_audited(world, as_):
    w = world
    client = as_(w.sysadmin)
    r = client.post(
        reverse("console:unit_create"),
        {"name": "XX市保密局", "code": "R01", "parent": w.unit.pk, "placement": "above"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    region = Unit.objects.get(code="R01")
    w.unit.refresh_from_db()
    assert w.unit.parent == region
    done("unit.create", w.sysadmin)
    r = client.post(
        reverse("console:department_create"),
        {"unit": w.unit.pk, "name": "秘书处", "head": w.leader.pk},
    )
    assert r.status_code == 302
    chu = Department.objects.get(name="秘书处")
    client.post(
        reverse("console:department_create"),
        {"unit": w.unit.pk, "name": "文电科", "parent": chu.pk},
    )
    assert Department.objects.get(name="文电科").parent == chu
    done("department.create", w.sysadmin)
    r = client.post(
        reverse("console:person_create"),
        {"name": "周新", "number": "A-9", "unit": w.unit.pk, "department": chu.pk, "post": "科员"},
    )
    assert r.status_code == 302
    person = Person.objects.get(number="A-9")
    done("person.create", w.sysadmin)
    r = client.post(reverse("console:person_active", args=[person.pk]))
    assert r.status_code == 302 and not Person.objects.get(pk=person.pk).active
    done("person.deactivate", w.sysadmin)
    listed = client.get(reverse("console:people"), {"q": "A-9"}).content.decode()
    assert "周新" in listed and "已停用" in listed and 'data-total="1"' in listed
    r = client.post(
        reverse("console:place_create"), {"unit": w.unit.pk, "name": "保险柜9号", "kind": "safe"}
    )
    assert r.status_code == 302 and Place.objects.get(name="保险柜9号").is_safe
    done("place.create", w.sysadmin)
    listed = client.get(reverse("console:places"), {"kind": "safe"}).content.decode()
    assert "保险柜9号" in listed and "机要室文件柜A" not in listed


def test_page_refusal_shows_rule_and_status(world, as_):
    w = world
    r = as_(w.sysadmin).post(
        reverse("console:department_create"),
        {"unit": w.unit.pk, "name": "财务科"},  # exists
    )
    assert r.status_code == 422 and "本单位已有同名部门" in r.content.decode()
    receive(w, level=Level.TOP_SECRET, place=w.safe)
    r = as_(w.sysadmin).post(
        reverse("console:place_edit", args=[w.safe.pk]), {"name": w.safe.name, "kind": "cabinet"}
    )
    assert r.status_code == 403 and "CR-15" in r.content.decode()


def test_r_sec_3_secadmin_grants_through_the_page_and_never_to_a_system_account(world, as_):
    w = world
    client = as_(w.secadmin)
    r = client.post(
        reverse("console:grant_create"),
        {"person": w.zhang.pk, "role": "approver", "kind": "loan", "max_level": Level.SECRET},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert w.zhang.authorities.get().max_level == Level.SECRET
    done("person.grant_approval_authority", w.secadmin)
    r = client.post(reverse("console:grant_create"), {"person": w.li.pk, "role": "registry_clerk"})
    assert r.status_code == 302 and Person.objects.get(pk=w.li.pk).is_registry_clerk
    # the three system accounts are not even offered; a forged post is refused
    form = client.get(reverse("console:grant_create")).content.decode()
    assert "安全审计员（" not in form
    r = client.post(reverse("console:grant_create"), {"person": w.auditor.pk, "role": "unit_head"})
    assert r.status_code == 422 and not Person.objects.get(pk=w.auditor.pk).is_unit_head
    r = client.post(reverse("console:grant_revoke", args=[f"registry_clerk-{w.li.pk}"]))
    assert r.status_code == 302 and not Person.objects.get(pk=w.li.pk).is_registry_clerk
    done("person.revoke_role", w.secadmin)
    r = client.post(
        reverse("console:authority_edit", args=[w.unit.pk]), {"classification_authority": "none"}
    )
    assert r.status_code == 302
    w.unit.refresh_from_db()
    assert w.unit.classification_authority == "none"


def test_r_sec_3_sysadmin_may_not_grant_through_the_page(world, as_):
    w = world
    r = as_(w.sysadmin).post(
        reverse("console:grant_create"), {"person": w.zhang.pk, "role": "registry_clerk"}
    )
    assert r.status_code == 403 and not Person.objects.get(pk=w.zhang.pk).is_registry_clerk
    r = as_(w.sysadmin).post(reverse("console:grant_revoke", args=[f"registry_clerk-{w.clerk.pk}"]))
    assert r.status_code == 403 and Person.objects.get(pk=w.clerk.pk).is_registry_clerk


def test_r_sec_3_secadmin_may_not_create_a_person_or_unit_through_the_page(world, as_):
    w = world
    before = Person.objects.count(), Unit.objects.count()
    r = as_(w.secadmin).post(reverse("console:person_create"), {"name": "新人", "unit": w.unit.pk})
    assert r.status_code == 403
    r = as_(w.secadmin).post(
        reverse("console:unit_create"), {"name": "新", "code": "N", "placement": "below"}
    )
    assert r.status_code == 403
    assert before == (Person.objects.count(), Unit.objects.count())


def test_r_sec_3_sysadmin_sees_no_carrier_audit_or_vetting_page(world, as_):
    w = world
    carrier = receive(w)
    client = as_(w.sysadmin)
    for url in (
        reverse("carriers:list"),
        reverse("carriers:detail", args=[carrier.pk]),
        reverse("audit:list"),
        reverse("personnel:list"),
        reverse("personnel:detail", args=[w.zhang.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


# --- landing and menus by role ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, landing",
    [
        ("leader", "reports:dashboard"),
        ("clerk", "carriers:list"),
        ("zhang", "carriers:holdings"),
        ("wang", "carriers:holdings"),
        ("sysadmin", "console:units"),
        ("secadmin", "console:grants"),
        ("auditor", "audit:list"),
    ],
)
def test_each_role_lands_where_its_work_is(world, as_, who, landing):
    r = as_(getattr(world, who)).get(reverse("home"))
    assert r.status_code == 302 and r.url == reverse(landing)
    assert as_(getattr(world, who)).get(r.url).status_code == 200


def test_an_approver_lands_on_the_dashboard(world, as_):
    from baomi.org import actions as org

    org.grant_approval_authority(world.secadmin, world.zhang, RequestKind.LOAN, Level.SECRET)
    assert as_(world.zhang).get(reverse("home")).url == reverse("reports:dashboard")


def test_leader_dashboard_counts_what_waits_for_them(world, as_):
    w = world
    carrier = receive(w)
    approvals.create_request(
        w.zhang,
        approvals.RequestForm(
            kind=RequestKind.LOAN,
            carriers=[carrier],
            reason="工作需要",
            approver=w.leader,
            due_date=timezone.localdate() + timedelta(days=3),
        ),
    )
    page = as_(w.leader).get(reverse("reports:dashboard")).content.decode()
    assert 'data-figure="awaiting_me">1<' in page and "待我审批" in page


def nav_of(client) -> str:
    html = client.get(reverse("web:profile")).content.decode()
    return html[html.index('aria-label="主导航"') : html.index("</nav>")]


def test_a_non_cleared_person_sees_no_destruction_handover_or_inbox(world, as_):
    nav = nav_of(as_(world.wang))
    assert "我持有的" in nav
    for label in ("销毁清单", "交接", "待我审批", "单位", "业务角色授权", "审计"):
        assert label not in nav, label


def test_leader_and_clerk_menus(world, as_):
    leader = nav_of(as_(world.leader))
    for label in ("看板", "待我审批", "销毁清单", "交接"):
        assert label in leader, label
    clerk = nav_of(as_(world.clerk))
    for label in ("台账", "登记", "销毁清单", "交接", "清查"):
        assert label in clerk, label
    zhang = nav_of(as_(world.zhang))
    assert "销毁清单" in zhang and "待我审批" not in zhang  # cleared, approves nothing


@pytest.mark.parametrize(
    "who, present, absent",
    [
        (
            "sysadmin",
            ["单位", "部门", "人员", "存放位置"],
            ["台账", "业务角色授权", "审计", "审批路径"],
        ),
        (
            "secadmin",
            ["业务角色授权", "定密权限", "审批路径与设置", "保密组织"],
            ["台账", "存放位置", "审计"],
        ),
        ("auditor", ["审计"], ["台账", "存放位置", "业务角色授权", "审批路径"]),
    ],
)
def test_the_three_system_roles_see_their_console_entries_only(world, as_, who, present, absent):
    nav = nav_of(as_(getattr(world, who)))
    for label in present:
        assert label in nav, label
    for label in absent:
        assert label not in nav, label
