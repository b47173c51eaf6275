"""密级变更 (CL-8, CL-9, CL-12, CL-13, CL-14): refusals through the actions and the API, markings
that follow the fields, notices to holders and to the scope, and `baomi daily`."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers.choices import EventKind
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.reclassification import actions
from baomi.reclassification.models import ChangeKind, Notice, Reclassification
from baomi.reclassification.selectors import add_working_days
from tests.api.helpers import api_as, assert_error, assert_refused, last_seq, ledger_state
from tests.factories import approved, receive, refused, set_unit

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=10):
    return time_machine.travel(datetime(y, m, d, hour, tzinfo=TZ), tick=False)


# What the approvals allow (APR-3). A received 机密 item is 机密★20年 by default (CL-3), so a
# downgrade to 秘密 names a period within the 秘密 maximum.
DOWN = {"level": "confidential", "period": {"kind": "years", "years": 10}}
DOWN_ARGS = {"level": Level.CONFIDENTIAL, "period": Period.of_years(10)}
DECLASSIFY = {"declassify": True}
TWO_YEARS = {"period": {"kind": "years", "years": 2}}


def held_by_zhang(w, **kwargs):
    """A 机密 document that 张三 has read (circulated and returned)."""
    carrier = receive(w, level=Level.SECRET, **kwargs)
    carriers.circulate(w.clerk, carrier, w.zhang)
    carriers.return_to_registry(w.clerk, carrier)
    return carrier


def test_downgrade_changes_the_marking_and_tells_every_holder(world):
    w = world
    carrier = held_by_zhang(w, period=Period.of_years(10))
    assert carrier.marking == "机密★10年"
    request = approved(
        w, RequestKind.RECLASSIFICATION, [carrier], proposed_change={"level": "confidential"}
    )
    change = actions.reclassify(
        w.clerk, carrier, request, reason="情况变化，降为秘密", level=Level.CONFIDENTIAL
    )
    carrier.refresh_from_db()
    assert change.kind == ChangeKind.DOWNGRADE
    assert carrier.marking == "秘密★10年"  # CL-12: the marking follows the fields
    assert change.before["marking"] == "机密★10年" and change.after["marking"] == "秘密★10年"
    notice = Notice.objects.get(person=w.zhang)
    assert carrier.label in notice.message and "秘密★10年" in notice.message
    assert carrier.events.last().kind == EventKind.RECLASSIFY
    assert AuditEvent.objects.filter(event_type="carrier.reclassify", outcome="done").exists()


def test_declassify_on_approval_makes_the_carrier_public(world):
    w = world
    carrier = held_by_zhang(w)
    request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DECLASSIFY)
    actions.reclassify(w.clerk, carrier, request, reason="已公开发布", declassify=True)
    carrier.refresh_from_db()
    assert carrier.level == Level.PUBLIC and carrier.marking == ""
    assert carrier.events.last().kind == EventKind.DECLASSIFY
    assert Notice.objects.filter(person=w.zhang, carrier=carrier).count() == 1


def test_r_cl_8_reclassify_without_approval_is_refused(world):
    w = world
    carrier = held_by_zhang(w)
    with refused("CL-8"):
        actions.reclassify(w.clerk, carrier, None, reason="降密", **DOWN_ARGS)
    pending = approvals.create_request(
        w.zhang,
        approvals.RequestForm(
            kind=RequestKind.RECLASSIFICATION,
            carriers=[carrier],
            reason="降密",
            approver=w.leader,
            proposed_change=DOWN,
        ),
    )
    with refused("CL-8"):
        actions.reclassify(w.clerk, carrier, pending, reason="降密", **DOWN_ARGS)
    assert not Notice.objects.exists()


def test_r_cl_8_approval_of_another_kind_is_refused(world):
    w = world
    carrier = held_by_zhang(w)
    loan = approved(w, RequestKind.LOAN, [carrier])
    with refused("CL-8"):
        actions.reclassify(w.clerk, carrier, loan, reason="降密", **DOWN_ARGS)


def test_r_cl_8_api_reclassify_without_or_with_the_wrong_approval_is_refused(world):
    w = world
    carrier = held_by_zhang(w)
    api = api_as(w, w.clerk)
    body = {"carrier_id": carrier.pk, "reason": "降密", **DOWN}
    before, seq = ledger_state(), last_seq()
    assert_refused(api.post("reclassifications", body), "CL-8", before, seq)
    loan = approved(w, RequestKind.LOAN, [carrier])
    before, seq = ledger_state(), last_seq()
    response = api.post("reclassifications", {**body, "request_id": loan.pk})
    assert_refused(response, "CL-8", before, seq)
    good = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DOWN)
    response = api.post("reclassifications", {**body, "request_id": good.pk})
    assert response.status_code == 201, response.content
    assert response.json()["after"]["marking"].startswith("秘密")
    notices = api_as(w, w.zhang).get("notices").json()
    assert notices["count"] == 1 and carrier.label in notices["results"][0]["message"]


def period_world(w):
    """Received 2026-01-05: one 6-month period (ends 2026-07-05), one of 10 years, and one of
    6 months extended in time to 2 years."""
    with at(2026, 2, 1):
        ended = held_by_zhang(w, period=Period.of_months(6))
        long = receive(w, level=Level.SECRET, period=Period.of_years(10))
        extended = receive(w, level=Level.SECRET, period=Period.of_months(6))
    with at(2026, 7, 1):
        request = approved(w, RequestKind.RECLASSIFICATION, [extended], proposed_change=TWO_YEARS)
        actions.reclassify(w.clerk, extended, request, reason="延期", period=Period.of_years(2))
    return ended, long, extended


def test_r_cl_9_daily_declassifies_only_ended_unextended_periods(world):
    w = world
    ended, long, extended = period_world(w)
    with at(2026, 7, 5):  # the last day of protection: nothing yet
        call_command("daily")
    ended.refresh_from_db()
    assert ended.level == Level.SECRET
    with at(2026, 7, 6, hour=2):
        call_command("daily")
        call_command("daily")  # idempotent
    for c in (ended, long, extended):
        c.refresh_from_db()
    assert ended.level == Level.PUBLIC and ended.marking == ""
    assert long.marking == "机密★10年" and extended.marking == "机密★2年"
    auto = Reclassification.objects.filter(kind=ChangeKind.AUTO_DECLASSIFY)
    assert list(auto.values_list("carrier_id", flat=True)) == [ended.pk]
    assert AuditEvent.objects.filter(event_type="carrier.declassify", outcome="done").count() == 1
    assert Notice.objects.filter(person=w.zhang, carrier=ended).count() == 1


def test_r_cl_9_extension_after_the_end_is_refused(world):
    w = world
    with at(2026, 2, 1):
        carrier = receive(w, level=Level.SECRET, period=Period.of_months(6))
    with at(2026, 7, 6):
        request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=TWO_YEARS)
        with refused("CL-9"):
            actions.reclassify(w.clerk, carrier, request, reason="延期", period=Period.of_years(2))
        api = api_as(w, w.clerk)
        before, seq = ledger_state(), last_seq()
        response = api.post(
            "reclassifications",
            {
                "carrier_id": carrier.pk,
                "request_id": request.pk,
                "reason": "延期",
                "period": {"kind": "years", "years": 2},
            },
        )
        assert_refused(response, "CL-9", before, seq)


def test_r_cl_13_widening_the_scope_without_unit_head_approval_is_refused(world):
    w = world
    carrier = held_by_zhang(w)
    with refused("CL-13"):
        actions.change_scope(w.clerk, carrier, None, reason="工作需要", add_departments=[w.finance])
    other_kind = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DOWN)
    with refused("CL-13"):
        actions.change_scope(
            w.clerk, carrier, other_kind, reason="工作需要", add_departments=[w.finance]
        )
    assert list(carrier.scope_departments.all()) == [w.office]


def test_r_cl_13_api_widening_without_approval_is_refused(world):
    w = world
    carrier = held_by_zhang(w)
    before, seq = ledger_state(), last_seq()
    response = api_as(w, w.clerk).post(
        "reclassifications/scope",
        {"carrier_id": carrier.pk, "reason": "工作需要", "add_departments": [w.finance.pk]},
    )
    assert_refused(response, "CL-13", before, seq)
    assert list(carrier.scope_departments.all()) == [w.office]


def test_cl_13_scope_widened_by_the_unit_head_tells_everyone_in_it(world):
    w = world
    carrier = held_by_zhang(w)
    request = approved(
        w,
        RequestKind.SCOPE_WIDENING,
        [carrier],
        proposed_change={"add_departments": [w.finance.pk]},
    )
    change = actions.change_scope(
        w.clerk, carrier, request, reason="财务科参与办理", add_departments=[w.finance]
    )
    assert change.kind == ChangeKind.SCOPE_WIDEN
    assert set(carrier.scope_departments.all()) == {w.office, w.finance}
    told = set(Notice.objects.values_list("person_id", flat=True))
    assert {w.zhang.pk, w.li.pk, w.leader.pk, w.classifier.pk} <= told


def test_r_cl_14_unclear_item_deadline_is_ten_working_days(world):
    w = world
    carrier = receive(w, level=Level.SECRET)
    with at(2026, 3, 6):  # a Friday
        item = actions.report_unclear(
            w.classifier, carrier, proposed_level=Level.SECRET, question="是否属于国家秘密"
        )
    assert item.deadline == date(2026, 3, 20)
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Saturday → Monday
    response = api_as(w, w.clerk).post(
        "unclear-items",
        {"carrier_id": receive(w).pk, "proposed_level": "secret", "question": "拟定密级不明确"},
    )
    assert response.status_code == 201
    reported = date.fromisoformat(response.json()["reported_on"])
    assert date.fromisoformat(response.json()["deadline"]) == add_working_days(reported, 10)
    with refused("forbidden"):
        actions.report_unclear(w.li, carrier, proposed_level="secret", question="?")


def test_yearly_review_keeps_the_classification_and_is_recorded(world):
    w = world
    carrier = receive(w, level=Level.SECRET)
    change = actions.review(w.classifier, carrier)
    assert change.kind == ChangeKind.REVIEW and not Notice.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/reclassification/",
        "/reclassification/change/",
        "/reclassification/scope/",
        "/reclassification/notices/",
    ],
)
def test_pages_render_for_the_clerk(world, client, path):
    client.force_login(world.clerk.user)
    assert client.get(path).status_code == 200


def test_change_page_applies_an_approved_change(world, client):
    w = world
    carrier = held_by_zhang(w)
    request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DOWN)
    client.force_login(w.clerk.user)
    form = {"carrier": carrier.label, "action": "change", "level": "confidential", "period": "10年"}
    response = client.post("/reclassification/change/", {**form, "reason": "降密"})
    assert response.status_code == 403 and "CL-8" in response.content.decode()
    response = client.post(
        "/reclassification/change/",
        {**form, "request": request.pk, "reason": "降密"},
    )
    assert response.status_code == 302
    carrier.refresh_from_db()
    assert carrier.level == Level.CONFIDENTIAL
    client.force_login(w.zhang.user)
    page = client.get("/reclassification/notices/").content.decode()
    assert carrier.label in page


# --- APR-3: an approval covers exactly the change it names ------------------------------------


def classification_state(carrier):
    carrier.refresh_from_db()
    return (carrier.level, carrier.category, carrier.marking)


def test_r_apr_3_reclassification_approval_cannot_be_widened(world):
    """Approved: 降为秘密★10年. Declassifying, or another period, on it is refused."""
    w = world
    carrier = held_by_zhang(w)
    request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DOWN)
    state = classification_state(carrier)
    with refused("APR-3") as info:
        actions.reclassify(w.clerk, carrier, request, reason="解密", declassify=True)
    assert "秘密★10年" in info.value.message and "解密" in info.value.message
    with refused("APR-3"):
        actions.reclassify(
            w.clerk,
            carrier,
            request,
            reason="降密",
            level=Level.CONFIDENTIAL,
            period=Period.of_years(5),
        )
    assert classification_state(carrier) == state
    assert not Reclassification.objects.exists() and not Notice.objects.exists()
    request.refresh_from_db()
    assert request.status == "approved" and not request.items.filter(consumed_at__isnull=False)
    # The approved change itself still goes through.
    actions.reclassify(w.clerk, carrier, request, reason="降密", **DOWN_ARGS)
    assert classification_state(carrier)[2] == "秘密★10年"


def test_r_apr_3_api_reclassification_approval_cannot_be_widened(world):
    w = world
    carrier = held_by_zhang(w)
    zhang, leader, clerk = api_as(w, w.zhang), api_as(w, w.leader), api_as(w, w.clerk)
    made = zhang.post(
        "requests",
        {
            "kind": "reclassification",
            "carrier_ids": [carrier.pk],
            "reason": "情况变化",
            "approver_id": w.leader.pk,
            "proposed_change": DOWN,
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["proposed_change"] == {
        "level": "confidential",
        "category": None,
        "period": Period.of_years(10).to_dict(),
        "declassify": False,
    }
    request_id = made.json()["id"]
    assert leader.post(f"requests/{request_id}/approve", {}).status_code == 200
    before, seq = ledger_state(), last_seq()
    response = clerk.post(
        "reclassifications",
        {
            "carrier_id": carrier.pk,
            "request_id": request_id,
            "reason": "解密",
            "action": "declassify",
        },
    )
    assert_refused(response, "APR-3", before, seq)
    assert carrier.marking == classification_state(carrier)[2] == "机密★20年"
    response = clerk.post(
        "reclassifications",
        {"carrier_id": carrier.pk, "request_id": request_id, "reason": "降密", **DOWN},
    )
    assert response.status_code == 201, response.content
    assert response.json()["after"]["marking"] == "秘密★10年"


def confidential_in_office(w):
    """A 秘密 carrier (李四, 一般, may be cleared for it) in the scope of 办公室秘书科."""
    return receive(w, level=Level.CONFIDENTIAL, period=Period.of_years(5))


def test_r_apr_3_scope_approval_cannot_be_widened(world):
    """Approved: adding 张三. Adding 李四 (or 张三 and 李四) on it is refused."""
    w = world
    carrier = confidential_in_office(w)
    request = approved(
        w, RequestKind.SCOPE_WIDENING, [carrier], proposed_change={"add_people": [w.zhang.pk]}
    )
    assert request.proposed_change_text == "拟增加知悉范围：张三"
    with refused("APR-3") as info:
        actions.change_scope(w.clerk, carrier, request, reason="工作需要", add_people=[w.li])
    assert "张三" in info.value.message and "李四" in info.value.message
    with refused("APR-3"):
        actions.change_scope(
            w.clerk, carrier, request, reason="工作需要", add_people=[w.zhang, w.li]
        )
    assert list(carrier.scope_people.all()) == []
    change = actions.change_scope(
        w.clerk, carrier, request, reason="工作需要", add_people=[w.zhang]
    )
    assert change.kind == ChangeKind.SCOPE_WIDEN
    assert list(carrier.scope_people.all()) == [w.zhang]


def test_r_apr_3_api_scope_approval_cannot_be_widened(world):
    w = world
    carrier = confidential_in_office(w)
    request = approved(
        w, RequestKind.SCOPE_WIDENING, [carrier], proposed_change={"add_people": [w.zhang.pk]}
    )
    api = api_as(w, w.clerk)
    body = {"carrier_id": carrier.pk, "request_id": request.pk, "reason": "工作需要"}
    before, seq = ledger_state(), last_seq()
    response = api.post("reclassifications/scope", {**body, "add_people": [w.li.pk]})
    assert_refused(response, "APR-3", before, seq)
    assert list(carrier.scope_people.all()) == []
    response = api.post("reclassifications/scope", {**body, "add_people": [w.zhang.pk]})
    assert response.status_code == 201, response.content


def test_r_cl_11_reclassify_above_authority(world):
    """The unit's 定密权限 is 机密: raising a 机密 carrier to 绝密 is refused when asked for and
    when applied (a unit whose authority was lowered after the approval)."""
    w = world
    carrier = held_by_zhang(w, period=Period.of_years(10))
    up = {"level": "top_secret", "period": {"kind": "years", "years": 10}}
    before, seq = ledger_state(), last_seq()
    response = api_as(w, w.zhang).post(
        "requests",
        {
            "kind": "reclassification",
            "carrier_ids": [carrier.pk],
            "reason": "升密",
            "approver_id": w.leader.pk,
            "proposed_change": up,
        },
    )
    assert_refused(response, "CL-11", before, seq)
    with refused("CL-11"):
        approvals.create_request(
            w.zhang,
            approvals.RequestForm(
                kind=RequestKind.RECLASSIFICATION,
                carriers=[carrier],
                reason="升密",
                approver=w.leader,
                proposed_change=up,
            ),
        )
    set_unit(w, classification_authority=Level.TOP_SECRET)
    request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=up)
    set_unit(w, classification_authority=Level.SECRET)
    carrier.refresh_from_db()
    args = {"level": Level.TOP_SECRET, "period": Period.of_years(10)}
    with refused("CL-11"):
        actions.reclassify(w.clerk, carrier, request, reason="升密", **args)
    before, seq = ledger_state(), last_seq()
    response = api_as(w, w.clerk).post(
        "reclassifications",
        {"carrier_id": carrier.pk, "request_id": request.pk, "reason": "升密", **up},
    )
    assert_refused(response, "CL-11", before, seq)
    assert classification_state(carrier)[2] == "机密★10年"


def test_r_cl_3_extension_beyond_maximum(world):
    """机密 dated 2026-01-05: at most 20 years, i.e. until 2046-01-05."""
    w = world
    carrier = held_by_zhang(w, period=Period.of_years(10))
    too_long = {"period": {"kind": "years", "years": 25}}
    with refused("CL-3"):
        approvals.create_request(
            w.zhang,
            approvals.RequestForm(
                kind=RequestKind.RECLASSIFICATION,
                carriers=[carrier],
                reason="延期",
                approver=w.leader,
                proposed_change=too_long,
            ),
        )
    before, seq = ledger_state(), last_seq()
    response = api_as(w, w.zhang).post(
        "requests",
        {
            "kind": "reclassification",
            "carrier_ids": [carrier.pk],
            "reason": "延期",
            "approver_id": w.leader.pk,
            "proposed_change": {"period": {"kind": "date", "until": "2046-02-01"}},
        },
    )
    assert_refused(response, "CL-3", before, seq)
    request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=TWO_YEARS)
    with refused("CL-3"):
        actions.reclassify(w.clerk, carrier, request, reason="延期", period=Period.of_years(25))
    before, seq = ledger_state(), last_seq()
    response = api_as(w, w.clerk).post(
        "reclassifications",
        {"carrier_id": carrier.pk, "request_id": request.pk, "reason": "延期", **too_long},
    )
    assert_refused(response, "CL-3", before, seq)
    assert classification_state(carrier)[2] == "机密★10年"


@pytest.mark.parametrize(
    ("kind", "proposed"),
    [
        ("reclassification", None),
        ("reclassification", {}),
        ("scope_widening", None),
        ("scope_widening", {"remove_people": [1]}),
        ("scope_widening", {"level": "confidential"}),
        ("reclassification", {"declassify": True, "level": "confidential"}),
        ("reclassification", {"level": "confidential", "add_people": [1]}),
        ("reclassification", {"add_people": [999999]}),
        ("reclassification", {"level": "bogus"}),
        ("reclassification", {"period": {"kind": "years", "years": 0}}),
        ("reclassification", {"colour": "red"}),
        ("loan", {"level": "confidential"}),
    ],
)
def test_api_request_without_or_with_a_malformed_proposed_change_is_422(world, kind, proposed):
    w = world
    carrier = held_by_zhang(w)
    body = {
        "kind": kind,
        "carrier_ids": [carrier.pk],
        "reason": "工作需要",
        "approver_id": w.leader.pk,
        "due_date": "2026-12-31",
    }
    if proposed is not None:
        body["proposed_change"] = proposed
    before = ledger_state()
    response = api_as(w, w.zhang).post("requests", body)
    error = assert_error(response, 422, "invalid")
    assert "proposed_change" in str(error["detail"]), error
    assert ledger_state() == before


def test_r_apr_3_request_without_proposed_change_is_invalid(world):
    w = world
    carrier = held_by_zhang(w)
    with refused("invalid", audited=False) as info:
        approvals.create_request(
            w.zhang,
            approvals.RequestForm(
                kind=RequestKind.RECLASSIFICATION,
                carriers=[carrier],
                reason="降密",
                approver=w.leader,
            ),
        )
    assert "proposed_change" in info.value.detail


def test_request_page_shows_the_proposed_change(world, client):
    w = world
    carrier = held_by_zhang(w)
    down = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DOWN)
    off = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DECLASSIFY)
    client.force_login(w.clerk.user)
    assert "拟变更为：秘密★10年" in client.get(f"/requests/{down.pk}/").content.decode()
    assert "拟解密" in client.get(f"/requests/{off.pk}/").content.decode()


def test_pages_prefill_and_file_the_proposed_change(world, client):
    w = world
    carrier = held_by_zhang(w)
    request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DOWN)
    client.force_login(w.clerk.user)
    page = client.get(f"/reclassification/change/?request={request.pk}").content.decode()
    assert 'value="10年"' in page and carrier.label in page
    client.force_login(w.zhang.user)
    form = {
        "kind": "reclassification",
        "carriers": carrier.label,
        "reason": "情况变化",
        "approver": w.leader.pk,
    }
    response = client.post("/requests/new/", form)
    assert response.status_code == 422 and "拟变更" in response.content.decode()
    response = client.post("/requests/new/", {**form, "declassify": "on"})
    assert response.status_code == 302
    made = Request.objects.order_by("-pk").first()
    assert made.proposed_change["declassify"] is True
    assert "拟解密" in client.get(f"/requests/{made.pk}/").content.decode()


# --- a change must keep copies at or above their original (CL-5) and holders cleared (PER-1) --


def _raise_to_secret(w, carrier):
    return approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change={"level": "secret"})


def test_r_cl_5_raising_an_original_above_its_copies_is_refused(world):
    w = world
    original = receive(w, level=Level.CONFIDENTIAL)
    [copy] = carriers.copy(
        w.clerk, original, approved(w, RequestKind.COPY, [original], copies=1), copies=1
    )
    request = _raise_to_secret(w, original)
    with refused("CL-5") as info:
        actions.reclassify(w.clerk, original, request, reason="情况变化", level=Level.SECRET)
    assert copy.label in info.value.message
    # Copies first, then the original: both end at 机密.
    actions.reclassify(w.clerk, copy, _raise_to_secret(w, copy), reason="随原件", level="secret")
    actions.reclassify(w.clerk, original, request, reason="情况变化", level=Level.SECRET)
    original.refresh_from_db()
    copy.refresh_from_db()
    assert original.level == copy.level == Level.SECRET


def test_r_cl_5_lowering_a_copy_below_its_original_is_refused(world):
    w = world
    original = receive(w, level=Level.SECRET)
    [copy] = carriers.copy(
        w.clerk, original, approved(w, RequestKind.COPY, [original], copies=1), copies=1
    )
    request = approved(
        w, RequestKind.RECLASSIFICATION, [copy], proposed_change={"declassify": True}
    )
    with refused("CL-5"):
        actions.reclassify(w.clerk, copy, request, reason="误", declassify=True)


def test_r_per_1_raising_a_level_beyond_the_holder_is_refused(world):
    w = world
    carrier = receive(w, level=Level.CONFIDENTIAL)
    carriers.circulate(w.clerk, carrier, w.li)  # 一般: covers 秘密, not 机密
    request = _raise_to_secret(w, carrier)
    with refused("PER-1"):
        actions.reclassify(w.clerk, carrier, request, reason="情况变化", level=Level.SECRET)
    carrier.refresh_from_db()
    assert carrier.level == Level.CONFIDENTIAL and carrier.holder == w.li


def test_r_cl_9_period_end_query_has_one_arm_per_length_not_per_carrier(world):
    """The model's default ordering once joined the DISTINCT of period lengths: one OR arm per
    carrier, a query PostgreSQL's planner could not finish at 100k carriers (the alert bell)."""
    from baomi.reclassification.selectors import ending_between

    w = world
    with at(2026, 2, 1):
        for _ in range(6):
            receive(w, level=Level.SECRET, period=Period.of_years(10))
        receive(w, level=Level.SECRET, period=Period.of_months(6))
    carriers = Carrier.objects.filter(unit=w.unit)
    sql = str(ending_between(carriers, date(2026, 1, 1), date(2036, 12, 31)).query)
    sql = sql.split(" WHERE ", 1)[1]
    assert sql.count("period_years") == 1 and sql.count("period_months") == 1
    assert ending_between(carriers, date(2036, 1, 1), date(2036, 3, 1)).count() == 6
