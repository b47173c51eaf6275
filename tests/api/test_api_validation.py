"""Bad input on every POST endpoint: 422 `invalid`, the field named with a Chinese message, and
nothing changed. Ids in bodies that are unknown or not the caller's are 404 `not_found` naming
that field (design.md: 404 for unknown or not-visible objects), nothing changed either."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from tests.api.helpers import assert_error, assert_invalid, ledger_state
from tests.api.test_api_rules import received
from tests.factories import receive

MISSING = 999_999
HUGE = 10**30
LONG = "长" * 501


@pytest.fixture
def scene(world, api):
    """A 机密 carrier in the registry, one only 财务科 may know, and a pending loan request."""
    carrier = receive(world)
    hidden = receive(world, scope_departments=[world.finance])
    request = approvals.create_request(
        world.zhang,
        approvals.RequestForm(
            kind=RequestKind.LOAN,
            carriers=[carrier],
            reason="工作需要",
            approver=world.leader,
            due_date=timezone.localdate() + timedelta(days=3),
        ),
    )
    clients = {name: api(getattr(world, name)) for name in ("clerk", "zhang", "leader")}
    return {"w": world, "carrier": carrier, "hidden": hidden, "request": request, **clients}


def loan(s, **over):
    body = {
        "kind": "loan",
        "carrier_ids": [s["carrier"].pk],
        "reason": "工作需要",
        "approver_id": s["w"].leader.pk,
        "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
    }
    return {**body, **over}


# (who, path, body builder, fields that must be named). Body None → send malformed JSON.
CASES = {
    # POST carriers (register)
    "register-empty": (
        "clerk",
        "carriers",
        lambda s: {},
        ["kind", "title", "doc_date", "level", "source", "place_id"],
    ),
    "register-types": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], copies="three", pages=[1], no_copy="maybe"),
        ["copies", "pages", "no_copy"],
    ),
    "register-date": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], doc_date="2026-02-30"),
        ["doc_date"],
    ),
    "register-date-range": (
        "clerk",
        "carriers",
        lambda s: received(
            s["w"], doc_date="0001-01-01", period={"kind": "date", "until": "9999-12-31"}
        ),
        ["doc_date", "period.until"],
    ),
    "register-enum": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], level="ultra", kind="scroll", source="copy"),
        ["level", "kind", "source"],
    ),
    "register-oversized": (
        "clerk",
        "carriers",
        lambda s: received(
            s["w"],
            title="题" * 301,
            issuer="机" * 101,
            doc_number="号" * 101,
            remarks=LONG,
            basis="据" * 201,
        ),
        ["title", "issuer", "doc_number", "remarks", "basis"],
    ),
    "register-blank-title": ("clerk", "carriers", lambda s: received(s["w"], title=""), ["title"]),
    "register-nul": ("clerk", "carriers", lambda s: received(s["w"], title="通知\x00"), ["title"]),
    "register-unknown-ids": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], place_id=MISSING),
        ["place_id"],
    ),
    "register-unknown-people": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], scope_people=[MISSING]),
        ["scope_people"],
    ),
    "register-unknown-departments": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], scope_departments=[MISSING]),
        ["scope_departments"],
    ),
    "register-unknown-classifier": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], classifier_id=MISSING),
        ["classifier_id"],
    ),
    "register-automation-is-nobody": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], scope_people=[s["w"].system.pk]),
        ["scope_people"],
    ),
    "register-huge-id": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], place_id=HUGE),
        ["place_id"],
    ),
    "register-period-incomplete": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], period={"kind": "years"}),
        ["period"],
    ),
    "register-period-kind": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], period={"kind": "days", "days": 3}),
        ["period.kind", "period.days"],
    ),
    "register-period-two-fields": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], period={"kind": "years", "years": 5, "months": 2}),
        ["period"],
    ),
    "register-extra-field": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], colour="red"),
        ["colour"],
    ),
    "register-copies-range": (
        "clerk",
        "carriers",
        lambda s: received(s["w"], copies=501),
        ["copies"],
    ),
    "register-malformed": ("clerk", "carriers", None, ["body"]),
    "register-not-an-object": ("clerk", "carriers", lambda s: [1, 2], ["body"]),
    # carrier actions
    "circulate-empty": ("clerk", "carriers/{c}/circulate", lambda s: {}, ["reader_id"]),
    "circulate-unknown-reader": (
        "clerk",
        "carriers/{c}/circulate",
        lambda s: {"reader_id": MISSING},
        ["reader_id"],
    ),
    "circulate-types": (
        "clerk",
        "carriers/{c}/circulate",
        lambda s: {"reader_id": "张三", "due_date": "tomorrow", "note": LONG},
        ["reader_id", "due_date", "note"],
    ),
    "circulate-past-due": (
        "clerk",
        "carriers/{c}/circulate",
        lambda s: {"reader_id": s["w"].zhang.pk, "due_date": "2020-01-01"},
        ["due_date"],
    ),
    "circulate-malformed": ("clerk", "carriers/{c}/circulate", None, ["body"]),
    "return-unknown-place": (
        "clerk",
        "carriers/{c}/return",
        lambda s: {"place_id": MISSING},
        ["place_id"],
    ),
    "return-oversized": ("clerk", "carriers/{c}/return", lambda s: {"note": LONG}, ["note"]),
    "return-malformed": ("clerk", "carriers/{c}/return", None, ["body"]),
    "batch-return-empty": ("clerk", "carriers/batch-return", lambda s: {}, ["carrier_ids"]),
    "batch-return-types": (
        "clerk",
        "carriers/batch-return",
        lambda s: {"carrier_ids": ["a"], "place_id": "x", "note": LONG},
        ["carrier_ids.0", "place_id", "note"],
    ),
    "acknowledge-extra": ("zhang", "carriers/{c}/acknowledge", lambda s: {"when": "now"}, ["when"]),
    "acknowledge-malformed": ("zhang", "carriers/{c}/acknowledge", None, ["body"]),
    "lend-unknown-request": (
        "clerk",
        "carriers/{c}/lend",
        lambda s: {"request_id": MISSING},
        ["request_id"],
    ),
    "lend-types": (
        "clerk",
        "carriers/{c}/lend",
        lambda s: {"request_id": "first", "due_date": "2026/13/01", "note": LONG},
        ["request_id", "due_date", "note"],
    ),
    "lend-malformed": ("clerk", "carriers/{c}/lend", None, ["body"]),
    "take-out-unknown-request": (
        "clerk",
        "carriers/{c}/take-out",
        lambda s: {"request_id": MISSING},
        ["request_id"],
    ),
    "take-out-types": (
        "clerk",
        "carriers/{c}/take-out",
        lambda s: {"request_id": [1], "due_date": 20260101},
        ["request_id", "due_date"],
    ),
    "take-out-malformed": ("clerk", "carriers/{c}/take-out", None, ["body"]),
    "copy-empty": ("clerk", "carriers/{c}/copy", lambda s: {}, ["copies"]),
    "copy-range": ("clerk", "carriers/{c}/copy", lambda s: {"copies": 0}, ["copies"]),
    "copy-types": (
        "clerk",
        "carriers/{c}/copy",
        lambda s: {"copies": "two", "level": "low", "place_id": "safe"},
        ["copies", "level", "place_id"],
    ),
    "copy-unknown-ids": (
        "clerk",
        "carriers/{c}/copy",
        lambda s: {"copies": 1, "request_id": MISSING},
        ["request_id"],
    ),
    "copy-malformed": ("clerk", "carriers/{c}/copy", None, ["body"]),
    "relocate-empty": ("clerk", "carriers/{c}/relocate", lambda s: {}, ["place_id"]),
    "relocate-unknown-place": (
        "clerk",
        "carriers/{c}/relocate",
        lambda s: {"place_id": MISSING},
        ["place_id"],
    ),
    "relocate-same-place": (
        "clerk",
        "carriers/{c}/relocate",
        lambda s: {"place_id": s["w"].cabinet.pk},
        ["place"],
    ),
    "relocate-malformed": ("clerk", "carriers/{c}/relocate", None, ["body"]),
    "amend-empty": ("clerk", "carriers/{c}/amend", lambda s: {}, ["changes", "reason"]),
    "amend-oversized": (
        "clerk",
        "carriers/{c}/amend",
        lambda s: {"changes": {"title": "题" * 301}, "reason": LONG},
        ["changes.title", "reason"],
    ),
    "amend-types": (
        "clerk",
        "carriers/{c}/amend",
        lambda s: {
            "changes": {"doc_date": "2026-13-01", "pages": 0, "title": None},
            "reason": "录入有误",
        },
        ["changes.doc_date", "changes.pages", "changes.title"],
    ),
    "amend-blank-reason": (
        "clerk",
        "carriers/{c}/amend",
        lambda s: {"changes": {"pages": 2}, "reason": ""},
        ["reason"],
    ),
    "amend-nothing": (
        "clerk",
        "carriers/{c}/amend",
        lambda s: {"changes": {}, "reason": "录入有误"},
        ["changes"],
    ),
    "amend-not-amendable": (
        "clerk",
        "carriers/{c}/amend",
        lambda s: {"changes": {"number": "2026-9"}, "reason": "录入有误"},
        ["number"],
    ),
    "amend-malformed": ("clerk", "carriers/{c}/amend", None, ["body"]),
    "void-empty": ("clerk", "carriers/{c}/void", lambda s: {}, ["reason"]),
    "void-oversized": ("clerk", "carriers/{c}/void", lambda s: {"reason": LONG}, ["reason"]),
    "void-malformed": ("clerk", "carriers/{c}/void", None, ["body"]),
    "report-lost-oversized": (
        "clerk",
        "carriers/{c}/report-lost",
        lambda s: {"note": LONG},
        ["note"],
    ),
    "report-lost-malformed": ("clerk", "carriers/{c}/report-lost", None, ["body"]),
    "found-unknown-place": (
        "clerk",
        "carriers/{c}/found",
        lambda s: {"place_id": MISSING},
        ["place_id"],
    ),
    "found-malformed": ("clerk", "carriers/{c}/found", None, ["body"]),
    # requests
    "request-empty": (
        "zhang",
        "requests",
        lambda s: {},
        ["kind", "carrier_ids", "reason", "approver_id"],
    ),
    "request-no-carriers": (
        "zhang",
        "requests",
        lambda s: loan(s, carrier_ids=[]),
        ["carrier_ids"],
    ),
    "request-unknown-carrier": (
        "zhang",
        "requests",
        lambda s: loan(s, carrier_ids=[MISSING]),
        ["carrier_ids"],
    ),
    "request-invisible-carrier": (
        "zhang",
        "requests",
        lambda s: loan(s, carrier_ids=[s["hidden"].pk]),
        ["carrier_ids"],
    ),
    "request-unknown-people": (
        "zhang",
        "requests",
        lambda s: loan(s, approver_id=MISSING, beneficiary_id=MISSING),
        ["approver_id"],
    ),
    "request-types": (
        "zhang",
        "requests",
        lambda s: loan(s, kind="borrow", due_date="soon", copies=-1, carrier_ids="all"),
        ["kind", "due_date", "copies", "carrier_ids"],
    ),
    "request-oversized": (
        "zhang",
        "requests",
        lambda s: loan(s, reason=LONG, destination="地" * 201, issuer_consent_doc="号" * 101),
        ["reason", "destination", "issuer_consent_doc"],
    ),
    "request-loan-without-due-date": (
        "zhang",
        "requests",
        lambda s: loan(s, due_date=None),
        ["due_date"],
    ),
    "request-malformed": ("zhang", "requests", None, ["body"]),
    "approve-oversized": (
        "leader",
        "requests/{r}/approve",
        lambda s: {"comment": LONG, "issuer_consent_doc": "号" * 101},
        ["comment", "issuer_consent_doc"],
    ),
    "approve-types": (
        "leader",
        "requests/{r}/approve",
        lambda s: {"issuer_consent_date": "昨天"},
        ["issuer_consent_date"],
    ),
    "approve-malformed": ("leader", "requests/{r}/approve", None, ["body"]),
    "reject-empty": ("leader", "requests/{r}/reject", lambda s: {}, ["reason"]),
    "reject-blank": ("leader", "requests/{r}/reject", lambda s: {"reason": ""}, ["reason"]),
    "reject-malformed": ("leader", "requests/{r}/reject", None, ["body"]),
    "withdraw-extra": ("zhang", "requests/{r}/withdraw", lambda s: {"force": True}, ["force"]),
    "withdraw-malformed": ("zhang", "requests/{r}/withdraw", None, ["body"]),
    # dispatch / recall / circulation slips (CR-9, CR-10, CR-4)
    "dispatch-enum": (
        "clerk",
        "carriers/{c}/dispatch",
        lambda s: {"recipient_unit": "", "channel": "pigeon", "courier_ids": "two"},
        ["recipient_unit", "channel", "courier_ids"],
    ),
    "dispatch-malformed": ("clerk", "carriers/{c}/dispatch", None, ["body"]),
    "recall-oversized": (
        "clerk",
        "carriers/{c}/recall",
        lambda s: {"issuer": "机" * 101, "received_by": "人" * 51},
        ["issuer", "received_by"],
    ),
    "dispatches-empty": (
        "clerk",
        "dispatches",
        lambda s: {},
        ["carrier_ids", "recipient_unit", "channel"],
    ),
    "recall-schedule-types": (
        "clerk",
        "recalls/schedules",
        lambda s: {"issuer": "", "interval_months": 3, "starts_on": "明年"},
        ["issuer", "interval_months", "starts_on"],
    ),
    "slip-types": (
        "clerk",
        "circulation-slips",
        lambda s: {"carrier_id": "a", "reader_ids": []},
        ["carrier_id", "reader_ids"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_422_and_changes_nothing(scene, case):
    who, template, build, fields = CASES[case]
    path = template.format(c=scene["carrier"].pk, r=scene["request"].pk)
    before = ledger_state()
    if build is None:
        response = scene[who].post(path, raw='{"note": "未闭合')
    else:
        response = scene[who].post(path, build(scene))
    if "-unknown-" in case or "-invisible-" in case or case.endswith("-is-nobody"):
        error = assert_error(response, 404, "not_found")
        assert set(fields) <= set(error["detail"]), error
    else:
        assert_invalid(response, *fields)
    assert ledger_state() == before


def test_batch_return_to_an_unknown_place_is_404_and_changes_nothing(scene):
    """design.md: a request naming what does not exist (or is not visible) is 404, field named."""
    before = ledger_state()
    response = scene["clerk"].post(
        "carriers/batch-return", {"carrier_ids": [scene["carrier"].pk], "place_id": MISSING}
    )
    error = assert_error(response, 404, "not_found")
    assert "place_id" in error["detail"]
    assert ledger_state() == before


def test_every_post_endpoint_is_covered_by_a_bad_input_case():
    from tests.api.helpers import openapi_spec

    posted = {
        path.removeprefix("/api/v1/").replace("{carrier_id}", "{c}").replace("{request_id}", "{r}")
        for path, operations in openapi_spec()["paths"].items()
        if "post" in operations
    }
    covered = {template for _, template, _, _ in CASES.values()}
    # Personnel endpoints have their own bad-input cases (tests/personnel/test_api_validation.py).
    # Archive, destruction and handover: tests/destruction/test_api_validation_lifecycle.py.
    # Reviews and term lists: tests/review; slips and dispatch receipts: tests/dispatch.
    from tests.accounts.test_api_validation import CASES as ACCOUNT_CASES
    from tests.accounts.test_api_validation import NO_BODY as ACCOUNT_NO_BODY
    from tests.administration.test_api_validation import CASES as ADMINISTRATION_CASES
    from tests.assessments.test_api_validation import CASES as ASSESSMENT_CASES
    from tests.destruction.test_api_validation_lifecycle import CASES as LIFECYCLE_CASES
    from tests.devices.test_api_validation import CASES as DEVICE_CASES
    from tests.devices.test_api_validation import NO_BODY as DEVICE_NO_BODY
    from tests.dispatch.test_api_validation_slips import CASES as SLIP_CASES
    from tests.imports.test_api_validation import CASES as IMPORT_CASES
    from tests.incidents.test_api_validation import CASES as INCIDENT_CASES
    from tests.inspections.test_api_validation import CASES as OVERSIGHT_CASES
    from tests.inspections.test_api_validation import NO_BODY as OVERSIGHT_NO_BODY
    from tests.meetings.test_api_validation import CASES as MEETING_CASES
    from tests.outside_meetings.test_api_validation import CASES as OUTSIDE_MEETING_CASES
    from tests.personnel.test_api_validation import CASES as PERSONNEL_CASES
    from tests.review.test_api_validation import CASES as REVIEW_CASES
    from tests.sites.test_api_validation import CASES as SITE_CASES
    from tests.stocktake.test_api_validation import CASES as STOCKTAKE_CASES
    from tests.workdays.test_api_validation import CASES as WORKDAY_CASES

    elsewhere = [
        PERSONNEL_CASES,
        LIFECYCLE_CASES,
        STOCKTAKE_CASES,
        REVIEW_CASES,
        SLIP_CASES,
        ADMINISTRATION_CASES,  # units, departments, people, places, grants
        MEETING_CASES,  # 涉密会议: tests/meetings
        SITE_CASES,  # 要害部门部位, 来访, 钥匙, 下班检查: tests/sites
        ACCOUNT_CASES,
        IMPORT_CASES,  # 台帐导入: tests/imports
        OVERSIGHT_CASES,  # 检查、整改、培训、题库、考试、保密事项目录: tests/inspections
        OVERSIGHT_NO_BODY,  # start an inspection / an exam: the path is the only input
        DEVICE_CASES,  # 设备台帐与失泄密事件: tests/devices
        INCIDENT_CASES,  # 事件调查、结案、清查草稿、应急预案与演练: tests/incidents
        OUTSIDE_MEETING_CASES,  # 外出参加会议与带回文件 (CR-2): tests/outside_meetings
        WORKDAY_CASES,  # 工作日历调整: tests/workdays
        ASSESSMENT_CASES,  # 评分表、年度考核、奖惩记录 (INS-3): tests/assessments
    ]
    no_body = NO_BODY | ACCOUNT_NO_BODY | DEVICE_NO_BODY
    assert posted - set().union(*elsewhere) - no_body == covered
    # The exempt endpoints really take no input: no request body is published for them.
    paths = openapi_spec()["paths"]
    assert all("requestBody" not in paths[f"/api/v1/{t}"]["post"] for t in no_body)


# POST endpoints that accept no input at all, so there is no bad input to send.
NO_BODY = {
    # Installs the built-in approval paths for the caller's unit; nothing is read from the request.
    "approval-policies/defaults",
    # Submits the stored draft as it is; the review id in the path is the only input.
    "reviews/{review_id}/submit",
    # Revokes the grant the path names (the same as DELETE grants/{grant_id}).
    "grants/{grant_id}/revoke",
    # Stop / restart a person, retire a place: the id in the path is the only input.
    "people/{person_id}/deactivate",
    "people/{person_id}/reactivate",
    "places/{place_id}/retire",
    # Signs a checkpoint of the audit log as it stands; nothing is read from the request.
    "audit/checkpoints",
    # Freezes the yearly report the query (year, unit) names; its bad years: tests/reports.
    "reports/yearly/finalise",
}


def test_messages_are_specific(scene):
    response = scene["clerk"].post(
        "carriers", received(scene["w"], title="题" * 301, doc_date="2026-02-30", level="ultra")
    )
    detail = assert_invalid(response)["detail"]
    assert detail["title"] == ["长度不能超过 300 个字符"]
    assert detail["doc_date"] == ["日期格式应为 YYYY-MM-DD"]
    assert detail["level"][0].startswith("可选值：top_secret、secret、confidential")
    missing = assert_invalid(
        scene["clerk"].post("carriers/{}/circulate".format(scene["carrier"].pk), {})
    )["detail"]
    assert missing["reader_id"] == ["此字段为必填项"]
    unknown = assert_error(
        scene["clerk"].post(
            "carriers/{}/circulate".format(scene["carrier"].pk), {"reader_id": MISSING}
        ),
        404,
        "not_found",
    )["detail"]
    assert unknown["reader_id"] == [f"人员 #{MISSING} 不存在"]
    period = assert_invalid(
        scene["clerk"].post("carriers", received(scene["w"], period={"kind": "years"}))
    )["detail"]
    assert period["period"] == ["保密期限的年数必须是整数"]
