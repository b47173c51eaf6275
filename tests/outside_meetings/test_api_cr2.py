"""CR-2 through the JSON API (`meeting-attendances`): record, declare, the refusals of using a
declared paper (403 CR-2, nothing changed, audited), and the 保密员's registration."""

from __future__ import annotations

import pytest

from baomi.approvals.choices import RequestKind
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from tests.api.helpers import assert_conforms, assert_error, assert_refused, last_seq, ledger_state
from tests.factories import approved, receive

pytestmark = pytest.mark.django_db


def _declared(api, w):
    made = api(w.zhang).post(
        "meeting-attendances",
        {
            "meeting_title": "全省保密工作会议",
            "organiser": "XX省保密局",
            "held_on": "2026-09-30",
            "level": "secret",
        },
    )
    assert made.status_code == 201, made.content
    assert_conforms(made, "post", "meeting-attendances")
    body = made.json()
    assert body["declared"] is False and body["declare_by"] == "2026-10-09"  # 国庆 2026
    response = api(w.zhang).post(
        f"meeting-attendances/{body['id']}/papers",
        {"papers": [{"title": "会议材料之一", "level": "secret", "original_copy_no": "017"}]},
    )
    assert response.status_code == 200, response.content
    paper = response.json()["papers"][0]
    assert paper["status"] == "declared" and paper["holder"]["id"] == w.zhang.pk
    return body["id"], paper["carrier_id"]


@pytest.mark.parametrize("doing", ["circulate", "lend", "copy"])
def test_cr_2_using_a_declared_paper_is_refused_api(api, world, doing):
    w = world
    _, carrier_id = _declared(api, w)
    other = receive(w)
    kind = {"lend": RequestKind.LOAN, "copy": RequestKind.COPY}
    body = {"circulate": {"reader_id": w.zhang.pk}}.get(doing)
    if doing in kind:
        request = approved(w, kind[doing], [other])
        body = {"request_id": request.pk, **({"copies": 1} if doing == "copy" else {})}
    before, seq = ledger_state(), last_seq()
    response = api(w.clerk).post(f"carriers/{carrier_id}/{doing}", body)
    error = assert_refused(response, "CR-2", before, seq)
    assert "CR-2" in error["message"]


def test_cr_2_register_then_use_api(api, world):
    w = world
    attendance_id, carrier_id = _declared(api, w)
    waiting = api(w.clerk).get("meeting-attendances/declared-papers")
    assert [p["carrier_id"] for p in waiting.json()["results"]] == [carrier_id]
    assert api(w.zhang).get("meeting-attendances/declared-papers").json()["count"] == 0
    response = api(w.clerk).post(
        f"meeting-attendances/declared-papers/{carrier_id}/register",
        {"place_id": w.cabinet.pk, "scope_department_ids": [w.office.pk]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_registry"
    assert Carrier.objects.get(pk=carrier_id).status == Status.IN_REGISTRY
    circulated = api(w.clerk).post(f"carriers/{carrier_id}/circulate", {"reader_id": w.zhang.pk})
    assert circulated.status_code == 200, circulated.content
    # Registered once: a second registration finds nothing waiting.
    again = api(w.clerk).post(
        f"meeting-attendances/declared-papers/{carrier_id}/register", {"place_id": w.cabinet.pk}
    )
    assert_error(again, 404, "not_found")
    detail = api(w.zhang).get(f"meeting-attendances/{attendance_id}")
    assert detail.json()["papers"][0]["registered_by"]["id"] == w.clerk.pk


def test_attendances_are_private_and_none_is_a_declaration_api(api, world):
    w = world
    attendance_id, _ = _declared(api, w)
    assert_error(api(w.li).get(f"meeting-attendances/{attendance_id}"), 404, "not_found")
    assert api(w.clerk).get(f"meeting-attendances/{attendance_id}").status_code == 200
    assert_error(api(w.li).post(f"meeting-attendances/{attendance_id}/no-papers"), 404, "not_found")
    made = api(w.li).post(
        "meeting-attendances",
        {
            "meeting_title": "某会议",
            "organiser": "某单位",
            "held_on": "2026-11-02",
            "level": "confidential",
        },
    )
    none = api(w.li).post(f"meeting-attendances/{made.json()['id']}/no-papers")
    assert none.status_code == 200 and none.json()["declared_none"] is True
    assert_error(
        api(w.zhang).post(f"meeting-attendances/{attendance_id}/no-papers"), 409, "invalid_state"
    )
