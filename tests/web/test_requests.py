"""Request pages: list, new, detail with approve/reject/withdraw, inbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent
from baomi.classification.choices import Level
from baomi.org import actions as org
from tests.factories import receive

NEW = reverse("approvals:new")


def due(days=5):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def pending(w, carrier, requester=None):
    return approvals.create_request(
        requester or w.zhang,
        approvals.RequestForm(
            kind=RequestKind.LOAN,
            carriers=[carrier],
            reason="工作需要",
            approver=w.leader,
            due_date=timezone.localdate() + timedelta(days=5),
        ),
    )


def test_new_request_is_prefilled_from_the_carrier_page(world, as_):
    w = world
    carrier = receive(w)
    html = as_(w.zhang).get(NEW, {"carrier": carrier.pk, "kind": "loan"}).content.decode()
    assert f'value="{carrier.label}"' in html
    assert '<option value="loan" selected>' in html
    assert "钱领导（可审批" in html


def test_zhang_files_a_loan_request(world, as_):
    w = world
    carrier = receive(w)
    r = as_(w.zhang).post(
        NEW,
        {
            "kind": "loan",
            "carriers": carrier.label,
            "reason": "起草材料",
            "approver": w.leader.pk,
            "due_date": due(),
        },
        follow=True,
    )
    req = Request.objects.get()
    assert r.redirect_chain[-1][0] == reverse("approvals:detail", args=[req.pk])
    assert f"申请 #{req.pk} 已提交" in r.content.decode()
    assert req.requester == w.zhang and list(req.carriers.all()) == [carrier]


def test_r_apr_2_an_approver_without_authority_is_refused(world, as_):
    w = world
    carrier = receive(w)
    org.grant_approval_authority(w.system, w.classifier, RequestKind.COPY, Level.SECRET)
    r = as_(w.zhang).post(
        NEW,
        {
            "kind": "loan",
            "carriers": carrier.label,
            "reason": "x",
            "approver": w.classifier.pk,
            "due_date": due(),
        },
    )
    assert r.status_code == 403 and "规则 APR-2" in r.content.decode()
    assert not Request.objects.exists()
    assert AuditEvent.objects.filter(
        event_type="request.create", outcome="refused", rule_id="APR-2"
    ).exists()


def test_r_cr_5_top_secret_cannot_be_requested_for_loan(world, as_):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.clerk])
    r = as_(w.clerk).post(
        NEW,
        {
            "kind": "loan",
            "carriers": carrier.label,
            "reason": "x",
            "approver": w.leader.pk,
            "due_date": due(0),
        },
    )
    assert r.status_code == 403 and "规则 CR-5" in r.content.decode()
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "这个字段是必填项"),
        ({"carriers": "2026-9999999-01"}, "未找到载体"),
        ({"carriers": "胡乱"}, "未找到载体"),
        ({"due_date": ""}, "请填写归还期限"),
        ({"due_date": "明天"}, "有效的日期"),
        ({"approver": "abc"}, "选择一个有效的选项"),
        ({"kind": "steal"}, "选择一个有效的选项"),
        ({"kind": "copy", "copies": ""}, "复制份数"),
    ],
)
def test_bad_input_is_a_form_error(world, as_, data, message):
    w = world
    carrier = receive(w)
    form = {
        "kind": "loan",
        "carriers": carrier.label,
        "reason": "x",
        "approver": w.leader.pk,
        "due_date": due(),
        **data,
    }
    r = as_(w.zhang).post(NEW, form)
    assert r.status_code == 422 and message in r.content.decode()
    assert not Request.objects.exists()


def test_a_carrier_you_cannot_see_cannot_be_requested(world, as_):
    w = world
    carrier = receive(w)
    assert as_(w.wang).get(NEW, {"carrier": carrier.pk}).status_code == 404
    assert as_(w.wang).get(NEW, {"carrier": "abc"}).status_code == 404
    assert as_(w.wang).get(NEW).status_code == 200
    r = as_(w.wang).post(
        NEW,
        {
            "kind": "loan",
            "carriers": carrier.label,
            "reason": "x",
            "approver": w.leader.pk,
            "due_date": due(),
        },
    )
    assert r.status_code == 422 and "未找到载体" in r.content.decode()


def test_leader_sees_it_in_the_inbox_and_approves(world, as_):
    w = world
    req = pending(w, receive(w))
    leader = as_(w.leader)
    inbox = leader.get(reverse("approvals:inbox")).content.decode()
    assert f"#{req.pk}" in inbox and 'class="marking-banner"' in inbox
    html = leader.get(reverse("approvals:detail", args=[req.pk])).content.decode()
    assert 'value="approve"' in html and 'value="reject"' in html
    assert 'value="withdraw"' not in html
    r = leader.post(reverse("approvals:approve", args=[req.pk]), {"comment": "同意"}, follow=True)
    assert f"已批准申请 #{req.pk}" in r.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED
    assert f"#{req.pk}" not in leader.get(reverse("approvals:inbox")).content.decode()


def test_requester_sees_withdraw_not_approve_and_cannot_approve_by_posting(world, as_):
    w = world
    req = pending(w, receive(w))
    zhang = as_(w.zhang)
    html = zhang.get(reverse("approvals:detail", args=[req.pk])).content.decode()
    assert 'value="withdraw"' in html and 'value="approve"' not in html
    r = zhang.post(reverse("approvals:approve", args=[req.pk]), {"comment": "自己批"})
    assert r.status_code == 403 and "规则 APR-1" in r.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING
    assert AuditEvent.objects.filter(
        event_type="request.approve", outcome="refused", rule_id="APR-1"
    ).exists()
    zhang.post(reverse("approvals:withdraw", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN


def test_reject_needs_a_reason(world, as_):
    w = world
    req = pending(w, receive(w))
    leader = as_(w.leader)
    r = leader.post(reverse("approvals:reject", args=[req.pk]), {"reason": ""})
    assert r.status_code == 422 and "这个字段是必填项" in r.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING
    leader.post(reverse("approvals:reject", args=[req.pk]), {"reason": "理由不充分"})
    req.refresh_from_db()
    assert req.status == RequestStatus.REJECTED


def test_others_cannot_withdraw_or_decide(world, as_):
    w = world
    req = pending(w, receive(w))
    r = as_(w.leader).post(reverse("approvals:withdraw", args=[req.pk]))
    assert r.status_code == 403 and "只有申请人" in r.content.decode()
    assert as_(w.wang).post(reverse("approvals:approve", args=[req.pk])).status_code == 404
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_request_list_is_scoped_and_filterable(world, as_):
    w = world
    req = pending(w, receive(w))
    zhang = as_(w.zhang)
    assert f"#{req.pk}" in zhang.get(reverse("approvals:list")).content.decode()
    assert (
        f"#{req.pk}"
        not in zhang.get(reverse("approvals:list"), {"status": "approved"}).content.decode()
    )
    assert zhang.get(reverse("approvals:list"), {"status": "bogus"}).status_code == 200
    wang = as_(w.wang)
    assert f"#{req.pk}" not in wang.get(reverse("approvals:list")).content.decode()
    assert wang.get(reverse("approvals:detail", args=[req.pk])).status_code == 404


def test_request_list_htmx_returns_the_table_only(world, as_):
    w = world
    pending(w, receive(w))
    r = as_(w.zhang).get(
        reverse("approvals:list"),
        {"kind": "loan"},
        headers={"HX-Request": "true", "HX-Target": "request-table"},
    )
    assert "<html" not in r.content.decode() and "request-table" in r.content.decode()


def test_request_list_query_count_does_not_grow(world, as_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = world
    carriers = receive(w, copies=12)
    pending(w, carriers[0])
    zhang = as_(w.zhang)
    with CaptureQueriesContext(connection) as few:
        zhang.get(reverse("approvals:list"))
    for c in carriers[1:]:
        pending(w, c)
    with CaptureQueriesContext(connection) as more:
        zhang.get(reverse("approvals:list"))
    assert len(more) == len(few)


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_r_sec_3_system_roles_get_no_request_pages(world, as_, role):
    client = as_(getattr(world, role))
    for name in ("approvals:list", "approvals:inbox", "approvals:new"):
        assert client.get(reverse(name)).status_code == 403


def test_approve_with_a_bad_consent_date_is_a_form_error(world, as_):
    w = world
    req = pending(w, receive(w))
    r = as_(w.leader).post(
        reverse("approvals:approve", args=[req.pk]), {"issuer_consent_date": "昨天"}
    )
    assert r.status_code == 422 and "有效的日期" in r.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_r_cr_7_copying_a_no_copy_carrier_needs_the_issuers_consent(world, as_):
    w = world
    carrier = receive(w, no_copy=True)
    req = approvals.create_request(
        w.zhang,
        approvals.RequestForm(
            kind=RequestKind.COPY,
            carriers=[carrier],
            reason="工作需要",
            approver=w.leader,
            copies=1,
        ),
    )
    leader = as_(w.leader)
    html = leader.get(reverse("approvals:detail", args=[req.pk])).content.decode()
    assert "制文机关同意文号" in html
    r = leader.post(reverse("approvals:approve", args=[req.pk]), {"comment": "同意"})
    assert r.status_code == 403 and "规则 CR-7" in r.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING
    assert AuditEvent.objects.filter(
        event_type="request.approve", outcome="refused", rule_id="CR-7"
    ).exists()
    leader.post(
        reverse("approvals:approve", args=[req.pk]),
        {
            "comment": "同意",
            "issuer_consent_doc": "X保函〔2026〕2号",
            "issuer_consent_date": timezone.localdate().isoformat(),
        },
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED
