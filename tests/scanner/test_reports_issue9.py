"""Reports (issue 9, item 13; SCAN-1, SCAN-2, DEV-6): names that are not UTF-8 keep JSON and CSV
valid and the upload working; a spent archive budget is one problem per container; --list-clean
lists the clean files a quarterly check read."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys

import pytest

from baomi.scanner.limits import Limits
from tests.scanner import makefiles as mk
from tests.scanner.conftest import codes
from tests.scanner.test_cli import _Server

GBK_NAME = "测试机密".encode("gb18030") + b".txt"  # not UTF-8: as a Windows copy leaves it


def run_scan(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "baomi.cli", "scan", "--no-progress", *args],
        capture_output=True,
        timeout=120,
        env=env,
    )


@pytest.fixture
def odd_tree(tmp_path):
    root = tmp_path / "电脑"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), GBK_NAME), "wb") as f:
        f.write("机密★5年\n".encode())
    (root / "clean.txt").write_text("普通内容\n", encoding="utf-8")
    return root


def _raw(root) -> bytes:
    return os.path.join(os.fsencode(root), GBK_NAME)


def test_r_scan_1_a_name_that_is_not_utf8_keeps_the_json_valid(odd_tree):
    run = run_scan(str(odd_tree), "--json")
    assert run.returncode == 1, run.stderr.decode()  # 1: a finding, not a crash
    report = json.loads(run.stdout.decode("utf-8"))  # strict UTF-8
    [entry] = report["files"]
    assert entry["path"].endswith("\\xb2\\xe2\\xca" + "Ի" + "\\xfa\\xc3\\xdc.txt")  # d4bb is UTF-8
    assert base64.b64decode(entry["path_b64"]) == _raw(odd_tree)
    assert entry["findings"][0]["path"] == entry["path"]
    assert entry["findings"][0]["marking"] == "机密★5年"


def test_r_scan_1_a_name_that_is_not_utf8_keeps_the_csv_and_the_table_valid(odd_tree):
    run = run_scan(str(odd_tree), "--csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode("utf-8"))))
    [row] = [r for r in rows if r["kind"] == "marking"]
    assert "\\xb2" in row["path"]
    assert base64.b64decode(row["path_b64"]) == _raw(odd_tree)
    table = run_scan(str(odd_tree))
    assert table.returncode == 1, table.stderr.decode()
    assert "\\xb2\\xe2" in table.stdout.decode("utf-8")


def test_r_dev_6_a_name_that_is_not_utf8_does_not_break_the_upload(odd_tree, tmp_path):
    server = _Server()
    out = tmp_path / "report.json"
    try:
        run = run_scan(
            str(odd_tree), "--report-to", f"{server.url}/api/v1/devices/1/checks",
            "--device", "JSJ-1", "--out", str(out),
        )  # fmt: skip
    finally:
        server.close()
    assert run.returncode == 1, run.stderr.decode()
    assert "已上传" in run.stderr.decode()
    [(_, _, _, body)] = server.requests
    uploaded = json.loads(body.decode("utf-8"))
    assert uploaded["format"] == "baomi-scan/1"  # unchanged: devices/checks.py reads it
    assert uploaded["summary"]["markings"] == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"] == uploaded["summary"]


def test_r_scan_2_a_spent_budget_is_one_problem_per_container(scan_bytes):
    members = {f"m{i:03d}.txt": "普通内容" * 100 for i in range(300)}
    limits = Limits(max_expanded=5000)
    result = scan_bytes("many.zip", mk.zip_of(members), limits=limits)
    assert codes(result) == ["too_large"]
    assert result.problems[0].path.endswith("many.zip")
    nested = mk.zip_of({"a.zip": mk.zip_of(members), "b.zip": mk.zip_of(members)})
    result = scan_bytes("outer.zip", nested, limits=Limits(max_members=50))
    assert codes(result) == ["too_many_members"]


def test_r_dev_6_list_clean_lists_the_clean_files_read(odd_tree):
    run = run_scan(str(odd_tree), "--json", "--list-clean")
    report = json.loads(run.stdout.decode("utf-8"))
    assert [os.path.basename(c["path"]) for c in report["clean"]] == ["clean.txt"]
    assert report["summary"]["clean"] == 1
    assert "clean" not in json.loads(run_scan(str(odd_tree), "--json").stdout.decode())
    table = run_scan(str(odd_tree), "--list-clean").stdout.decode("utf-8")
    assert any(
        line.startswith("无发现") and line.endswith("clean.txt") for line in table.splitlines()
    )
    rows = csv.DictReader(
        io.StringIO(run_scan(str(odd_tree), "--csv", "--list-clean").stdout.decode())
    )
    assert [os.path.basename(r["path"]) for r in rows if r["kind"] == "clean"] == ["clean.txt"]
