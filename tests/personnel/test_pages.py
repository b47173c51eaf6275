"""Pages: the 涉密人员登记表 with its xlsx and PDF exports (Chinese read back by pdftotext), a
person's page, organisation, statistics and allowance; refusals on pages show the rule id."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.personnel import actions as personnel
from baomi.personnel import organisation
from baomi.personnel.models import ClearanceDecision
from baomi.personnel.selectors import allowance_list
from tests.factories import receive
from tests.personnel.helpers import clear, hire, today, vet_and_commit, with_head


@pytest.fixture
def w(world):
    w = with_head(world)
    p = hire(w, "周新")
    vet_and_commit(w, p)
    personnel.record_training(w.clerk, p, on=today(), hours=4, subject="保密法", score=95)
    clear(w, p)
    p.refresh_from_db()
    w.newcomer = p
    return w


def client_for(p) -> Client:
    c = Client()
    c.force_login(p.user)
    return c


def test_ledger_page_filters_and_exports_xlsx(w):
    c = client_for(w.clerk)
    r = c.get("/people/", {"clearance": "important"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "涉密人员登记表" in page and "周新" in page and "李四" not in page
    r = c.get("/people/export.xlsx", {"clearance": "important"})
    assert r.status_code == 200
    ws = load_workbook(BytesIO(r.content)).active
    assert ws["A1"].value == "内部"
    assert [cell.value for cell in ws[3]][:4] == ["姓名", "部门", "岗位", "涉密等级"]
    names = [row[0].value for row in ws.iter_rows(min_row=4)]
    assert "周新" in names and "李四" not in names


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) 未安装")
def test_ledger_exports_as_pdf_with_chinese_text(w, tmp_path):
    r = client_for(w.clerk).get("/people/export.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    out = tmp_path / "people.pdf"
    out.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for expected in ("涉密人员登记表", "内部", "周新", "办公室秘书科", "重要", "定密责任人"):
        assert expected in text, expected


def test_ledger_is_for_the_office_only(w):
    assert client_for(w.li).get("/people/").status_code == 403


def test_person_page_shows_records_and_holdings(w):
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.newcomer)
    r = client_for(w.clerk).get(f"/people/{w.newcomer.pk}/")
    page = r.content.decode()
    assert r.status_code == 200
    for expected in ("保密审查", "保密法", carrier.label, "已批准"):
        assert expected in page, expected
    assert client_for(w.wang).get(f"/people/{w.newcomer.pk}/").status_code == 404


def test_a_refusal_on_the_person_page_names_the_rule(w):
    p = hire(w, "吴新")
    r = client_for(w.zhang).post(
        f"/people/{p.pk}/do/propose/",
        {"clearance": "important", "highest_level": "secret", "reason": "机要"},
    )
    assert r.status_code == 404  # 张三 may not open 吴新's page
    r = client_for(w.clerk).post(
        f"/people/{p.pk}/do/propose/",
        {"clearance": "important", "highest_level": "secret", "reason": "机要"},
    )
    assert r.status_code == 403
    assert "PER-" in r.content.decode()
    assert not ClearanceDecision.objects.filter(person=p).exists()


def test_decision_steps_from_the_page(w):
    p = hire(w, "吴新")
    vet_and_commit(w, p)
    d = personnel.propose_clearance(
        w.zhang, p, clearance="general", highest_level="confidential", reason="岗位接触秘密"
    )
    r = client_for(w.leader).post(f"/people/steps/decision/{d.pk}/approve/")
    assert r.status_code == 403 and "PER-2" in r.content.decode()
    r = client_for(w.classifier).post(f"/people/steps/decision/{d.pk}/check/")
    assert r.status_code == 302
    r = client_for(w.leader).post(f"/people/steps/decision/{d.pk}/approve/")
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.clearance == "general"


def test_organisation_statistics_and_allowance_pages(w):
    organisation.set_committee(
        w.system, w.unit, name="保密工作领导小组", office_department=w.registry
    )
    organisation.add_committee_member(w.system, w.unit, w.leader, role="leader", start_on=today())
    organisation.appoint_officer(w.system, w.clerk, full_time=True, start_on=today())
    letter = organisation.sign_responsibility_letter(
        w.system, w.classifier, signed_on=today(), text="本人对本部门保密工作负责。"
    )
    c = client_for(w.clerk)
    page = c.get("/people/organisation/").content.decode()
    assert "钱领导" in page and "专职" in page and "孙定密" in page
    pdf = c.get(f"/people/letters/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "XX市人民政府办公室" in c.get("/people/statistics/").content.decode()
    r = c.get("/people/statistics/", {"unit": w.province.pk})
    assert r.status_code == 403 and "ORG-4" in r.content.decode()
    assert c.get("/people/allowance/").status_code == 200
    assert c.get("/people/allowance.xlsx").status_code == 200


def test_per_8_allowance_is_prorated_by_days_at_the_level(w):
    organisation.update_personnel_settings(
        w.system, w.unit, allowance_table={"core": 310, "important": 310, "general": 155}
    )
    decision = w.newcomer.clearance_decisions.get()
    ClearanceDecision.objects.filter(pk=decision.pk).update(effective_on=date(2026, 3, 11))
    rows = {r.person.name: r for r in allowance_list(w.unit, 2026, 3)}
    # 3 月 31 天：3 月 11 日起为重要，共 21 天 → 310 × 21 / 31 = 210
    assert rows["周新"].parts == [("important", 21, Decimal("210.00"))]
    assert rows["李四"].total == Decimal("155.00")
    assert "王五" not in rows
