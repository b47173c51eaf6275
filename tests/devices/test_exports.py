"""DEV-1: each device ledger exports as xlsx (and PDF) in the official columns, with the level
banner of its highest-level device."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from baomi.classification.choices import Level
from baomi.devices.choices import DeviceKind, Ledger
from baomi.devices.exports import HEADERS
from tests.devices.helpers import classified_computer, classified_stick, plain_device

pytestmark = pytest.mark.django_db

OFFICIAL = [
    "单位",
    "部门",
    "设备类型",
    "品牌",
    "型号",
    "序列号",
    "硬盘序列号",
    "MAC地址",
    "密级",
    "保密编号",
    "责任人",
    "放置地点",
    "联网情况",
    "使用情况",
    "启用日期",
]


@pytest.fixture
def ledgers(world):
    w = world
    classified_computer(w)
    classified_stick(w)
    plain_device(w)
    plain_device(w, DeviceKind.USB_DRIVE, asset_number="FM-U1")
    plain_device(w, DeviceKind.PRINTER, asset_number="FM-P1")
    plain_device(w, DeviceKind.CRYPTO, asset_number="FM-C1")
    return w


def test_r_dev_1_official_columns():
    assert HEADERS == OFFICIAL


@pytest.mark.parametrize("ledger", list(Ledger))
def test_r_dev_1_each_ledger_exports_xlsx_with_official_columns(ledgers, client, ledger):
    w = ledgers
    client.force_login(w.clerk.user)
    response = client.get(f"/devices/ledger/{ledger.value}/export.xlsx")
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [c for c in rows[2] if c] == OFFICIAL
    assert len(rows) == 4  # banner, heading, headers, one device
    classified = ledger in (Ledger.CLASSIFIED_COMPUTERS, Ledger.CLASSIFIED_MEDIA)
    assert rows[0][0] == (Level.SECRET.label if classified else "内部")
    line = dict(zip(OFFICIAL, rows[3], strict=False))
    assert line["单位"] == w.unit.name
    if classified:
        assert line["保密编号"].startswith("20") and line["责任人"] == "张三"


def test_r_dev_1_ledger_exports_pdf(ledgers, client):
    client.force_login(ledgers.clerk.user)
    response = client.get("/devices/ledger/classified-computers/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_dev_1_ledger_pages_render(ledgers, client):
    w = ledgers
    client.force_login(w.clerk.user)
    for ledger in Ledger:
        page = client.get(f"/devices/ledger/{ledger.value}/")
        assert page.status_code == 200 and ledger.label in page.content.decode()
