"""SCAN-2: hostile, broken, encrypted and unreadable files are reported — never crash or hang the
scan, each finishes within its limits — and the scanner never changes or runs what it reads."""

from __future__ import annotations

import faulthandler
import os
import signal
import time

import pytest

from baomi.scanner import pool
from baomi.scanner.extractors import pdf as pdf_extractor
from baomi.scanner.limits import Limits
from baomi.scanner.runner import scan
from tests.scanner import makefiles as mk
from tests.scanner.conftest import codes, markings


def test_r_scan_2_zip_bomb_is_reported_not_inflated(scan_bytes):
    started = time.monotonic()
    result = scan_bytes("bomb.zip", mk.zip_bomb(100))
    assert codes(result) == ["zip_bomb"]
    assert "压缩炸弹" in result.problems[0].message
    assert result.problems[0].path.endswith("bomb.zip!zeros.txt")
    assert time.monotonic() - started < 10


def test_r_scan_2_total_expanded_bytes_are_limited(scan_bytes):
    members = {f"part{i}.txt": "普通内容\n" * 20_000 for i in range(10)}  # ~300 KB each
    result = scan_bytes("many.zip", mk.zip_of(members), limits=Limits(max_expanded=1 << 20))
    assert "too_large" in codes(result)


def test_r_scan_2_member_count_is_limited(scan_bytes):
    members = {f"m{i}.txt": "x" for i in range(50)}
    result = scan_bytes("wide.zip", mk.zip_of(members), limits=Limits(max_members=10))
    assert codes(result) == ["too_many_members"]


def test_r_scan_2_hundred_level_nested_zip_stops_at_the_depth_limit(scan_bytes):
    started = time.monotonic()
    result = scan_bytes("deep.zip", mk.nested_zip(100))
    assert codes(result) == ["too_deep"]
    assert result.problems[0].path.count("!") == 5  # the zip at depth 5 is not opened
    assert markings(result) == []
    assert time.monotonic() - started < 10
    shallow = scan_bytes("shallow.zip", mk.nested_zip(3))
    assert markings(shallow) == [("", "机密★5年", "secret")]
    assert codes(shallow) == []


def test_r_scan_2_encrypted_zip_member_is_reported_and_the_rest_scanned(scan_bytes):
    data = mk.encrypted_zip()
    result = scan_bytes("locked.zip", data)
    assert codes(result) == ["encrypted"]
    assert result.problems[0].path.endswith("locked.zip!secret.txt")
    outer = scan_bytes("outer.zip", mk.zip_of({"locked.zip": data, "b.txt": "机密★5年"}))
    assert codes(outer) == ["encrypted"]
    assert markings(outer) == [("", "机密★5年", "secret")]


def test_r_scan_2_encrypted_office_document_is_reported(scan_bytes):
    result = scan_bytes("locked.docx", mk.legacy_doc("随机", encrypted_ooxml=True))
    assert codes(result) == ["encrypted"]


def test_r_scan_2_truncated_and_garbage_pdf_are_reported(scan_bytes):
    data = mk.pdf([["机密★5年"]])
    result = scan_bytes("cut.pdf", data[: len(data) // 3])
    assert codes(result) == ["malformed"]
    garbage = scan_bytes("junk.pdf", b"%PDF-1.7\n" + os.urandom(5000))
    assert codes(garbage) == ["malformed"]


def test_r_scan_2_truncated_zip_and_docx_are_reported(scan_bytes):
    data = mk.docx([mk.para("机密★5年")])
    assert codes(scan_bytes("cut.docx", data[: len(data) // 2])) == ["malformed"]


def _hang(*args, **kwargs):
    time.sleep(60)


def _segfault(*args, **kwargs):
    faulthandler.disable()  # pytest's handler would print the child's stack
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.mark.parametrize(("child", "code"), [(_hang, "timeout"), (_segfault, "crashed")])
def test_r_scan_2_a_hanging_or_crashing_pdf_extractor_is_reported(
    scan_bytes, monkeypatch, child, code
):
    monkeypatch.setattr(pdf_extractor, "_extract", child)  # the forked child runs this
    started = time.monotonic()
    result = scan_bytes("a.pdf", mk.pdf([["机密★5年"]]), limits=Limits(extract_timeout=1))
    assert codes(result) == [code]
    assert time.monotonic() - started < 10


def test_r_scan_2_a_hanging_or_dying_worker_is_replaced(tmp_path, monkeypatch):
    real = pool.scan_file

    def flaky(path, matcher, limits):
        if path.endswith("hang.txt"):
            time.sleep(60)
        if path.endswith("die.txt"):
            os._exit(3)
        return real(path, matcher, limits)

    monkeypatch.setattr(pool, "scan_file", flaky)
    for name in ["a.txt", "hang.txt", "die.txt", "b.txt", "c.txt"]:
        (tmp_path / name).write_text("机密★5年\n")
    started = time.monotonic()
    report = scan([str(tmp_path)], [], Limits(file_timeout=2), jobs=2)
    assert time.monotonic() - started < 20
    by_path = {os.path.basename(r.path): r for r in report.results}
    assert codes(by_path["hang.txt"]) == ["timeout"]
    assert codes(by_path["die.txt"]) == ["crashed"]
    for name in ["a.txt", "b.txt", "c.txt"]:
        assert markings(by_path[name]) == [("", "机密★5年", "secret")]
    assert report.exit_code() == 2


def test_r_scan_2_links_out_of_the_root_are_not_followed_and_fifos_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("绝密★启用前\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside)
    (root / "file-link.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(root / "pipe")
    (root / "ok.txt").write_text("无\n")
    report = scan([str(root)], [])
    assert report.exit_code() == 0
    skipped = {os.path.basename(r.path): r.skipped for r in report.results if r.skipped}
    assert skipped == {
        "link": "符号链接，未跟随",
        "file-link.txt": "符号链接，未跟随",
        "pipe": "不是普通文件",
    }


def test_r_scan_2_missing_root_is_reported(tmp_path):
    report = scan([str(tmp_path / "nope")], [])
    assert [p.code for p in report.problems] == ["unreadable"]
    assert report.exit_code() == 2


def test_r_scan_2_scanning_changes_nothing_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    script = tmp_path / "run.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n# 机密★5年\n")
    script.chmod(0o755)
    archive = tmp_path / "a.zip"
    archive.write_bytes(mk.zip_of({"x.sh": script.read_text()}))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    report = scan([str(tmp_path)], [])
    assert report.exit_code() == 1
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before
    assert not marker.exists()


def test_r_scan_2_compression_ratio_limit_is_configurable(scan_bytes):
    data = mk.zip_of({"a.txt": b"\0" * (4 << 20)})
    assert codes(scan_bytes("ok.zip", data, limits=Limits(max_ratio=5000))) == []
    result = scan_bytes("bomb.zip", data)
    assert codes(result) == ["zip_bomb"]
