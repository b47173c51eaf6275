"""The administration resources of the JSON API (design.md: units, departments, people, places,
grants): what the 系统管理员 and the 安全保密管理员 may do, each write audited, and SEC-3 held —
the 系统管理员 sees no carrier, vetting record or audit row and grants nothing; the 安全保密管理员
creates no person, unit or place."""

from __future__ import annotations

import pytest

from baomi.audit.models import AuditEvent
from baomi.classification.choices import Level
from baomi.org.models import Department, Person, Unit
from tests.api.helpers import api_as, assert_conforms, assert_error, last_seq
from tests.api.test_api_rules import received
from tests.factories import PASSWORD, receive


@pytest.fixture
def sysadmin(world):
    return api_as(world, world.sysadmin)


@pytest.fixture
def secadmin(world):
    return api_as(world, world.secadmin)


def audited(event_type: str, since: int, actor: Person) -> AuditEvent:
    event = AuditEvent.objects.filter(seq__gt=since, event_type=event_type, outcome="done").last()
    assert event is not None and event.actor_id == actor.pk, event_type
    return event


def test_units_tree_create_below_and_above_and_patch(world, sysadmin):
    w = world
    listed = sysadmin.get("units")
    assert listed.status_code == 200
    assert_conforms(listed, "get", "units")
    tree = [(u["name"], u["depth"]) for u in listed.json()["results"]]
    assert tree == [("XX省保密局", 0), ("XX市人民政府办公室", 1)]
    seq = last_seq()
    made = sysadmin.post("units", {"name": "XX区办公室", "code": "D01", "parent_id": w.unit.pk})
    assert made.status_code == 201, made.content
    assert made.json()["classification_authority"] == "none"
    audited("unit.create", seq, w.sysadmin)
    above = sysadmin.post(
        "units", {"name": "XX市保密局", "code": "R01", "superior_of_id": w.unit.pk}
    )
    assert above.status_code == 201
    w.unit.refresh_from_db()
    assert w.unit.parent_id == above.json()["id"]
    depths = {u["name"]: u["depth"] for u in sysadmin.get("units").json()["results"]}
    assert depths == {"XX省保密局": 0, "XX市保密局": 1, "XX市人民政府办公室": 2, "XX区办公室": 3}
    patched = sysadmin.patch(f"units/{made.json()['id']}", {"name": "XX区政府办公室"})
    assert patched.status_code == 200 and patched.json()["name"] == "XX区政府办公室"
    assert_conforms(patched, "patch", "units/{unit_id}")
    audited("unit.update", seq, w.sysadmin)
    assert_error(sysadmin.get("units/999999"), 404, "not_found")
    looped = sysadmin.patch(f"units/{w.province.pk}", {"parent_id": w.unit.pk})
    assert_error(looped, 422, "invalid")


def test_r_sec_3_classification_authority_is_the_secadmins_through_the_api(
    world, sysadmin, secadmin
):
    w = world
    assert_error(
        sysadmin.patch(f"units/{w.unit.pk}", {"classification_authority": "top_secret"}),
        403,
        "forbidden",
    )
    seq = last_seq()
    done = secadmin.patch(f"units/{w.unit.pk}", {"classification_authority": "none"})
    assert done.status_code == 200 and done.json()["classification_authority_display"] == "无"
    audited("unit.set_classification_authority", seq, w.secadmin)
    assert_error(secadmin.patch(f"units/{w.unit.pk}", {"name": "改名"}), 403, "forbidden")
    assert_error(secadmin.post("units", {"name": "新", "code": "N1"}), 403, "forbidden")


def test_departments_with_parent_and_head(world, sysadmin):
    w = world
    seq = last_seq()
    chu = sysadmin.post("departments", {"name": "秘书处", "head_id": w.leader.pk})
    assert chu.status_code == 201, chu.content
    assert chu.json()["head"] == {"id": w.leader.pk, "name": "钱领导"}
    ke = sysadmin.post("departments", {"name": "文电科", "parent_id": chu.json()["id"]})
    assert ke.json()["parent_id"] == chu.json()["id"]
    audited("department.create", seq, w.sysadmin)
    patched = sysadmin.patch(f"departments/{ke.json()['id']}", {"head_id": w.zhang.pk})
    assert patched.json()["head"]["id"] == w.zhang.pk
    assert_conforms(patched, "patch", "departments/{department_id}")
    audited("department.update", seq, w.sysadmin)
    assert_error(
        sysadmin.post("departments", {"name": "三员科", "head_id": w.auditor.pk}), 403, "SEC-3"
    )
    # the caller's-unit list still works for business users, with the new fields
    listed = api_as(w, w.zhang).get("departments")
    assert listed.status_code == 200 and listed.json()["count"] == 6
    assert_conforms(listed, "get", "departments")


def test_people_create_edit_deactivate_reactivate(world, sysadmin):
    w = world
    seq = last_seq()
    made = sysadmin.post(
        "people",
        {"name": "周新", "number": "A-001", "department_id": w.office.pk, "post": "科员"},
    )
    assert made.status_code == 201, made.content
    assert_conforms(made, "post", "people")
    body = made.json()
    assert (body["number"], body["department_name"], body["username"]) == (
        "A-001",
        "办公室秘书科",
        "",
    )
    audited("person.create", seq, w.sysadmin)
    pid = body["id"]
    moved = sysadmin.patch(f"people/{pid}", {"post": "副科长", "department_id": w.finance.pk})
    assert moved.json()["department_name"] == "财务科"
    audited("person.update", seq, w.sysadmin)
    stopped = sysadmin.patch(f"people/{pid}", {"active": False})
    assert stopped.json()["active"] is False
    audited("person.deactivate", seq, w.sysadmin)
    assert sysadmin.patch(f"people/{pid}", {"active": True}).json()["active"] is True
    audited("person.reactivate", seq, w.sysadmin)
    assert sysadmin.get("people", {"active": "false"}).json()["count"] == 0
    assert sysadmin.post(f"people/{pid}/deactivate").json()["active"] is False
    assert_error(sysadmin.post(f"people/{pid}/deactivate"), 409, "invalid_state")
    assert sysadmin.post(f"people/{pid}/reactivate").json()["active"] is True
    assert_error(sysadmin.post(f"people/{w.secadmin.pk}/deactivate"), 403, "SEC-3")
    assert sysadmin.get("people", {"q": "A-001"}).json()["results"][0]["id"] == pid
    # duplicate number: a field error
    again = sysadmin.post("people", {"name": "另一人", "number": "A-001"})
    assert "number" in assert_error(again, 422, "invalid")["detail"]


def test_people_get_still_works_for_business_users(world):
    zhang = api_as(world, world.zhang)
    assert zhang.get("people").json()["count"] == 9
    assert_error(zhang.patch(f"people/{world.li.pk}", {"post": "改"}), 403, "forbidden")
    assert_error(zhang.post("people", {"name": "新人"}), 403, "forbidden")


def test_r_sec_3_secadmin_may_not_create_people_departments_or_places(world, secadmin):
    w = world
    before = Person.objects.count(), Department.objects.count(), Unit.objects.count()
    assert_error(secadmin.post("people", {"name": "新人"}), 403, "forbidden")
    assert_error(secadmin.post("departments", {"name": "新部门"}), 403, "forbidden")
    assert_error(secadmin.post("places", {"name": "柜", "kind": "safe"}), 403, "forbidden")
    assert_error(secadmin.patch(f"people/{w.zhang.pk}", {"active": False}), 403, "forbidden")
    assert before == (Person.objects.count(), Department.objects.count(), Unit.objects.count())


