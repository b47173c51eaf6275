"""API: sending (CR-9), recall (CR-10), circulation slips (CR-4, CR-5), approval paths (APR-1…3)
and the unit settings — refusals as 403 with the rule id, data unchanged, refusal audited."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import ApprovalPolicy, Request
from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier, CirculationSlip, CustodyEvent
from baomi.classification.choices import Level
from baomi.dispatch import actions as dispatch
from baomi.dispatch.models import Dispatch, RecallItem
from baomi.org import actions as org
from tests.api.helpers import api_as, assert_error, assert_refusal_audited, last_seq
from tests.factories import person, receive

ISSUER = "XX省人民政府办公厅"


def _unchanged(carrier, status=Status.IN_REGISTRY, events=None):
    carrier.refresh_from_db()
    assert carrier.status == status
    if events is not None:
        assert CustodyEvent.objects.filter(carrier=carrier).count() == events


def test_r_cr_9_api_fax_is_refused_for_a_state_secret(world):
    w = world
    carrier = receive(w)
    events, seq = carrier.events.count(), last_seq()
    response = api_as(w, w.clerk).post(
        f"carriers/{carrier.pk}/dispatch", {"recipient_unit": "XX县政府办", "channel": "fax"}
    )
    assert_error(response, 403, "CR-9")
    _unchanged(carrier, events=events)
    assert not Dispatch.objects.exists()
    assert_refusal_audited("CR-9", seq)


def test_r_cr_9_api_top_secret_needs_two_couriers(world):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET)
    client = api_as(w, w.clerk)
    seq = last_seq()
    body = {"recipient_unit": "XX县政府办", "channel": "courier", "courier_ids": [w.leader.pk]}
    assert_error(client.post(f"carriers/{carrier.pk}/dispatch", body), 403, "CR-9")
    _unchanged(carrier)
    assert_refusal_audited("CR-9", seq)
    body["courier_ids"] = [w.leader.pk, w.clerk.pk]
    response = client.post(f"carriers/{carrier.pk}/dispatch", body)
    assert response.status_code == 201, response.content
    sent = response.json()
    assert sent["channel_display"] == "专人送达" and len(sent["couriers"]) == 2
    _unchanged(carrier, Status.SENT)
    receipt = client.post(f"dispatches/{sent['id']}/receipt", {"signed_by": "刘收文"})
    assert receipt.status_code == 200 and receipt.json()["receipt_signed_by"] == "刘收文"
    assert client.get("dispatches").json()["count"] == 1


def test_api_dispatch_unknown_courier_and_invisible_carrier_are_404(world):
    w = world
    carrier = receive(w)
    client = api_as(w, w.clerk)
    body = {"recipient_unit": "X", "channel": "courier", "courier_ids": [999999]}
    error = assert_error(client.post(f"carriers/{carrier.pk}/dispatch", body), 404, "not_found")
    assert "courier_ids" in error["detail"]
    body = {"recipient_unit": "X", "channel": "exchange_station"}
    assert_error(api_as(w, w.wang).post(f"carriers/{carrier.pk}/dispatch", body), 404, "not_found")
    assert_error(client.post("carriers/999999/dispatch", body), 404, "not_found")


def test_r_cr_10_api_recall_to_another_issuer_is_refused(world):
    w = world
    carrier = receive(w)
    seq = last_seq()
    response = api_as(w, w.clerk).post(f"carriers/{carrier.pk}/recall", {"issuer": "XX市财政局"})
    assert_error(response, 403, "CR-10")
    _unchanged(carrier)
    assert not RecallItem.objects.exists()
    assert_refusal_audited("CR-10", seq)


def test_r_cr_10_api_recall_while_held_is_refused_then_done(world):
    w = world
    carrier = receive(w)
    client = api_as(w, w.clerk)
    client.post(f"carriers/{carrier.pk}/circulate", {"reader_id": w.zhang.pk})
    seq = last_seq()
    assert_error(client.post(f"carriers/{carrier.pk}/recall"), 403, "CR-10")
    _unchanged(carrier, Status.CIRCULATING)
    assert_refusal_audited("CR-10", seq)
    client.post(f"carriers/{carrier.pk}/return")
    response = client.post(f"carriers/{carrier.pk}/recall", {"received_by": "王接收"})
    assert response.status_code == 200 and response.json()["status"] == "returned"


def test_api_recall_due_list_and_the_recall_list_pdf_reads_back_in_chinese(world, tmp_path):
    w = world
    top = receive(w, level=Level.TOP_SECRET)
    client = api_as(w, w.clerk)
    made = client.post(
        "recalls/schedules",
        {"issuer": ISSUER, "interval_months": 12, "starts_on": "2026-01-01"},
    )
    assert made.status_code == 200, made.content
    due = client.get("recalls/due").json()
    assert [(r["issuer"], r["count"]) for r in due] == [(ISSUER, 1)]
    assert due[0]["carriers"][0]["id"] == top.pk
    pdf = client.get("recalls/list.pdf", {"issuer": ISSUER})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "recall.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    for words in ("涉密载体清退单", ISSUER, top.label, "绝密", "接收人签字"):
        assert words in text.replace(" ", ""), words
    xlsx = client.get("recalls/list.xlsx", {"issuer": ISSUER})
    assert xlsx.status_code == 200
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "绝密"
    assert sheet["B4"].value == top.label
    # Not for staff: the lists name carriers across the unit.
    assert_error(api_as(w, w.zhang).get("recalls/due"), 403, "forbidden")


def test_r_cr_4_api_slip_refuses_a_reader_outside_the_scope(world):
    w = world
    carrier = receive(w)
    outsider = person(w.system, w.unit, "周财务", w.finance, "important", "")
    seq = last_seq()
    response = api_as(w, w.clerk).post(
        "circulation-slips", {"carrier_id": carrier.pk, "reader_ids": [w.zhang.pk, outsider.pk]}
    )
    assert_error(response, 403, "CR-4")
    assert not CirculationSlip.objects.exists()
    assert_refusal_audited("CR-4", seq)


def test_r_cr_5_api_top_secret_slip_comes_back_after_each_reader(world, tmp_path):
    w = world
    deputy = person(w.system, w.unit, "郑副职", w.office, "core", "zhengfu")
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader, deputy])
    client = api_as(w, w.clerk)
    made = client.post(
        "circulation-slips", {"carrier_id": carrier.pk, "reader_ids": [w.leader.pk, deputy.pk]}
    )
    assert made.status_code == 201, made.content
    slip_id = made.json()["id"]
    room = {"reading_place_id": w.reading_room.pk}  # CR-5: where 绝密 is read
    assert client.post(f"circulation-slips/{slip_id}/send", room).status_code == 200
    seq = last_seq()
    assert_error(client.post(f"circulation-slips/{slip_id}/send", room), 403, "CR-5")
    _unchanged(carrier, Status.CIRCULATING)
    assert_refusal_audited("CR-5", seq)
    ack = api_as(w, w.leader).post(f"circulation-slips/{slip_id}/acknowledge")
    assert ack.status_code == 200, ack.content
    client.post(f"circulation-slips/{slip_id}/return")
    client.post(f"circulation-slips/{slip_id}/send", room)
    client.post(f"circulation-slips/{slip_id}/return")
    slip = client.get(f"circulation-slips/{slip_id}").json()
    assert slip["state"] == "done"
    assert [r["reader"]["name"] for r in slip["readers"]] == ["钱领导", "郑副职"]
    pdf = client.get(f"circulation-slips/{slip_id}/slip.pdf")
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "涉密文件传阅单" in text.replace(" ", "") and "郑副职" in text


def test_r_apr_api_two_step_path_is_approved_after_the_last_step(world):
    w = world
    deputy = person(w.system, w.unit, "郑副职", w.office, "core", "zhengfu")
    org.grant_approval_authority(w.system, deputy, RequestKind.LOAN, Level.TOP_SECRET)
    carrier = receive(w)
    admin = api_as(w, w.secadmin)
    response = admin.client.put(
        "/api/v1/approval-policies",
        data=json.dumps(
            {
                "kind": "loan",
                "level": "secret",
                "steps": [{"role": "secrecy_leader"}, {"role": "unit_head"}],
            }
        ),
        content_type="application/json",
        **admin._headers(),
    )
    assert response.status_code == 200, response.content
    assert [s["role"] for s in response.json()["steps"]] == ["secrecy_leader", "unit_head"]
    made = api_as(w, w.zhang).post(
        "requests",
        {
            "kind": "loan",
            "carrier_ids": [carrier.pk],
            "reason": "阅读",
            "approver_id": deputy.pk,
            "due_date": "2099-01-01",
        },
    )
    # 2099 is beyond CR-17's limit: the request is refused before any step is written.
    assert_error(made, 403, "CR-17")
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    made = api_as(w, w.zhang).post(
        "requests",
        {
            "kind": "loan",
            "carrier_ids": [carrier.pk],
            "reason": "阅读",
            "approver_id": deputy.pk,
            "due_date": due,
        },
    )
    assert made.status_code == 201, made.content
    request_id = made.json()["id"]
    assert [s["approver"]["name"] for s in made.json()["steps"]] == ["郑副职", "钱领导"]
    seq = last_seq()
    assert_error(api_as(w, w.leader).post(f"requests/{request_id}/approve"), 403, "forbidden")
    assert_refusal_audited("forbidden", seq)
    assert api_as(w, deputy).post(f"requests/{request_id}/approve").json()["status"] == "pending"
    assert api_as(w, w.leader).post(f"requests/{request_id}/approve").json()["status"] == (
        "approved"
    )
    assert Request.objects.get(pk=request_id).status == RequestStatus.APPROVED


def test_api_policies_and_unit_settings_belong_to_the_security_officer(world):
    w = world
    clerk = api_as(w, w.clerk)
    assert_error(clerk.post("approval-policies/defaults"), 403, "forbidden")
    assert not ApprovalPolicy.objects.exists()
    assert api_as(w, w.secadmin).post("approval-policies/defaults").status_code == 200
    assert ApprovalPolicy.objects.filter(kind="copy", level="top_secret").exists()
    assert len(clerk.get("approval-policies").json()) == ApprovalPolicy.objects.count()
    admin = api_as(w, w.secadmin)
    response = admin.client.patch(
        "/api/v1/unit-settings",
        data='{"forbid_state_secret_take_out": true}',
        content_type="application/json",
        **admin._headers(),
    )
    assert response.status_code == 200, response.content
    assert response.json()["forbid_state_secret_take_out"] is True
    denied = clerk.client.patch(
        "/api/v1/unit-settings",
        data='{"issuer_consent_for_secret": true}',
        content_type="application/json",
        **clerk._headers(),
    )
    assert_error(denied, 403, "forbidden")
    w.unit.refresh_from_db()
    assert not w.unit.issuer_consent_for_secret


def test_dispatch_and_recall_leave_no_live_carrier(world):
    w = world
    first, second = receive(w, copies=2)
    dispatch.dispatch(
        w.clerk,
        dispatch.DispatchForm(
            carriers=[first], recipient_unit="X", channel="confidential_mail", couriers=[]
        ),
    )
    dispatch.recall(w.clerk, second)
    assert set(Carrier.objects.values_list("status", flat=True)) == {"sent", "returned"}
