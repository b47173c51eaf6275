"""`baomi import people|carriers FILE --as USERNAME [--unit CODE] [--dry-run]`: exit 0 with the
count, 1 with one `第N行 〈列〉：原因（规则）` line per problem, 2 for usage errors."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from baomi.carriers.models import Carrier
from baomi.org.models import Person
from tests.imports.ledgers import carrier, table
from tests.imports.test_people_import import PEOPLE


def baomi_import(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), f"{err.getvalue()}{error}"
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def ledger(tmp_path):
    def write(rows, name="台帐.xlsx", **kw):
        path = tmp_path / name
        path.write_bytes(table(rows, fmt=name.rsplit(".", 1)[1], **kw))
        return str(path)

    return write


def test_dry_run_with_bad_rows_exits_1_listing_each(world, ledger):
    path = ledger([carrier(), carrier(密级="特密"), carrier(保密期限="很久"), carrier()])
    code, out, _ = baomi_import("carriers", path, "--as", "baomiyuan", "--dry-run")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("第3行 〈密级〉：") and "CL-1" in lines[0]
    assert lines[1].startswith("第4行 〈保密期限〉：") and "CL-4" in lines[1]
    assert len(lines) == 2 and Carrier.objects.count() == 0


def test_import_with_bad_rows_exits_1_and_writes_nothing(world, ledger):
    path = ledger([carrier(), carrier(文件资料名称="")])
    code, out, _ = baomi_import("carriers", path, "--as", "baomiyuan")
    assert code == 1 and out.startswith("第3行 〈文件资料名称〉：")
    assert Carrier.objects.count() == 0


def test_clean_dry_run_exits_0_and_import_prints_the_count(world, ledger):
    path = ledger([carrier(份数="2"), carrier()], name="台帐.csv", encoding="gbk")
    code, out, _ = baomi_import("carriers", path, "--as", "baomiyuan", "--dry-run")
    assert code == 0 and "3" in out and Carrier.objects.count() == 0
    code, out, _ = baomi_import("carriers", path, "--as", "baomiyuan", "--unit", "C01")
    assert code == 0 and "已导入涉密载体 3 条" in out
    assert Carrier.objects.count() == 3


def test_people_import_prints_each_new_account_with_its_password(world, ledger):
    path = ledger(PEOPLE)
    code, out, err = baomi_import("people", path, "--as", "sysadmin")
    assert code == 0, err
    accounts = [line.split("\t") for line in out.splitlines() if "\t" in line]
    assert [a[0] for a in accounts] == ["zhouliu", "zhengba"]
    zhou = Person.objects.get(user__username="zhouliu")
    assert zhou.user.check_password(accounts[0][1])
    assert "已导入人员 3 条" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("carriers", "{path}", "--as", "nobody"), "nobody"),
        (("carriers", "/no/such/file.xlsx", "--as", "baomiyuan"), "无法读取"),
        (("carriers", "{path}", "--as", "baomiyuan", "--unit", "X99"), "X99"),
        (("carriers", "{bad}", "--as", "baomiyuan"), "Excel"),
        (("carriers", "{path}", "--as", "sysadmin"), "SEC-3"),
        (("people", "{path}", "--as", "baomiyuan"), "SEC-3"),
    ],
)
def test_usage_errors_and_refusals_exit_2(world, ledger, tmp_path, args, says):
    path = ledger([carrier()])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"plain text, not a workbook")
    code, _, err = baomi_import(*[a.format(path=path, bad=bad) for a in args])
    assert code == 2 and says in err
    assert Carrier.objects.count() == 0


def test_r_sec_3_clerk_of_another_unit_refused_with_unit(world, ledger):
    path = ledger([carrier()])
    code, _, err = baomi_import("carriers", path, "--as", "baomiyuan", "--unit", "P01")
    assert code == 2 and "保密员" in err
