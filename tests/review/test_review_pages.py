"""The review pages: submit with a file, hits highlighted for every reviewer, refusals with rule
ids, the register exported as xlsx and PDF (read back), the term-list page."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from baomi.review import actions
from baomi.review.choices import ReviewStatus, Stage
from baomi.review.models import Review, TermListVersion
from tests.review.conftest import review_state
from tests.review.helpers import approved_review, at_first_review

pytestmark = pytest.mark.django_db


def test_submit_page_scans_and_reviewers_see_hits_highlighted(world, as_):
    w = world
    actions.save_terms(w.clerk, w.unit, ["某型号"])
    client = as_(w.zhang)
    assert client.get("/reviews/new/").status_code == 200
    response = client.post(
        "/reviews/new/",
        {
            "title": "关于某项活动的通知",
            "destination": "website",
            "department": w.office.pk,
            "first_reviewer": w.classifier.pk,
            "level": "public",
            "text": "本次活动涉及某型号展示。",
            "files": [SimpleUploadedFile("附件.txt", "秘密★5年".encode())],
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review = Review.objects.get()
    assert review.status == ReviewStatus.HITS_PENDING
    actions.approve(w.leader, review, Stage.HIT_DECISION, "示例标志，不涉密")
    actions.self_check(w.zhang, review, "已自查")
    page = as_(w.classifier).get(f"/reviews/{review.pk}/").content.decode()
    assert "<mark" in page and ">某型号</mark>" in page and ">秘密★5年</mark>" in page
    assert "部门初审" in page


def test_r_rev_1_page_skipping_a_level_shows_the_rule(world, as_):
    w = world
    review = at_first_review(w)
    before = review_state()
    response = as_(w.leader).post(
        f"/reviews/{review.pk}/approve/", {"stage": Stage.LEADER, "comment": "同意"}
    )
    assert response.status_code == 403
    assert "REV-1" in response.content.decode()
    assert review_state() == before


def test_r_rev_1_page_publish_unapproved_is_refused(world, as_):
    w = world
    review = at_first_review(w)
    response = as_(w.zhang).post(
        f"/reviews/{review.pk}/publish/", {"where": "门户网站", "on": date.today().isoformat()}
    )
    assert response.status_code == 403
    assert "REV-1" in response.content.decode()


def test_reviewer_above_level_gets_404(world, as_):
    w = world
    review = at_first_review(w, level="secret")
    assert as_(w.li).get(f"/reviews/{review.pk}/").status_code == 404


def test_register_exports_xlsx_and_pdf_with_official_columns(world, as_):
    w = world
    review = approved_review(w)
    actions.publish(w.zhang, review, where="门户网站·通知公告", on=date.today())
    client = as_(w.clerk)
    assert "关于开展春季植树活动的通知" in client.get("/reviews/register/").content.decode()
    xlsx = client.get("/reviews/register.xlsx")
    ws = load_workbook(BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[2][1:8]) == [
        "标题",
        "信息来源",
        "承办部门",
        "发布途径",
        "部门初审意见",
        "专业审核人意见",
        "单位领导签批意见",
    ]
    assert rows[3][1] == "关于开展春季植树活动的通知"
    assert "同意上网" in rows[3][5] and "孙定密" in rows[3][5]
    assert "钱领导" in rows[3][6]
    pdf = client.get("/reviews/register.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    compact = "".join(text.split())
    for heading in ("信息发布保密审查登记表", "部门初审意见", "专业审核人意见", "单位领导签批意见"):
        assert heading in compact, heading
    assert "春季植树" in compact


def test_terms_page_import_and_edit(world, as_):
    w = world
    client = as_(w.clerk)
    assert client.get("/reviews/terms/").status_code == 200
    response = client.post(
        "/reviews/terms/",
        {
            "import": "1",
            "replace": "on",
            "file": SimpleUploadedFile("t.txt", "某型号\n代号甲".encode()),
        },
    )
    assert response.status_code == 200, response.content.decode()[:1500]
    assert TermListVersion.objects.get().terms == ["某型号", "代号甲"]
    client.post("/reviews/terms/", {"save": "1", "terms": "某型号\n", "note": "删词"})
    assert TermListVersion.objects.count() == 2
    assert client.get("/reviews/terms/1/").status_code == 200
    assert as_(w.zhang).get("/reviews/terms/").status_code == 403


def test_list_page(world, as_):
    w = world
    at_first_review(w)
    page = as_(w.classifier).get("/reviews/").content.decode()
    assert "关于开展春季植树活动的通知" in page and "待办" in page


def test_waiting_review_is_an_alert_for_its_reviewer(world):
    from baomi.lib.alerts import alerts_for

    w = world
    review = at_first_review(w)
    kinds = [(a.kind, a.object_id) for a in alerts_for(w.classifier, date.today())]
    assert ("review_waiting", review.pk) in kinds
    assert not [a for a in alerts_for(w.li, date.today()) if a.kind == "review_waiting"]
