"""A real unit adopts Baomi, in a real browser, from an EMPTY database (issue 8, "Done when" 1).

`baomi init` → the 系统管理员 (one-time password → forced change → 动态口令牌) builds the unit:
two departments, a 机要室, six people and their accounts, then imports the people ledger with
its 历史认定 → the 安全保密管理员 grants a 保密员 and an approver and confirms the 历史认定 →
the 保密员 (an imported person: one-time password → forced change) imports the carriers ledger
and circulates one carrier to a cleared reader → the 安全审计员 finds all of it in the trail.

Nothing is set up behind the browser's back: every step goes through the pages.
"""

from __future__ import annotations

import re
import time
from base64 import b32decode
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from openpyxl import Workbook

from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.org.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.otp]

UNIT, CODE = "XX县档案局", "X37"
# New passwords satisfy SEC-2 (≥ 10 characters, three classes, no name or username in them).
NEW_PASSWORDS = {
    "sysadmin": "Qx7#plover-Tarn9",
    "secadmin": "Wv4$heron-Lake82",
    "auditor": "Zk9!finch-Moor31",
    "chenjing": "Rb5%osprey-Dale7",
}
CONSOLE_PEOPLE = [  # name, number, department, post, username
    ("韩立新", "X37-001", "办公室", "局长", "hanlixin"),
    ("孙晓梅", "X37-002", "办公室", "副局长", "sunxiaomei"),
    ("钱国栋", "X37-003", "办公室", "主任", "qianguodong"),
    ("吴海燕", "X37-004", "档案管理科", "科长", "wuhaiyan"),
    ("郑永刚", "X37-005", "档案管理科", "科员", "zhengyonggang"),
    ("冯丽娟", "X37-006", "档案管理科", "科员", "fenglijuan"),
]
# The imported 人员名册 with each person's existing clearance decision (历史认定).
PEOPLE_HEADER = [
    "姓名", "部门", "职务", "涉密等级", "人员编号", "用户名", "认定文号", "审查日期", "承诺书签订日期",
]  # fmt: skip
PEOPLE_ROWS = [
    ["陈静", "办公室", "机要员", "核心", "X37-011", "chenjing", "X档〔2019〕3号", "2019-03-01", "2019-03-05"],
    ["周卫东", "办公室", "分管保密工作的副局长", "核心", "X37-012", "zhouweidong", "X档〔2018〕7号", "2018-06-10", "2018-06-12"],
    ["刘洋", "档案管理科", "副科长", "重要", "X37-013", "liuyang", "X档〔2020〕1号", "2020-01-08", "2020-01-09"],
    ["赵敏", "档案管理科", "档案员", "重要", "X37-014", "", "X档〔2021〕5号", "2021-04-02", "2021-04-06"],
]  # fmt: skip
CARRIERS_HEADER = [
    "序号", "统一编号", "文件资料名称", "制发机关", "文号", "密级", "保密期限", "份数", "知悉范围",
    "保管人", "承办人", "成文日期", "收文日期",
]  # fmt: skip
CARRIERS_ROWS = [
    [1, "2024-0000101", "关于加强档案保密管理的通知", "XX市保密局", "X保发〔2024〕2号", "秘密", "5年", 1, "档案管理科", "", "吴海燕", "2024-02-01", "2024-02-05"],
    [2, "2024-0000102", "涉密档案数字化工作方案", "XX市档案局", "X档发〔2024〕9号", "机密", "10年", 2, "办公室,档案管理科", "", "钱国栋", "2024-05-10", "2024-05-13"],
    [3, "", "年度保密检查情况通报", "XX市保密局", "X保发〔2025〕4号", "秘密", "", 1, "档案管理科", "赵敏", "", "2025-03-03", "2025-03-04"],
    [4, "", "馆藏涉密档案移交清单", "XX市档案局", "X档〔2025〕11号", "秘密", "10年", 1, "办公室", "", "", "2025-06-20", "2025-06-20"],
]  # fmt: skip


