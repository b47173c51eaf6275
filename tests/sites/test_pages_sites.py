"""Key-place pages: the ledger, the visitor register (SITE-2 refusal shown), the door terminal,
exports with the level banner."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from baomi.sites.models import ClosingCheck, Visit
from tests.sites.helpers import registry_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_(client):
    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


def test_site_pages_render(world, as_):
    site = registry_room(world)
    client = as_(world.clerk)
    for url in ("/sites/", f"/sites/{site.pk}/", "/sites/visits/", "/sites/checks/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert as_(world.zhang).get(f"/sites/{site.pk}/").status_code == 404
    assert as_(world.sysadmin).get("/sites/").status_code == 403


def test_r_site_2_no_escort_refused_on_the_page(world, as_):
    site = registry_room(world)
    response = as_(world.clerk).post(
        "/sites/visits/",
        {
            "site": site.pk,
            "visitor_name": "陈来访",
            "organisation": "XX省保密局",
            "id_kind": "id_card",
            "id_number": "110101199001011234",
            "id_checked": "on",
            "purpose": "检查",
            "host": world.leader.pk,
        },
    )
    assert response.status_code == 403
    assert 'data-code="SITE-2"' in response.content.decode()
    assert not Visit.objects.exists()


def test_closing_check_terminal_records(world, as_):
    site = registry_room(world)
    client = as_(world.leader)
    assert client.get("/sites/closing-check/").url == f"/sites/{site.pk}/closing-check/"
    form = {name: "on" for name in ("power_off", "alarm_on", "windows_closed", "doors_locked")}
    refused = client.post(f"/sites/{site.pk}/closing-check/", form)
    assert refused.status_code == 422  # 保险柜 not confirmed and no note
    done = client.post(f"/sites/{site.pk}/closing-check/", {**form, "safes_locked": "on"})
    assert done.status_code == 302
    assert ClosingCheck.objects.get().all_ok


def test_site_exports_carry_the_level_banner(world, as_):
    registry_room(world)
    client = as_(world.clerk)
    for url, header, banner in (
        ("/sites/export.xlsx", "名称", "绝密"),  # the highest 涉密程度 on it
        ("/sites/visits.xlsx", "要害部位", "内部"),  # nothing on it yet: 内部 at least
        ("/sites/keys.xlsx", "要害部位", "内部"),
        ("/sites/checks.xlsx", "日期", "内部"),
    ):
        sheet = load_workbook(BytesIO(client.get(url).content)).active
        assert sheet["A1"].value == banner, url
        assert sheet["A3"].value == header, url
    assert client.get("/sites/export.pdf")["Content-Type"] == "application/pdf"
