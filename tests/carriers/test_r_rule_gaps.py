"""Rule gaps found by reading the code against the rules (issue 9, item 6): each through the action
and through the API — CL-3 长期, CL-12 内部 without period, CR-7 before the issuer's consent, CL-12
disputed level, CR-5 reading place, 知悉范围 below the level, PER-7 at the exit, CR-4 签收 alert."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import PolicyRole, RequestKind, RequestStatus
from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from baomi.carriers.choices import CarrierKind, PlaceKind, Source
from baomi.carriers.models import CustodyEvent, Place
from baomi.carriers.registration import Registration
from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.lib.alerts import alerts_for
from baomi.reclassification import actions as reclassification
from tests.api.helpers import api_as, assert_error, assert_refused, last_seq, ledger_state
from tests.factories import person, receive, refused

DECISION = "本单位保密事项目录第12项"


@pytest.fixture
def api(world):
    clients = {}

    def for_person(p):
        if p.pk not in clients:
            clients[p.pk] = api_as(world, p)
        return clients[p.pk]

    return for_person


def api_refused(call, rule_id: str) -> dict:
    before, seq = ledger_state(), last_seq()
    return assert_refused(call(), rule_id, before, seq)


def received(w, **changes) -> Registration:
    reg = Registration(
        kind=CarrierKind.DOCUMENT,
        title="关于某项工作的通知",
        doc_date=date(2026, 1, 5),
        level=Level.SECRET,
        source=Source.RECEIVED,
        place=w.cabinet,
        issuer="XX省人民政府办公厅",
        doc_number="X政办发〔2026〕1号",
        scope_departments=[w.office],
    )
    return replace(reg, **changes)


def body(w, **over) -> dict:
    return {
        "kind": "document",
        "title": "关于做好年度保密工作的通知",
        "doc_date": "2026-01-05",
        "level": "secret",
        "source": "received",
        "place_id": w.cabinet.pk,
        "issuer": "XX省人民政府办公厅",
        "doc_number": "X政办发〔2026〕1号",
        "scope_departments": [w.office.pk],
        **over,
    }


# --- CL-3: 长期 needs the other decision --------------------------------------------------------


def test_r_cl_3_indefinite_without_a_decision_is_refused(world):
    with refused("CL-3") as info:
        actions.register(world.clerk, received(world, period=Period.indefinite()))
    assert "定密依据" in info.value.message


def test_r_cl_3_indefinite_with_the_decision_named_is_registered(world):
    made = actions.register(
        world.clerk, received(world, period=Period.indefinite(), basis=DECISION)
    )[0]
    assert made.marking == "机密★长期" and made.basis == DECISION


def test_r_cl_3_api_indefinite_needs_the_decision(world, api):
    clerk = api(world.clerk)
    forever = {"period": {"kind": "indefinite"}}
    api_refused(lambda: clerk.post("carriers", body(world, **forever)), "CL-3")
    made = clerk.post("carriers", body(world, **forever, basis=DECISION))
    assert made.status_code == 201, made.content
    assert made.json()[0]["marking"] == "机密★长期"


# --- CL-12: a 内部 item has no period ----------------------------------------------------------


def test_r_cl_12_internal_item_with_a_period_is_refused(world):
    with refused("CL-12"):
        actions.register(
            world.clerk, received(world, level=Level.INTERNAL, period=Period.of_years(2))
        )
    internal = actions.register(world.clerk, received(world, level=Level.INTERNAL))[0]
    assert internal.period is None and internal.period_kind == ""


def test_r_cl_12_api_internal_item_with_a_period_is_refused(world, api):
    over = {"level": "internal", "period": {"kind": "years", "years": 2}}
    api_refused(lambda: api(world.clerk).post("carriers", body(world, **over)), "CL-12")


# --- CR-7: approving a 绝密 copy before the issuer's consent is recorded ------------------------


def top_secret_copy_request(w):
    carrier = receive(w, level=Level.TOP_SECRET, place=w.safe, scope_people=[w.zhang, w.leader])
    approvals.install_default_policies(w.secadmin, w.unit)
    requester = person(w.system, w.unit, "郑副职", w.office, "core", "zhengfu")
    carrier.scope_people.add(requester)
    form = approvals.RequestForm(
        kind=RequestKind.COPY, carriers=[carrier], reason="会议", approver=w.leader, copies=1
    )
    request = approvals.create_request(requester, form)
    roles = [s.role for s in request.steps.order_by("order")]
    assert roles == [PolicyRole.ISSUER_CONSENT, PolicyRole.UNIT_HEAD]
    return request


def test_r_cr_7_approving_before_the_issuers_consent_is_refused_with_cr_7(world):
    request = top_secret_copy_request(world)
    with refused("CR-7") as info:
        approvals.approve(world.leader, request, comment="同意")
    assert "制文机关" in info.value.message
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_r_cr_7_api_approving_before_the_issuers_consent_is_refused_with_cr_7(world, api):
    request = top_secret_copy_request(world)
    api_refused(lambda: api(world.leader).post(f"requests/{request.pk}/approve", {}), "CR-7")


# --- CL-12: a disputed classification is protected at the highest level claimed -----------------


def test_r_cl_12_disputed_level_protects_as_the_highest_level_claimed(world):
    w = world
    carrier = receive(w, level=Level.CONFIDENTIAL, scope_departments=[w.office])
    reclassification.report_unclear(
        w.clerk, carrier, proposed_level=Level.SECRET, question="是否应定为机密？"
    )
    assert carrier.protection_level == Level.SECRET
    with refused("CL-12"):
        actions.circulate(w.clerk, carrier, w.li)  # 一般: covers 秘密, not the 机密 claimed
    assert not carriers_visible_to(w.li).filter(pk=carrier.pk).exists()
    assert carriers_visible_to(w.zhang).filter(pk=carrier.pk).exists()
    actions.circulate(w.clerk, carrier, w.zhang)  # 重要 covers the claim


def test_r_cl_12_a_claim_above_the_holders_clearance_is_refused_until_returned(world):
    w = world
    carrier = receive(w, level=Level.CONFIDENTIAL)
    actions.circulate(w.clerk, carrier, w.li)
    with refused("CL-12"):
        reclassification.report_unclear(
            w.clerk, carrier, proposed_level=Level.SECRET, question="是否应定为机密？"
        )


def test_r_cl_12_api_disputed_level_protects_as_claimed(world, api):
    w = world
    carrier = receive(w, level=Level.CONFIDENTIAL)
    made = api(w.clerk).post(
        "unclear-items",
        {"carrier_id": carrier.pk, "proposed_level": "secret", "question": "是否应定为机密？"},
    )
    assert made.status_code == 201, made.content
    api_refused(
        lambda: api(w.clerk).post(f"carriers/{carrier.pk}/circulate", {"reader_id": w.li.pk}),
        "CL-12",
    )
    assert api(w.li).get(f"carriers/{carrier.pk}").status_code == 404


# --- CR-5: the reading place of a 绝密 read is recorded -----------------------------------------


def test_r_cr_5_top_secret_read_in_the_units_one_reading_room_is_recorded(world):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET, place=w.safe, scope_people=[w.leader])
    with refused("CR-5"):  # a cabinet is no reading room
        actions.circulate(w.clerk, carrier, w.leader, reading_place=w.cabinet)
    actions.circulate(w.clerk, carrier, w.leader)  # the unit's one reading room
    event = CustodyEvent.objects.filter(carrier=carrier, kind="circulate").get()
    assert "阅读地点：阅览室" in event.note
    read = AuditEvent.objects.get(
        event_type="carrier.circulate", object_id=carrier.pk, outcome="done"
    )
    assert read.after["reading_place"] == "阅览室"


def test_r_cr_5_with_several_rooms_the_clerk_names_one(world):
    w = world
    Place.objects.create(unit=w.unit, name="机要室", kind=PlaceKind.ROOM)
    carrier = receive(w, level=Level.TOP_SECRET, place=w.safe, scope_people=[w.leader])
    with refused("CR-5"):
        actions.circulate(w.clerk, carrier, w.leader)
    actions.circulate(w.clerk, carrier, w.leader, reading_place=w.reading_room)
    assert "阅读地点：阅览室" in CustodyEvent.objects.get(carrier=carrier, kind="circulate").note


def test_r_cr_5_api_reading_place_is_required_and_recorded(world, api):
    w = world
    Place.objects.create(unit=w.unit, name="机要室", kind=PlaceKind.ROOM)
    carrier = receive(w, level=Level.TOP_SECRET, place=w.safe, scope_people=[w.leader])
    clerk = api(w.clerk)
    url = f"carriers/{carrier.pk}/circulate"
    api_refused(lambda: clerk.post(url, {"reader_id": w.leader.pk}), "CR-5")
    done = clerk.post(url, {"reader_id": w.leader.pk, "reading_place_id": w.reading_room.pk})
    assert done.status_code == 200, done.content
    events = clerk.get(f"carriers/{carrier.pk}/events").json()
    notes = [e.get("note", "") for e in events.get("results", events)]
    assert any("阅读地点：阅览室" in n for n in notes), notes


# --- 知悉范围 holding people below the level: said at registration, by name ----------------------


def test_scope_below_the_level_is_named_at_registration(world, client):
    w = world
    from baomi.carriers.selectors import scope_below_level

    carrier = actions.register(w.clerk, received(w, scope_people=[w.li]))[0]  # 一般 vs 机密
    assert [p.name for p in scope_below_level(carrier)] == ["李四"]  # dept member 李四 once
    client.force_login(w.clerk.user)
    form = {
        "kind": "document",
        "title": "关于某项工作的通知",
        "doc_date": "2026-01-05",
        "level": "secret",
        "source": "received",
        "place": w.cabinet.pk,
        "copies": 1,
        "pages": 1,
        "issuer": "XX省人民政府办公厅",
        "doc_number": "X政办发〔2026〕2号",
        "scope_people": [w.li.pk],
    }
    page = client.post("/carriers/register/", form, follow=True).content.decode()
    assert "李四" in page and "不能覆盖机密" in page


def test_scope_below_the_level_is_named_by_the_api(world, api):
    made = api(world.clerk).post("carriers", body(world))  # 办公室秘书科 holds 一般 李四
    assert made.status_code == 201, made.content
    assert [p["name"] for p in made.json()[0]["scope_below_level"]] == ["李四"]


# --- PER-7: holdings block the exit, not the request ----------------------------------------


def test_r_per_7_a_holder_may_request_travel_and_must_return_before_exit(world, api):
    from baomi.personnel import actions as personnel
    from baomi.personnel.models import TravelAbroad

    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    today = timezone.localdate()
    travel = api(w.zhang).post(
        f"people/{w.zhang.pk}/travels",
        {
            "destination": "新加坡",
            "depart_on": (today + timedelta(days=10)).isoformat(),
            "return_on": (today + timedelta(days=12)).isoformat(),
            "purpose": "因私旅游",
            "approver_id": w.leader.pk,
        },
    )
    assert travel.status_code == 201, travel.content
    t = TravelAbroad.objects.get(pk=travel.json()["id"])
    approvals.approve(w.leader, t.request, comment="同意")
    personnel.record_briefing(w.clerk, t, on=today)
    with refused("PER-7"):
        personnel.record_exit(w.clerk, t, on=today)


# --- CR-4: an unacknowledged circulation alerts ----------------------------------------------


def test_r_cr_4_unacknowledged_circulation_alerts_the_reader_then_the_clerk(world, api):
    w = world
    carrier = actions.circulate(w.clerk, receive(w), w.zhang)
    today = timezone.localdate()
    mine = [a for a in alerts_for(w.zhang, today) if a.kind == "unacknowledged"]
    assert [a.object_id for a in mine] == [carrier.pk] and mine[0].rule_id == "CR-4"
    tomorrow = today + timedelta(days=1)
    clerk = [a for a in alerts_for(w.clerk, tomorrow) if a.kind == "unacknowledged"]
    assert [(a.object_id, a.severity) for a in clerk] == [(carrier.pk, "overdue")]
    listed = api(w.zhang).get("alerts").json()["results"]
    assert any(a["kind"] == "unacknowledged" for a in listed)
    actions.acknowledge(w.zhang, carrier)
    assert not [a for a in alerts_for(w.clerk, tomorrow) if a.kind == "unacknowledged"]


def test_the_api_names_the_field_of_a_bad_reading_place(world, api):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET, place=w.safe, scope_people=[w.leader])
    response = api(w.clerk).post(
        f"carriers/{carrier.pk}/circulate",
        {"reader_id": w.leader.pk, "reading_place_id": 999999},
    )
    # An unknown place is `not_found` (design.md: 404 for what does not exist or is not visible).
    error = assert_error(response, 404, "not_found")
    assert "reading_place_id" in error["detail"]
