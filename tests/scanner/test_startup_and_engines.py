"""`baomi scan` starts without setting Django up (issue 9, item 14: a fixed start-up made a tree
of small files many times slower than ripgrep; bench/scanner_throughput.py measures it), and the
two matching engines count the same (SCAN-1)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from baomi.scanner import matcher
from baomi.scanner.findings import FileResult

PROBE = """
import sys
sys.argv = ["baomi", "scan", "--no-progress", sys.argv[1]]
from baomi import cli
try:
    cli.main()
except SystemExit:
    pass
import django.apps
print(django.apps.apps.ready, "baomi.settings" in sys.modules, "django.core.management" in sys.modules,
      "django.db.models.fields" in sys.modules)
"""


def test_scan_does_not_set_up_django_when_not_uploading(tmp_path):
    (tmp_path / "a.txt").write_text("机密★5年\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "a.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "机密★5年" in run.stdout, run.stderr
    # not set up, no settings, no management machinery, and not even the ORM imported
    assert run.stdout.strip().splitlines()[-1] == "False False False False"


def _count(terms, text: str):
    result = FileResult("x")
    matcher.Matcher(terms).scan([text.encode()], "x", "", result, 1000)
    return dict(result.term_counts), [(f.offset, f.text) for f in result.findings]


@pytest.mark.skipif(matcher.hyperscan is None, reason="Hyperscan is not installed here")
def test_r_scan_1_hyperscan_and_aho_corasick_count_alike_leftmost_longest(monkeypatch):
    terms = ["测绘", "测绘成果", "成果汇编", "汇编", "编号"]
    text = "测绘成果汇编编号\n测绘测绘成果\n成果汇编号\n" * 3
    fast = _count(terms, text)
    monkeypatch.setattr(matcher, "hyperscan", None)
    assert _count(terms, text) == fast
    assert fast[0] == {"测绘成果": 6, "汇编": 3, "编号": 3, "测绘": 3, "成果汇编": 3}
