"""The 系统管理员's and the 安全保密管理员's actions (issue 8): every change audited, and 三员分立
(SEC-3) held by the actions — the 系统管理员 grants no role or level, the 安全保密管理员 creates
no person or unit, a system account never takes a business role."""

from __future__ import annotations

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers.choices import PlaceKind
from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.org.grants import grant, grants_in, revoke_grant
from baomi.org.models import CommitteeMember, Person
from baomi.personnel.selectors import unit_statistics, units_supervised_by
from tests.factories import receive, refused


def last_event(event_type: str) -> AuditEvent:
    event = AuditEvent.objects.filter(event_type=event_type).order_by("-seq").first()
    assert event is not None, f"no audit row {event_type}"
    return event


def test_sysadmin_changes_to_units_departments_people_are_audited(world):
    w = world
    sub = org.create_unit(w.sysadmin, name="XX区办公室", code="D01", parent=w.unit)
    assert last_event("unit.create").actor_id == w.sysadmin.pk
    org.update_unit(w.sysadmin, sub, name="XX区政府办公室")
    assert last_event("unit.update").after["name"] == "XX区政府办公室"
    chu = org.create_department(w.sysadmin, w.unit, name="秘书处", head=w.leader)
    ke = org.create_department(w.sysadmin, w.unit, name="文电科", parent=chu)
    assert ke.parent == chu and chu.head == w.leader
    assert last_event("department.create").after["parent"] == chu.pk
    org.update_department(w.sysadmin, ke, name="文电二科", head=w.zhang)
    assert last_event("department.update").after == {
        "name": "文电二科",
        "parent": chu.pk,
        "head": w.zhang.pk,
    }
    p = org.create_person(
        w.sysadmin, w.unit, name="周新", number="A-001", department=ke, post="科员"
    )
    assert (p.number, p.department, p.post) == ("A-001", ke, "科员")
    assert last_event("person.create").after["number"] == "A-001"
    org.update_person(w.sysadmin, p, post="副科长", unit=sub)
    p.refresh_from_db()
    assert p.unit == sub and p.department is None and p.post == "副科长"
    assert last_event("person.update").before["unit"] == w.unit.pk
    org.deactivate_person(w.sysadmin, p)
    assert not Person.objects.get(pk=p.pk).active
    org.reactivate_person(w.sysadmin, p)
    assert Person.objects.get(pk=p.pk).active
    assert last_event("person.deactivate") and last_event("person.reactivate")


def test_department_tree_cannot_loop(world):
    w = world
    chu = org.create_department(w.sysadmin, w.unit, name="秘书处")
    ke = org.create_department(w.sysadmin, w.unit, name="文电科", parent=chu)
    with refused("invalid", audited=False):
        org.update_department(w.sysadmin, chu, parent=ke)


def test_duplicate_number_and_unit_code_are_field_errors(world):
    w = world
    org.update_person(w.sysadmin, w.zhang, number="007")
    with refused("invalid", audited=False) as info:
        org.create_person(w.sysadmin, w.unit, name="另一人", number="007")
    assert "number" in info.value.detail
    with refused("invalid", audited=False) as info:
        org.create_unit(w.sysadmin, name="新单位", code="C01", parent=None)
    assert "code" in info.value.detail


def test_r_org_4_superior_unit_created_by_sysadmin_sees_subordinate_statistics_only(world):
    w = world
    receive(w, level=Level.SECRET, title="不可外泄的标题")
    region = org.create_unit(
        w.sysadmin, name="XX市保密局", code="R01", parent=None, superior_of=w.unit
    )
    w.unit.refresh_from_db()
    assert w.unit.parent == region and region.parent == w.province
    assert last_event("unit.create").after["superior_of"] == w.unit.pk
    officer = org.create_person(w.sysadmin, region, name="市保密办吴")
    org.set_clearance(w.secadmin, officer, "core")
    org.grant_role(w.secadmin, officer, "is_registry_clerk")
    assert [u.pk for u in units_supervised_by(officer)] == [w.unit.pk]
    stats = unit_statistics(officer, w.unit)
    assert stats["carriers_total"] == 1
    assert "不可外泄的标题" not in str(stats)
    from baomi.carriers.selectors import carriers_visible_to

    assert not carriers_visible_to(officer).exists()


