"""`baomi scan`: output for people and machines, exit codes, the term list from a file or the
server, and the upload of the result as a computer's quarterly check (SCAN-1, DEV-6, REV-3)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.scanner import makefiles as mk


def baomi_scan(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baomi.settings"}
    env.pop("DATABASE_URL", None)  # the command needs no database
    return subprocess.run(
        [sys.executable, "-m", "baomi.cli", "scan", "--no-progress", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "电脑"
    root.mkdir()
    (root / "通知.txt").write_text("关于测绘成果的通知\n机密★5年\n", encoding="gb18030")
    (root / "报告.docx").write_bytes(mk.docx([mk.runs("秘", "密★10", "年")]))
    (root / "clean.txt").write_text("普通内容\n")
    terms = tmp_path / "terms.txt"
    terms.write_text("# 本单位敏感词\n测绘成果\n\n", encoding="utf-8")
    return root, terms


def test_r_scan_1_table_for_people_and_exit_code_1_on_findings(tree):
    root, terms = tree
    run = baomi_scan(str(root), "--terms", str(terms), "--jobs", "2")
    assert run.returncode == 1, run.stderr
    assert "【机密★5年】" in run.stdout
    assert "密级 秘密" in run.stdout
    assert "word/document.xml 第1行" in run.stdout
    assert "关于【测绘成果】的通知" in run.stdout
    assert "共检查 3 个文件" in run.stdout


def test_r_scan_1_json_and_csv_for_machines(tree):
    root, terms = tree
    run = baomi_scan(str(root), "--terms", str(terms), "--json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["summary"]["markings_by_level"] == {"secret": 1, "confidential": 1}
    assert report["summary"]["terms"] == 1
    findings = [f for file in report["files"] for f in file["findings"]]
    assert {(f["kind"], f["text"], f["level"]) for f in findings} == {
        ("marking", "机密★5年", "secret"),
        ("marking", "秘密★10年", "confidential"),
        ("term", "测绘成果", ""),
    }
    run = baomi_scan(str(root), "--terms", str(terms), "--csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert sorted(r["marking"] for r in rows if r["kind"] == "marking") == ["机密★5年", "秘密★10年"]


def test_r_scan_1_exit_code_0_when_clean_and_2_on_problems(tmp_path):
    (tmp_path / "a.txt").write_text("普通内容\n")
    assert baomi_scan(str(tmp_path)).returncode == 0
    (tmp_path / "bomb.zip").write_bytes(mk.zip_bomb(20))
    run = baomi_scan(str(tmp_path), "--max-ratio", "100", "--json")
    assert run.returncode == 2
    assert [p["code"] for p in json.loads(run.stdout)["problems"]] == ["zip_bomb"]


class _Server:
    """A local HTTP server that records requests (a stand-in for the Baomi server)."""

    def __init__(self, get_body: bytes = b"", content_type: str = "application/json"):
        self.requests: list[tuple[str, str, dict, bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(("GET", self.path, dict(self.headers), b""))
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(get_body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append(("POST", self.path, dict(self.headers), body))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_r_dev_6_report_is_uploaded_as_the_quarterly_check_of_the_device(tree):
    root, terms = tree
    server = _Server()
    try:
        run = baomi_scan(
            str(root), "--terms", str(terms), "--report-to", f"{server.url}/api/v1/devices/checks",
            "--token", "tok-123", "--device", "JSJ-2026-007",
        )  # fmt: skip
    finally:
        server.close()
    assert run.returncode == 1, run.stderr
    assert "已上传" in run.stderr
    [(method, path, headers, body)] = server.requests
    assert (method, path) == ("POST", "/api/v1/devices/checks")
    assert headers["Authorization"] == "Bearer tok-123"
    assert headers["Content-Type"] == "application/json"
    report = json.loads(body)
    assert report["device"] == "JSJ-2026-007"
    assert report["format"] == "baomi-scan/1"
    assert report["summary"]["markings"] == 2


def test_r_dev_6_a_failed_upload_is_exit_code_2(tree):
    root, _ = tree
    run = baomi_scan(str(root), "--report-to", "http://127.0.0.1:9/x", "--device", "D1")
    assert run.returncode == 2
    assert "上传失败" in run.stderr


def test_r_scan_1_terms_from_the_server(tree):
    root, _ = tree
    server = _Server(json.dumps({"terms": ["测绘成果"]}).encode())
    try:
        run = baomi_scan(str(root), "--terms-url", f"{server.url}/terms", "--token", "t", "--json")
    finally:
        server.close()
    assert json.loads(run.stdout)["summary"]["terms"] == 1
    assert server.requests[0][2]["Authorization"] == "Bearer t"