def xlsx(rows: list[list], title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])  # a title row above the header, as real 台帐 have
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sign_in(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def change_password(page, username: str, one_time: str) -> None:
    """SEC-2: a one-time password leads straight to the change page, and nowhere else."""
    page.wait_for_url(re.compile(r"/accounts/password/"))
    page.goto(page.base_url + "/imports/")  # any other page sends it back
    page.wait_for_url(re.compile(r"/accounts/password/\?next="))
    page.fill("#id_current_password", one_time)
    page.fill("#id_new_password", NEW_PASSWORDS[username])
    page.fill("#id_new_password2", NEW_PASSWORDS[username])
    with page.expect_navigation():
        page.click("#change-password")
    errors = page.locator(".invalid-feedback, .alert-danger")
    assert errors.count() == 0, errors.all_inner_texts()


def bind_token(page) -> None:
    """SEC-3 roles must bind a 动态口令牌 before anything else."""
    page.wait_for_url(re.compile(r"/accounts/otp/setup/"))
    secret = page.inner_text("#otp-secret").strip()
    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    totp.time = time.time()
    page.fill("#id_token", str(totp.token()).zfill(6))
    page.click("#otp-confirm")
    page.wait_for_url(lambda url: "/accounts/otp/" not in url)


def sign_out(page) -> None:
    page.click("header form button[type=submit]")
    page.wait_for_url(re.compile(r"/login/"))


def save_console_form(page) -> None:
    page.click("form.console-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger").count() == 0, page.content()


def import_through_page(page, kind: str, name: str, data: bytes) -> None:
    """Upload → the detected mapping → dry run (must pass) → import."""
    page.goto(page.base_url + "/imports/")
    page.select_option("#id_kind", kind)
    page.set_input_files(
        "#id_file",
        {
            "name": name,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": data,
        },
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/review/"))
    page.click("#mapping-form button[name=dry_run]")
    page.wait_for_selector("#report")
    assert page.get_attribute("#report", "data-ok") == "true", page.inner_text("#report")
    page.click("#mapping-form button[name=import]")
    page.wait_for_selector("#done")


def test_a_unit_adopts_baomi_from_an_empty_database(page):
    assert not Person.objects.exists()
    out = StringIO()
    call_command(
        "init", "--unit", UNIT, "--code", CODE, "--authority", "无", stdout=out, stderr=StringIO()
    )
    one_time = dict(line.split("\t") for line in out.getvalue().splitlines())
    assert set(one_time) == {"sysadmin", "secadmin", "auditor"}

    # -- 系统管理员 ------------------------------------------------------------------------------
    sign_in(page, "sysadmin", one_time["sysadmin"])
    change_password(page, "sysadmin", one_time["sysadmin"])
    bind_token(page)

    for name in ("办公室", "档案管理科"):
        page.goto(page.base_url + "/console/departments/new/")
        page.fill("#id_name", name)
        save_console_form(page)
    page.goto(page.base_url + "/console/departments/")
    assert page.locator("tr[data-department]").count() == 2

    # The 机要室: where the ledger's carriers land when it names no place.
    page.goto(page.base_url + "/console/places/new/")
    page.fill("#id_name", "机要室")
    page.select_option("#id_kind", "room")
    save_console_form(page)

    departments = {}
    for name, number, department, post, _ in CONSOLE_PEOPLE:
        page.goto(page.base_url + "/console/people/new/")
        page.fill("#id_name", name)
        page.fill("#id_number", number)
        page.select_option("#id_department", label=f"{UNIT} · {department}")
        page.fill("#id_post", post)
        save_console_form(page)
    for name, _, department, _, _ in CONSOLE_PEOPLE:
        person = Person.objects.get(name=name)
        departments[name] = person.department.name
        assert person.department.name == department

    for name, _, _, _, username in CONSOLE_PEOPLE:
        page.goto(page.base_url + "/accounts/")
        person = Person.objects.get(name=name)
        page.select_option("#create-account-form select[name=person]", str(person.pk))
        page.fill("#create-account-form input[name=username]", username)
        page.click("#create-account")
        page.wait_for_selector("#one-time-password")
        assert page.inner_text("#account-username") == username
    page.goto(page.base_url + "/accounts/")
    for _, _, _, _, username in CONSOLE_PEOPLE:
        assert page.locator(f'tr[data-username="{username}"]').count() == 1

    import_through_page(page, "people", "人员名册.xlsx", xlsx([PEOPLE_HEADER, *PEOPLE_ROWS]))
    accounts = {
        row.locator("td").nth(0).inner_text(): row.locator("code").inner_text()
        for row in page.locator("#accounts tbody tr").all()
    }
    assert set(accounts) == {"chenjing", "zhouweidong", "liuyang"}
    sign_out(page)

    # -- 安全保密管理员 --------------------------------------------------------------------------
    sign_in(page, "secadmin", one_time["secadmin"])
    change_password(page, "secadmin", one_time["secadmin"])
    bind_token(page)

    clerk, approver, reader, holder = (
        Person.objects.get(name=n) for n in ("陈静", "周卫东", "刘洋", "赵敏")
    )
    page.goto(page.base_url + "/imports/clearances/")
    assert page.locator("#historical tbody tr").count() == len(PEOPLE_ROWS)
    page.click("#confirm-all")
    page.wait_for_selector("text=没有待确认的历史认定")
    for person, clearance in ((clerk, "core"), (reader, "important"), (holder, "important")):
        person.refresh_from_db()
        assert person.clearance == clearance

    page.goto(page.base_url + "/console/grants/new/")
    page.select_option("#id_person", str(clerk.pk))
    page.select_option("#id_role", "registry_clerk")
    save_console_form(page)
    page.goto(page.base_url + "/console/grants/new/")
    page.select_option("#id_person", str(approver.pk))
    page.select_option("#id_role", "approver")
    page.select_option("#id_kind", "loan")
    page.select_option("#id_max_level", "confidential")
    save_console_form(page)
    page.goto(page.base_url + "/console/grants/")
    assert page.locator("tr[data-grant]").count() == 2
    sign_out(page)

    # -- 保密员 (imported with an account; the one-time password from the import page) -------
    sign_in(page, "chenjing", accounts["chenjing"])
    change_password(page, "chenjing", accounts["chenjing"])
    page.goto(page.base_url + "/")
    page.wait_for_url(re.compile(r"/carriers/$"))  # a 保密员 lands on the ledger
    ledger = xlsx([CARRIERS_HEADER, *CARRIERS_ROWS], title=f"{UNIT}涉密载体登记台帐（2024—2025）")
    import_through_page(page, "carriers", "涉密载体台帐.xlsx", ledger)
    assert Carrier.objects.count() == 5  # row 2 has 份数 2
    held = Carrier.objects.get(title="年度保密检查情况通报")
    assert held.holder == holder and held.status == Status.CIRCULATING

    page.goto(page.base_url + "/carriers/")
    target = Carrier.objects.get(number="2024-0000101")
    page.click(f"tr[data-carrier='{target.pk}'] a.carrier-number")
    page.click("button[data-action=circulate]")
    page.wait_for_selector("#act-circulate.collapse.show")
    page.select_option("#id_circulate_reader", str(reader.pk))
    page.click("#act-circulate button[type=submit]")
    page.wait_for_selector("text=已传阅给刘洋")
    target.refresh_from_db()
    assert target.status == Status.CIRCULATING and target.holder == reader
    sign_out(page)

    # -- 安全审计员 -------------------------------------------------------------------------------
    sign_in(page, "auditor", one_time["auditor"])
    change_password(page, "auditor", one_time["auditor"])
    bind_token(page)
    page.goto(page.base_url + "/")
    page.wait_for_url(re.compile(r"/audit/$"))  # the 安全审计员 lands on the trail

    def trail(event_type: str, **filters) -> list[str]:
        """The actors of the trail's rows of that event type, through the page's filter."""
        query = "&".join(f"{k}={v}" for k, v in {"event_type": event_type, **filters}.items())
        page.goto(f"{page.base_url}/audit/?{query}")
        rows = page.locator(f'#audit-table tr[data-event="{event_type}"]')
        return [row.get_attribute("data-actor") for row in rows.all()]

    assert len(trail("system.init")) == 1
    assert trail("department.create") == ["系统管理员"] * 2
    assert trail("person.create").count("系统管理员") == len(CONSOLE_PEOPLE) + len(PEOPLE_ROWS)
    assert len(trail("account.create")) == len(CONSOLE_PEOPLE) + 3
    assert trail("import.people") == ["系统管理员"]
    assert trail("clearance.confirm_historical") == ["安全保密管理员"] * len(PEOPLE_ROWS)
    assert trail("person.grant_role") == ["安全保密管理员"]
    assert trail("person.grant_approval_authority") == ["安全保密管理员"]
    assert trail("import.carriers") == ["陈静"]
    assert trail("carrier.register") == ["陈静"] * 5
    assert trail("carrier.handover") == ["陈静"]
    assert trail("carrier.circulate") == ["陈静"]
    logins = trail("login.success")
    assert {"系统管理员", "安全保密管理员", "陈静", "安全审计员"} <= set(logins)
    assert len(trail("account.password_change")) == 4
    assert len(trail("otp.enrol")) == 3