def test_r_sec_3_sysadmin_may_not_give_a_new_unit_a_classification_authority(world):
    w = world
    with refused("SEC-3"):
        org.create_unit(
            w.sysadmin, name="新单位", code="N01", parent=w.unit, classification_authority="secret"
        )


def test_r_sec_3_secadmin_sets_the_classification_authority_and_the_sysadmin_may_not(world):
    w = world
    with refused("forbidden"):
        org.set_classification_authority(w.sysadmin, w.unit, "top_secret")
    org.set_classification_authority(w.secadmin, w.unit, "none")
    w.unit.refresh_from_db()
    assert w.unit.classification_authority == "none" and w.unit.authority_level == Level.INTERNAL
    assert last_event("unit.set_classification_authority").before == {
        "classification_authority": "secret"
    }


@pytest.mark.parametrize("role", ["is_registry_clerk", "is_classifier", "is_unit_head"])
def test_r_sec_3_sysadmin_may_not_grant_a_role(world, role):
    w = world
    with refused("forbidden"):
        org.grant_role(w.sysadmin, w.zhang, role)


def test_r_sec_3_sysadmin_may_not_grant_approval_or_clearance(world):
    w = world
    with refused("forbidden"):
        org.grant_approval_authority(w.sysadmin, w.zhang, "loan", Level.SECRET)
    with refused("forbidden"):
        org.set_clearance(w.sysadmin, w.wang, "general")


def test_r_sec_3_secadmin_may_not_create_people_units_or_places(world):
    w = world
    with refused("forbidden"):
        org.create_person(w.secadmin, w.unit, name="新人", username="xinren", password="x")
    with refused("forbidden"):
        org.create_unit(w.secadmin, name="新单位", code="N01", parent=w.unit)
    with refused("forbidden"):
        org.create_department(w.secadmin, w.unit, name="新部门")
    with refused("forbidden"):
        org.update_person(w.secadmin, w.zhang, name="改名")
    with refused("forbidden"):
        carriers.create_place(w.secadmin, w.unit, name="保险柜9号", kind=PlaceKind.SAFE)


@pytest.mark.parametrize(
    "role", ["registry_clerk", "classifier", "unit_head", "approver", "committee"]
)
def test_r_sec_3_a_system_role_person_is_never_granted_a_business_role(world, role):
    w = world
    for system_person in (w.sysadmin, w.auditor):
        with refused("SEC-3"):
            grant(w.secadmin, system_person, role, kind="loan", max_level=Level.SECRET)


def test_r_sec_3_a_system_account_cannot_be_made_a_department_head(world):
    w = world
    with refused("SEC-3"):
        org.create_department(w.sysadmin, w.unit, name="新部门", head=w.auditor)


def test_r_sec_3_system_accounts_are_not_stopped_from_the_console(world):
    w = world
    with refused("SEC-3"):
        org.deactivate_person(w.sysadmin, w.secadmin)


def test_r_cr_13_a_holder_is_deactivated_only_after_handing_over(world):
    w = world
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang)
    with refused("CR-13"):
        org.deactivate_person(w.sysadmin, w.zhang)


