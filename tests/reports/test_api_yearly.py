"""INS-4 and ORG-4 through the API (`reports/yearly`) and the page: the figures with their
queries, the narrative saved and frozen, PDF and xlsx downloads; a superior unit's 保密办 reads a
subordinate's counts — never a title — and writes nothing; everyone else gets 404."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.reports.models import YearlyReport
from tests.api.helpers import api_as, assert_conforms, assert_error
from tests.factories import receive
from tests.inspections.helpers import province_clerk

SECRET_TITLE = "绝不可外泄的年度标题"
PATH = "reports/yearly"


@pytest.fixture
def w(world):
    receive(world, level=Level.SECRET, copies=2, title=SECRET_TITLE)
    receive(world, level=Level.CONFIDENTIAL, copies=1, title=SECRET_TITLE)
    return world


def figures(body) -> dict:
    return {f["key"]: f for f in body["figures"]}


def test_r_ins_4_api_figures_with_their_queries(w):
    response = api_as(w, w.clerk).get(PATH, {"year": 2026})
    assert response.status_code == 200, response.content
    assert_conforms(response, "GET", PATH)
    body = response.json()
    assert body["unit_id"] == w.unit.pk and body["state"] == "draft" and body["editable"]
    assert not body["year_complete"] and not body["may_finalise"]
    figs = figures(body)
    secret = Carrier.objects.filter(unit=w.unit, level=Level.SECRET)
    assert figs["registered.secret"]["value"] == secret.values("number").distinct().count() == 1
    assert figs["registered.secret"]["copies"] == secret.count() == 2
    assert figs["held_at_end.total"]["copies"] == Carrier.objects.filter(unit=w.unit).count()
    assert all(f["query"] for f in body["figures"])
    assert "登记" in figs["registered.secret"]["query"]
    assert SECRET_TITLE not in response.content.decode()


def test_r_ins_4_api_narrative_saved_then_frozen_by_finalising(w):
    api = api_as(w, w.clerk)
    saved = api.client.put(
        "/api/v1/" + PATH + "/narrative?year=2025",
        data={"overview": "全年无失泄密事件。", "next_plan": "加强培训。"},
        content_type="application/json",
        **api._headers(),
    )
    assert saved.status_code == 200, saved.content
    assert_conforms(saved, "PUT", PATH + "/narrative")
    narrative = {p["field"]: p["text"] for p in saved.json()["narrative"]}
    assert narrative["overview"] == "全年无失泄密事件。" and narrative["problems"] == ""
    assert_error(api.post(PATH + "/finalise?year=2026"), 409, "invalid_state")  # year not over
    final = api.post(PATH + "/finalise?year=2025")
    assert final.status_code == 200, final.content
    assert final.json()["state"] == "final" and final.json()["checkpoint_id"]
    again = api.client.put(
        "/api/v1/" + PATH + "/narrative?year=2025",
        data={"overview": "改写"},
        content_type="application/json",
        **api._headers(),
    )
    assert_error(again, 409, "invalid_state")
    done = AuditEvent.objects.filter(event_type="yearly_report.finalise", outcome="done")
    assert done.count() == 1  # and the refusal for 2026 is audited as one


def test_r_ins_4_api_downloads_and_bad_years(w):
    api = api_as(w, w.clerk)
    pdf = api.get(PATH + ".pdf", {"year": 2026})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = api.get(PATH + ".xlsx", {"year": 2026})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert_error(api.get(PATH, {"year": 1999}), 422, "invalid")
    assert_error(api.get(PATH, {"year": 2027}), 422, "invalid")
    assert_error(api.get(PATH, {"year": "abc"}), 422, "invalid")
    for year in ("1999", "2027", "abc"):
        assert_error(api.post(PATH + f"/finalise?year={year}"), 422, "invalid")
    assert not YearlyReport.objects.exists()


def test_r_ins_4_api_people_who_do_not_answer_for_the_unit_get_404(w):
    for person in (w.zhang, w.auditor, w.secadmin):
        assert_error(api_as(w, person).get(PATH, {"year": 2026}), 404, "not_found")
    assert_error(api_as(w, w.zhang).get(PATH + ".pdf", {"year": 2026}), 404, "not_found")


def test_r_org_4_superior_reads_counts_never_titles_and_writes_nothing(w):
    superior = province_clerk(w)
    api = api_as(w, superior)
    response = api.get(PATH, {"year": 2026, "unit": w.unit.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit_id"] == w.unit.pk and not body["editable"]
    assert figures(body)["registered.secret"]["copies"] == 2
    assert not [k for k in figures(body) if k.startswith("sub_")]  # C01 has no subordinates
    assert SECRET_TITLE not in response.content.decode()
    write = api.client.put(
        "/api/v1/" + PATH + f"/narrative?year=2026&unit={w.unit.pk}",
        data={"overview": "上级代写"},
        content_type="application/json",
        **api._headers(),
    )
    assert_error(write, 403, "forbidden")
    assert_error(api.post(PATH + f"/finalise?year=2025&unit={w.unit.pk}"), 403, "forbidden")
    # The superior's own report carries each subordinate's headline counts, as computed there.
    own = api.get(PATH, {"year": 2026}).json()
    assert own["unit_id"] == w.province.pk
    sub = figures(own)[f"sub_registered_total.{w.unit.pk}"]
    assert (sub["value"], sub["copies"]) == (2, Carrier.objects.filter(unit=w.unit).count())
    assert sub["level_display"] == w.unit.name and w.unit.name in sub["query"]
    # Never upwards (ORG-4): the subordinate's 保密办 cannot read its superior's report.
    upward = api_as(w, w.clerk).get(PATH, {"year": 2026, "unit": w.province.pk})
    assert_error(upward, 404, "not_found")
    if shutil.which("pdftotext"):
        pdf = api.get(PATH + ".pdf", {"year": 2026, "unit": w.unit.pk})
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert w.unit.name in "".join(text.split()) and SECRET_TITLE not in text


def test_r_ins_4_page_shows_figures_saves_the_narrative_and_hides_it_from_others(w, client):
    client.force_login(w.clerk.user)
    page = client.get("/reports/yearly/", {"year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="registered.secret"' in html and "数字来源" in html
    assert SECRET_TITLE not in html
    posted = client.post(
        f"/reports/yearly/?year=2026&unit={w.unit.pk}",
        {
            "op": "save",
            "overview": "页面填写的概述",
            "main_work": "",
            "problems": "",
            "next_plan": "",
        },
    )
    assert posted.status_code == 302
    assert "页面填写的概述" in client.get("/reports/yearly/", {"year": 2026}).content.decode()
    refused = client.post(f"/reports/yearly/?year=2026&unit={w.unit.pk}", {"op": "finalise"})
    assert refused.status_code == 409 and "尚未结束" in refused.content.decode()
    download = client.get("/reports/yearly/report.xlsx", {"year": 2026})
    assert download.status_code == 200 and download.content.startswith(b"PK")
    client.force_login(w.zhang.user)
    assert client.get("/reports/yearly/", {"year": 2026}).status_code == 404
    superior = province_clerk(w)
    client.force_login(superior.user)
    seen = client.get("/reports/yearly/", {"year": 2026, "unit": w.unit.pk})
    assert seen.status_code == 200 and 'id="narrative-form"' not in seen.content.decode()
    assert "页面填写的概述" in seen.content.decode()
