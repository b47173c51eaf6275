"""`baomi import devices FILE --as USERNAME`: the official columns through the imports machinery,
with the dry-run contract `第N行 〈列〉：原因（规则）`, all or nothing."""

from __future__ import annotations

import pytest

from baomi.carriers.choices import Status
from baomi.devices.models import Device
from tests.imports.ledgers import table
from tests.imports.test_import_command import baomi_import

pytestmark = pytest.mark.django_db


def device(**overrides) -> dict:
    row = {
        "单位": "XX市人民政府办公室",
        "部门": "办公室秘书科",
        "设备类型": "台式计算机",
        "品牌": "联想",
        "型号": "启天M430",
        "序列号": "SN-1",
        "硬盘序列号": "WD-1",
        "MAC地址": "00:11:22:33:44:55",
        "密级": "机密",
        "保密编号": "JM-001",
        "责任人": "张三",
        "放置地点": "办公室301",
        "联网情况": "单机",
        "使用情况": "在用",
        "启用日期": "2025-03-01",
    }
    row.update(overrides)
    return row


@pytest.fixture
def ledger(tmp_path):
    def write(rows):
        path = tmp_path / "设备台帐.xlsx"
        path.write_bytes(table(rows))
        return str(path)

    return write


def test_r_dev_2_dry_run_lists_each_bad_row_with_its_rule(world, ledger):
    path = ledger(
        [
            device(),
            device(序列号="SN-2", 联网情况="互联网"),
            device(序列号="SN-3", 责任人="李四"),
            device(序列号="SN-4", 设备类型="电饭锅"),
            device(序列号="SN-5", 密级="", 联网情况="互联网", 责任人="李四", 保密编号="FM-9"),
        ]
    )
    code, out, _ = baomi_import("devices", path, "--as", "baomiyuan", "--dry-run")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("第3行 〈联网情况〉：") and "DEV-2" in lines[0]
    assert lines[1].startswith("第4行 〈责任人〉：") and "DEV-2" in lines[1]
    assert lines[2].startswith("第5行 〈设备类型〉：")
    assert Device.objects.count() == 0
    code, _, _ = baomi_import("devices", path, "--as", "baomiyuan")
    assert code == 1 and Device.objects.count() == 0  # all or nothing


def test_r_dev_1_import_makes_classified_devices_carriers(world, ledger):
    path = ledger(
        [
            device(),
            device(设备类型="U盘", 序列号="U-1", 联网情况="", 保密编号="JM-U1"),
            device(序列号="PC-9", 密级="非涉密", 联网情况="互联网", 责任人="李四", 保密编号="FM-9"),
        ]
    )
    code, out, err = baomi_import("devices", path, "--as", "baomiyuan", "--dry-run")
    assert code == 0 and "可导入设备 3 条" in out, (out, err)
    assert Device.objects.count() == 0
    code, out, err = baomi_import("devices", path, "--as", "baomiyuan")
    assert code == 0 and "已导入设备 3 条" in out, (out, err)
    computer = Device.objects.get(serial="SN-1")
    assert computer.carrier.status == Status.ASSIGNED and computer.responsible.name == "张三"
    assert "JM-001" in computer.remarks
    plain = Device.objects.get(serial="PC-9")
    assert plain.carrier is None and plain.number == "FM-9" and plain.network == "internet"


def test_dev_1_import_refused_for_non_clerk(world, ledger):
    code, _, err = baomi_import("devices", ledger([device()]), "--as", "zhangsan")
    assert code == 2 and "保密员" in err