def test_secadmin_grants_and_revokes_every_business_role_audited(world):
    w = world
    grant(w.secadmin, w.zhang, "registry_clerk")
    grant(w.secadmin, w.zhang, "approver", kind="copy", max_level=Level.CONFIDENTIAL)
    grant(w.secadmin, w.li, "committee", committee_role="member")
    grant(w.secadmin, w.li, "classifier")
    grant(w.secadmin, w.li, "unit_head")
    zhang = {g.role: g for g in grants_in([w.unit.pk], person=w.zhang)}
    assert set(zhang) == {"registry_clerk", "approver"}
    assert zhang["approver"].scope == "复制，最高秘密"
    li = {g.role for g in grants_in([w.unit.pk], person=w.li)}
    assert li == {"committee", "classifier", "unit_head"}
    events = ["person.grant_role", "person.grant_approval_authority", "committee.add_member"]
    for event in events:
        assert last_event(event).actor_id == w.secadmin.pk
    for g in grants_in([w.unit.pk], person=w.zhang) + grants_in([w.unit.pk], person=w.li):
        revoke_grant(w.secadmin, g.id, [w.unit.pk])
    assert grants_in([w.unit.pk], person=w.zhang) == []
    assert grants_in([w.unit.pk], person=w.li) == []
    assert CommitteeMember.objects.get(person=w.li).end_on is not None
    for event in ["person.revoke_role", "person.revoke_approval_authority", "committee.end_member"]:
        assert last_event(event).actor_id == w.secadmin.pk


def test_r_sec_3_sysadmin_may_not_revoke_a_role(world):
    w = world
    with refused("forbidden"):
        revoke_grant(w.sysadmin, f"registry_clerk-{w.clerk.pk}", [w.unit.pk])


def test_approver_grant_names_a_known_kind_and_level(world):
    w = world
    with refused("invalid", audited=False) as info:
        org.grant_approval_authority(w.secadmin, w.zhang, "teleport", "ultra")
    assert "kind" in info.value.detail


# --- places ---------------------------------------------------------------------------------------


def test_places_created_renamed_retired_audited(world):
    w = world
    safe = carriers.create_place(w.sysadmin, w.unit, name="机要室保险柜3号", kind=PlaceKind.SAFE)
    assert safe.is_safe and last_event("place.create").after == {
        "name": "机要室保险柜3号",
        "kind": "safe",
    }
    carriers.update_place(w.sysadmin, safe, name="机要室保险柜甲")
    assert last_event("place.update").before["name"] == "机要室保险柜3号"
    carriers.retire_place(w.sysadmin, safe)
    safe.refresh_from_db()
    assert not safe.active
    carriers.reinstate_place(w.sysadmin, safe)
    assert last_event("place.retire") and last_event("place.reinstate")


def test_r_cr_15_a_safe_made_in_the_console_takes_top_secret_and_a_cabinet_does_not(world):
    w = world
    safe = carriers.create_place(w.sysadmin, w.unit, name="新保险柜", kind=PlaceKind.SAFE)
    cabinet = carriers.create_place(w.sysadmin, w.unit, name="新文件柜", kind=PlaceKind.CABINET)
    top = receive(w, level=Level.TOP_SECRET, place=safe)
    assert top.place == safe
    with pytest.raises(Exception) as info:
        receive(w, level=Level.TOP_SECRET, place=cabinet)
    assert getattr(info.value, "rule_id", "") == "CR-15"


def test_r_cr_15_a_safe_holding_carriers_keeps_its_kind_and_is_not_retired(world):
    w = world
    receive(w, level=Level.TOP_SECRET, place=w.safe)
    with refused("CR-15"):
        carriers.update_place(w.sysadmin, w.safe, kind=PlaceKind.CABINET)
    with refused("invalid_state"):
        carriers.retire_place(w.sysadmin, w.safe)


def test_a_retired_place_takes_no_carrier(world):
    w = world
    spare = carriers.create_place(w.sysadmin, w.unit, name="旧文件柜", kind=PlaceKind.CABINET)
    carriers.retire_place(w.sysadmin, spare)
    with pytest.raises(Exception) as info:
        receive(w, level=Level.SECRET, place=spare)
    assert "place" in getattr(info.value, "detail", {})
