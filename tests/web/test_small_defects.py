"""The smaller defects of issue 9, item 8: approval steps in order, the request form showing the
chosen kind's fields, one date format, the bell counting by kind, the README's port."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from django.utils import formats, timezone, translation

from baomi.approvals import actions as approvals
from baomi.approvals.choices import PolicyRole, RequestKind
from baomi.carriers import actions
from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.web.forms import DateInput
from tests.factories import person, receive

ROOT = Path(__file__).resolve().parents[2]


def two_step_request(w):
    deputy = person(w.system, w.unit, "郑副职", w.office, "core", "zhengfu")
    for kind in RequestKind.values:
        org.grant_approval_authority(w.system, deputy, kind, Level.TOP_SECRET)
    approvals.set_policy(
        w.secadmin,
        w.unit,
        RequestKind.LOAN,
        Level.SECRET,
        [(PolicyRole.SECRECY_LEADER, None), (PolicyRole.UNIT_HEAD, None)],
    )
    carrier = receive(w)
    return deputy, approvals.create_request(
        w.zhang,
        approvals.RequestForm(
            kind=RequestKind.LOAN,
            carriers=[carrier],
            reason="阅读",
            approver=deputy,
            due_date=timezone.localdate(),
        ),
    )


def test_two_step_approvals_show_their_order_and_who_waits(world, as_):
    w = world
    deputy, request = two_step_request(world)
    page = as_(w.zhang).get(f"/requests/{request.pk}/").content.decode()
    assert re.search(r"第1步.*郑副职：<strong>待审批</strong>", page)
    assert re.search(r"第2步.*钱领导：<strong>等待前一步</strong>", page)
    listed = as_(w.zhang).get("/requests/").content.decode()
    assert "第1步 郑副职（待审批）" in listed and "第2步 钱领导（等待前一步）" in listed
    approvals.approve(deputy, request, comment="同意")
    page = as_(w.zhang).get(f"/requests/{request.pk}/").content.decode()
    assert re.search(r"第1步.*郑副职：<strong>同意</strong>", page)
    assert re.search(r"第2步.*钱领导：<strong>待审批</strong>", page)


def test_the_request_form_shows_the_chosen_kinds_fields_only(world, as_):
    page = as_(world.zhang).get("/requests/new/?kind=copy").content.decode()

    def wrapper(field):
        match = re.search(
            rf'<div class="col-sm-\d" ([^>]*)>\s*<div class="mb-2">\s*<label[^>]*for="id_{field}"',
            page,
        )
        assert match, field
        return match.group(1)

    assert "hidden" not in wrapper("copies") and "hidden" not in wrapper("issuer_consent_doc")
    assert "hidden" in wrapper("due_date") and "hidden" in wrapper("destination")
    assert re.search(r'id="proposed-change"[^>]*hidden', page)
    loan = as_(world.zhang).get("/requests/new/?kind=loan").content.decode()
    assert re.search(r'id="proposed-change"[^>]*hidden', loan)
    # Progressive: the switch is in a static file, the page has no inline script.
    assert "baomi/forms.js" in page and "data-kind-select" in page
    assert not re.search(r"<script>|<script(?![^>]*src=)[^>]*>", page)
    assert "<noscript>" in page and "?kind=take_out" in page


def test_one_date_format_everywhere(world, as_):
    day, moment = date(2026, 1, 5), timezone.make_aware(datetime(2026, 1, 5, 9, 7))
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert formats.date_format(day) == "2026-01-05"
            assert formats.localize(day) == "2026-01-05"
            assert formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") == (
                "2026-01-05 09:07"
            )
    widget = DateInput().render("due", day)
    assert 'lang="zh-CN"' in widget and 'value="2026-01-05"' in widget and 'type="date"' in widget
    w = world
    carrier = actions.circulate(w.clerk, receive(w), w.zhang)
    actions.acknowledge(w.zhang, carrier)
    page = as_(w.zhang).get("/carriers/mine/").content.decode()
    assert re.search(r"已签收 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", page)


def test_the_bell_counts_by_kind_with_the_right_words(world, as_):
    """The clerk's training reminders are not carriers overdue: the bell says what they are."""
    w = world
    bell = as_(w.clerk).get("/alerts/count/").content.decode()
    summary = re.search(r'data-alert-summary="([^"]*)"', bell).group(1)
    assert "保密教育未完成" in summary
    assert "逾期未还" not in summary
    assert "data-alert-count>" in bell


def test_the_readme_says_how_to_choose_the_port():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make run HOST=0.0.0.0:8080" in readme
    assert re.search(r"^HOST \?= ", makefile, re.M) and "runserver $(HOST)" in makefile
