"""ORG-4: a superior unit's 保密办 sees its subordinates' statistics, never their carriers' titles,
and never the other way round."""

from __future__ import annotations

import json

import pytest

from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.personnel.selectors import unit_statistics, units_supervised_by
from tests.factories import receive
from tests.personnel.helpers import refused


@pytest.fixture
def province_clerk(world):
    system = org.automation_actor(world.province)
    clerk = org.create_person(system, world.province, name="省保密办刘", post="保密员")
    org.set_clearance(system, clerk, "core")
    return org.grant_role(system, clerk, "is_registry_clerk")


def test_r_org_4_superior_office_sees_subordinate_statistics_without_titles(world, province_clerk):
    receive(world, level=Level.SECRET, copies=2, title="绝不可外泄的标题")
    assert [u.pk for u in units_supervised_by(province_clerk)] == [world.unit.pk]
    stats = unit_statistics(province_clerk, world.unit)
    assert stats["carriers_total"] == 2
    assert stats["carriers_by_level"] == {"secret": 2}
    assert stats["people_by_clearance"]["core"] == 2
    assert "绝不可外泄的标题" not in json.dumps(stats, ensure_ascii=False)


def test_r_org_4_subordinate_office_cannot_see_its_superior(world, province_clerk):
    assert units_supervised_by(world.clerk) == []
    with refused("ORG-4"):
        unit_statistics(world.clerk, world.province)


def test_r_org_4_a_sibling_unit_is_not_supervised(world, province_clerk):
    system = org.automation_actor(world.province)
    sibling = org.create_unit(
        system,
        name="XX县保密局",
        code="C02",
        parent=world.province,
        classification_authority="secret",
    )
    with refused("ORG-4"):
        unit_statistics(world.clerk, sibling)
    assert {u.pk for u in units_supervised_by(province_clerk)} == {world.unit.pk, sibling.pk}