def test_places_create_rename_retire(world, sysadmin):
    w = world
    seq = last_seq()
    safe = sysadmin.post("places", {"name": "机要室保险柜3号", "kind": "safe"})
    assert safe.status_code == 201, safe.content
    assert_conforms(safe, "post", "places")
    assert safe.json()["is_safe"] is True and safe.json()["kind_display"] == "保险柜"
    audited("place.create", seq, w.sysadmin)
    pid = safe.json()["id"]
    renamed = sysadmin.patch(f"places/{pid}", {"name": "机要室保险柜甲"})
    assert renamed.json()["name"] == "机要室保险柜甲"
    retired = sysadmin.patch(f"places/{pid}", {"active": False})
    assert retired.json()["active"] is False
    audited("place.retire", seq, w.sysadmin)
    clerk = api_as(w, w.clerk)
    names = [p["name"] for p in clerk.get("places").json()["results"]]
    assert "机要室保险柜甲" not in names
    assert len(clerk.get("places", {"include_retired": "true"}).json()["results"]) == len(names) + 1
    # CR-15: the safe made here is what registration of 绝密 accepts (after reinstating it)
    sysadmin.patch(f"places/{pid}", {"active": True})
    top = clerk.post("carriers", received(w, level="top_secret", place_id=pid))
    assert top.status_code == 201, top.content
    cabinet = sysadmin.post("places", {"name": "新文件柜", "kind": "cabinet"}).json()["id"]
    refused = clerk.post("carriers", received(w, level="top_secret", place_id=cabinet))
    assert_error(refused, 403, "CR-15")
    # a safe holding 绝密 keeps its kind and stays in use
    assert_error(sysadmin.patch(f"places/{pid}", {"kind": "cabinet"}), 403, "CR-15")
    assert_error(sysadmin.patch(f"places/{pid}", {"active": False}), 409, "invalid_state")
    assert_error(sysadmin.post(f"places/{pid}/retire"), 409, "invalid_state")
    assert sysadmin.post(f"places/{cabinet}/retire").json()["active"] is False


def test_grants_list_grant_and_revoke(world, secadmin):
    w = world
    listed = secadmin.get("grants")
    assert listed.status_code == 200
    assert_conforms(listed, "get", "grants")
    roles = {(g["person"]["name"], g["role"]) for g in listed.json()["results"]}
    assert ("赵保密", "registry_clerk") in roles and ("孙定密", "classifier") in roles
    assert ("钱领导", "approver") in roles and ("钱领导", "unit_head") in roles
    seq = last_seq()
    made = secadmin.post(
        "grants",
        {"person_id": w.zhang.pk, "role": "approver", "kind": "loan", "max_level": "secret"},
    )
    assert made.status_code == 201, made.content
    grant = made.json()[0]
    assert (grant["kind_display"], grant["max_level_display"]) == ("借阅", "机密")
    assert grant["scope"] == "借阅，最高机密"
    audited("person.grant_approval_authority", seq, w.secadmin)
    clerk = secadmin.post("grants", {"person_id": w.li.pk, "role": "registry_clerk"})
    assert clerk.status_code == 201 and Person.objects.get(pk=w.li.pk).is_registry_clerk
    seat = secadmin.post(
        "grants", {"person_id": w.li.pk, "role": "committee", "committee_role": "deputy"}
    )
    assert seat.json()[0]["committee_role"] == "deputy"
    assert secadmin.get("grants", {"person": w.li.pk}).json()["count"] == 2
    assert secadmin.delete(f"grants/{grant['id']}").status_code == 204
    assert not w.zhang.authorities.exists()
    audited("person.revoke_approval_authority", seq, w.secadmin)
    assert secadmin.post(f"grants/registry_clerk-{w.li.pk}/revoke").status_code == 204
    assert not Person.objects.get(pk=w.li.pk).is_registry_clerk
    assert (
        secadmin.delete(f"grants/committee-{seat.json()[0]['id'].split('-')[1]}").status_code == 204
    )
    assert secadmin.get("grants", {"person": w.li.pk}).json()["count"] == 0
    assert_error(secadmin.delete("grants/registry_clerk-999999"), 404, "not_found")
    assert_error(secadmin.delete("grants/nonsense"), 404, "not_found")
    approver = secadmin.post("grants", {"person_id": w.zhang.pk, "role": "approver"})
    assert set(assert_error(approver, 422, "invalid")["detail"]) == {"kind", "max_level"}


