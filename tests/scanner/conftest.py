"""Helpers for the scanner tests: write a generated file and scan it (no database needed)."""

from __future__ import annotations

import pytest

from baomi.scanner.engine import scan_file
from baomi.scanner.limits import Limits
from baomi.scanner.matcher import Matcher

TERMS = ["保密工作要点", "涉密人员名单", "测绘成果"]


@pytest.fixture
def scan_bytes(tmp_path):
    """scan_bytes(name, data, terms=TERMS, limits=Limits()) → FileResult of that one file."""

    def scan(name: str, data: bytes, terms=TERMS, limits: Limits | None = None):
        path = tmp_path / name
        path.write_bytes(data)
        return scan_file(str(path), Matcher(terms), limits or Limits())

    return scan


def markings(result) -> list[tuple[str, str, str]]:
    """(part, marking, level) of each marking found."""
    return [(f.part, f.marking, f.level) for f in result.findings if f.kind == "marking"]


def terms_found(result) -> list[tuple[str, str]]:
    return [(f.part, f.text) for f in result.findings if f.kind == "term"]


def codes(result) -> list[str]:
    return [p.code for p in result.problems]
