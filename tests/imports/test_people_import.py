"""People import by the 系统管理员: people, departments, accounts with one-time passwords, and
历史认定 that the 安全保密管理员 confirms in one step (PER-2/PER-3 met by the recorded decision)."""

from __future__ import annotations

from datetime import date

import pytest

from baomi.accounts.actions import generate_one_time_password
from baomi.audit.models import AuditEvent
from baomi.carriers.rules import require_may_hold
from baomi.imports.people import import_people
from baomi.org.models import Department, Person
from baomi.personnel.actions import confirm_historical_clearances
from baomi.personnel.choices import CommitmentKind, DecisionStatus
from baomi.personnel.models import ClearanceDecision
from tests.factories import last_audit_seq, receive, refused
from tests.imports.ledgers import table

PEOPLE = [
    {
        "姓名": "周六",
        "部门": "办公室秘书科",
        "职务": "科员",
        "涉密等级": "重要",
        "人员编号": "A001",
        "用户名": "zhouliu",
        "认定文号": "X保〔2019〕3号",
        "审查日期": date(2019, 5, 1),
        "承诺书签订日期": date(2019, 5, 2),
    },
    {"姓名": "吴七", "部门": "档案科", "职务": "档案员", "涉密等级": "非涉密", "人员编号": "A002"},
    {
        "姓名": "郑八",
        "部门": "档案科",
        "涉密等级": "一般",
        "用户名": "zhengba",
        "审查日期": date(2020, 1, 2),
        "承诺书签订日期": date(2020, 1, 2),
    },
]


def run(w, rows, *, dry_run=False, actor=None, **kw):
    return import_people(
        actor or w.sysadmin, w.unit, file_name="名册.xlsx", data=table(rows, **kw), dry_run=dry_run
    )


def test_people_accounts_departments_and_historical_clearances(world):
    seq = last_audit_seq()
    report = run(world, PEOPLE, title_rows=1)
    assert report.ok and report.count == 3 and report.header_row == 2
    assert "将新建部门：档案科" in report.notes
    assert Department.objects.filter(unit=world.unit, name="档案科").exists()
    zhou = Person.objects.get(name="周六")
    assert (zhou.number, zhou.department, zhou.post) == ("A001", world.office, "科员")
    assert zhou.clearance == "none", "an imported level waits for the 安全保密管理员"
    # Accounts: one line each, a one-time password that logs in.
    assert [u for u, _ in report.accounts] == ["zhouliu", "zhengba"]
    username, password = report.accounts[0]
    assert zhou.user.username == username and zhou.user.check_password(password)
    assert Person.objects.get(name="吴七").user is None
    pending = ClearanceDecision.objects.filter(historical=True, status=DecisionStatus.PROPOSED)
    assert pending.count() == 2
    types = set(AuditEvent.objects.filter(seq__gt=seq).values_list("event_type", flat=True))
    assert {
        "import.people",
        "person.create",
        "department.create",
        "clearance.import_historical",
    } <= types

    # The 安全保密管理员 confirms them all in one step; PER-3's records now exist.
    done = confirm_historical_clearances(world.secadmin, world.unit)
    assert len(done) == 2
    zhou.refresh_from_db()
    assert zhou.clearance == "important"
    assert zhou.vettings.get().on == date(2019, 5, 1)
    assert zhou.commitments.get(kind=CommitmentKind.ON_POST).signed_on == date(2019, 5, 2)
    assert ClearanceDecision.objects.get(person=zhou).status == DecisionStatus.APPROVED
    # Cleared: zhou may now hold a 机密 carrier of the office (PER-1).
    require_may_hold(zhou, receive(world, level="secret"))


def test_r_per_3_level_without_vetting_or_commitment_is_a_bad_row(world):
    rows = [{"姓名": "钱九", "涉密等级": "核心", "审查日期": date(2020, 1, 1)}]
    report = run(world, rows, dry_run=True)
    assert [(p.row, p.column, p.rule_id) for p in report.problems] == [
        (2, "承诺书签订日期", "PER-3")
    ]


def test_bad_rows_reported_and_nothing_written(world):
    rows = [
        *PEOPLE,
        {"姓名": "", "部门": "办公室秘书科"},
        {"姓名": "孙十", "涉密等级": "特级"},
        {"姓名": "孙十一", "用户名": "zhangsan"},
        {"姓名": "孙十二", "人员编号": "A001"},
    ]
    people = Person.objects.count()
    report = run(world, rows, dry_run=True)
    assert report.bad_rows == [5, 6, 7, 8]
    assert "SEC-1" in report.lines[2]
    assert Person.objects.count() == people


def test_r_sec_3_clerk_may_not_import_people(world):
    with refused("SEC-3"):
        run(world, PEOPLE, actor=world.clerk)


def test_r_sec_3_only_the_security_officer_confirms_historical_levels(world):
    run(world, PEOPLE)
    for actor in (world.sysadmin, world.clerk, world.leader):
        with refused("SEC-3"):
            confirm_historical_clearances(actor, world.unit)


def test_confirm_named_decisions_only(world):
    run(world, PEOPLE)
    first = ClearanceDecision.objects.filter(historical=True).order_by("pk").first()
    done = confirm_historical_clearances(world.secadmin, world.unit, decision_ids=[first.pk])
    assert [d.pk for d in done] == [first.pk]
    assert ClearanceDecision.objects.filter(historical=True, status="proposed").count() == 1


@pytest.mark.parametrize("_", range(20))
def test_r_sec_2_one_time_password_is_strong(_, db):
    password = generate_one_time_password()
    assert len(password) >= 12
    assert any(c.isupper() for c in password) and any(c.islower() for c in password)
    assert any(c.isdigit() for c in password) and any(not c.isalnum() for c in password)