@pytest.mark.parametrize("role", ["registry_clerk", "approver", "unit_head", "committee"])
def test_r_sec_3_no_business_role_for_a_system_account_through_the_api(world, secadmin, role):
    body = {"person_id": world.auditor.pk, "role": role}
    if role == "approver":
        body.update(kind="loan", max_level="secret")
    assert_error(secadmin.post("grants", body), 403, "SEC-3")
    assert not Person.objects.get(pk=world.auditor.pk).is_registry_clerk


def test_r_sec_3_sysadmin_may_not_grant_or_revoke_through_the_api(world, sysadmin):
    w = world
    assert_error(sysadmin.get("grants"), 403, "forbidden")
    assert_error(
        sysadmin.post("grants", {"person_id": w.zhang.pk, "role": "registry_clerk"}),
        403,
        "forbidden",
    )
    assert_error(sysadmin.delete(f"grants/registry_clerk-{w.clerk.pk}"), 403, "forbidden")
    assert Person.objects.get(pk=w.clerk.pk).is_registry_clerk
    assert not Person.objects.get(pk=w.zhang.pk).is_registry_clerk


def test_r_sec_3_business_users_reach_no_administration_write(world):
    leader = api_as(world, world.leader)
    assert_error(leader.get("units"), 403, "forbidden")
    assert_error(leader.get("grants"), 403, "forbidden")
    assert_error(leader.post("places", {"name": "柜", "kind": "safe"}), 403, "forbidden")


def test_r_sec_3_sysadmin_sees_no_carrier_vetting_record_or_audit_row(world, sysadmin):
    w = world
    carrier = receive(w, level=Level.INTERNAL)
    assert sysadmin.get("carriers").json()["count"] == 0
    assert_error(sysadmin.get(f"carriers/{carrier.pk}"), 404, "not_found")
    for path in ("audit/events", "audit/verify"):
        assert sysadmin.get(path).status_code in (403, 404), path
    for path in (
        "classified-people",
        f"people/{w.zhang.pk}/record",
        f"units/{w.unit.pk}/statistics",
    ):
        assert sysadmin.get(path).status_code in (403, 404), path
    # the directory it administers holds no vetting record either
    person = sysadmin.get(f"people/{w.zhang.pk}").json()
    assert not {"vettings", "clearance_decisions", "commitments"} & set(person)


def test_r_org_4_superior_unit_made_through_the_api_sees_statistics_not_carriers(world, sysadmin):
    from baomi.org import actions as org

    w = world
    receive(w, level=Level.SECRET, title="不可外泄的标题")
    region = sysadmin.post(
        "units", {"name": "XX市保密局", "code": "R01", "superior_of_id": w.unit.pk}
    )
    officer = org.create_person(  # with a login: accounts have their own resource
        w.sysadmin,
        Unit.objects.get(pk=region.json()["id"]),
        name="市保密办吴",
        username="wu",
        password=PASSWORD,
    )
    org.set_clearance(w.secadmin, officer, "core")
    org.grant_role(w.secadmin, officer, "is_registry_clerk")
    client = api_as(w, officer)
    stats = client.get(f"units/{w.unit.pk}/statistics")
    assert stats.status_code == 200, stats.content
    assert "不可外泄的标题" not in stats.content.decode()
    assert client.get("carriers").json()["count"] == 0
    superior = f"units/{region.json()['id']}/statistics"
    assert_error(api_as(w, w.clerk).get(superior), 403, "ORG-4")  # never the other way round
