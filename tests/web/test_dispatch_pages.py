"""Pages: 发文 (CR-9), 清退 (CR-10), 传阅单 (CR-4, CR-5), 审批路径与单位设置."""

from __future__ import annotations

from baomi.approvals.models import ApprovalPolicy
from baomi.carriers.choices import Status
from baomi.carriers.models import CirculationSlip
from baomi.classification.choices import Level
from baomi.dispatch.models import Dispatch
from tests.factories import receive


def test_dispatch_page_refuses_fax_with_the_rule_and_sends_by_exchange(world, as_):
    w = world
    carrier = receive(w)
    client = as_(w.clerk)
    assert client.get("/dispatch/").status_code == 200
    body = {"carriers": carrier.label, "recipient_unit": "XX县政府办", "channel": "fax"}
    refused = client.post("/dispatch/", body)
    assert refused.status_code == 403 and "CR-9" in refused.content.decode()
    assert not Dispatch.objects.exists()
    body["channel"] = "exchange_station"
    assert client.post("/dispatch/", body).status_code == 302
    carrier.refresh_from_db()
    assert carrier.status == Status.SENT
    sent = Dispatch.objects.get()
    client.post(f"/dispatch/{sent.pk}/receipt/", {"signed_by": "刘收文"})
    sent.refresh_from_db()
    assert sent.receipt_signed_by == "刘收文"


def test_dispatch_pages_are_for_clerks(world, as_):
    client = as_(world.zhang)
    assert client.get("/dispatch/").status_code == 403
    assert client.get("/dispatch/recalls/").status_code == 403


def test_recall_page_lists_due_top_secret_and_records_the_return(world, as_):
    w = world
    top = receive(w, level=Level.TOP_SECRET)
    client = as_(w.clerk)
    page = client.get("/dispatch/recalls/").content.decode()
    assert top.label in page and "XX省人民政府办公厅" in page
    pdf = client.get("/dispatch/recalls/list.pdf", {"issuer": "XX省人民政府办公厅"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/dispatch/recalls/list.doc").status_code == 404
    other = client.post("/dispatch/recalls/", {"carrier": top.pk, "received_by": "王接收"})
    assert other.status_code == 302
    top.refresh_from_db()
    assert top.status == Status.RETURNED


def test_slip_page_runs_the_readers_in_turn(world, as_):
    w = world
    carrier = receive(w)
    client = as_(w.clerk)
    made = client.post(
        "/dispatch/slips/", {"carrier": carrier.label, "readers": [w.zhang.pk, w.classifier.pk]}
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    slip = CirculationSlip.objects.get()
    assert [r.reader for r in slip.readers.order_by("order")] == [w.zhang, w.classifier]
    url = f"/dispatch/slips/{slip.pk}/"
    client.post(url, {"op": "send"})
    again = client.post(url, {"op": "send"})
    assert again.status_code == 403 and "CR-4" in again.content.decode()
    reader = as_(w.zhang)
    assert "签收" in reader.get(url).content.decode()
    reader.post(url, {"op": "ack"})
    clerk = as_(w.clerk)
    clerk.post(url, {"op": "return"})
    assert clerk.get(url, {"print": 1}).content.startswith(b"%PDF")


def test_slip_page_refuses_a_reader_without_clearance(world, as_):
    w = world
    carrier = receive(w)
    page = as_(w.clerk).post("/dispatch/slips/", {"carrier": carrier.label, "readers": [w.li.pk]})
    assert page.status_code == 403 and "PER-1" in page.content.decode()
    assert not CirculationSlip.objects.exists()


def test_policies_page_security_officer_loads_defaults_and_settings(world, as_):
    w = world
    client = as_(w.secadmin)
    assert client.get("/dispatch/policies/").status_code == 200
    client.post("/dispatch/policies/", {"op": "defaults"})
    assert ApprovalPolicy.objects.filter(unit=w.unit).exists()
    client.post("/dispatch/policies/", {"op": "settings", "forbid_state_secret_take_out": "on"})
    w.unit.refresh_from_db()
    assert w.unit.forbid_state_secret_take_out
    clerk = as_(w.clerk)
    assert "载入默认审批路径" not in clerk.get("/dispatch/policies/").content.decode()
    assert clerk.post("/dispatch/policies/", {"op": "defaults"}).status_code == 403
