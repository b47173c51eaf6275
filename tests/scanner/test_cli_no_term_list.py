"""`baomi scan` without a term list says so on stderr (issue 9, item 8): a clean result then only
means "no marking", and the user learns how to give a term list."""

from __future__ import annotations

from tests.scanner.test_cli import baomi_scan


def test_scan_without_a_term_list_says_only_markings_are_checked(tmp_path):
    (tmp_path / "a.txt").write_text("普通内容\n", encoding="utf-8")
    done = baomi_scan(str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "未给出敏感词表" in done.stderr and "--terms" in done.stderr
    assert "未给出敏感词表" not in done.stdout  # machines read stdout


def test_scan_with_a_term_list_says_nothing_about_it(tmp_path):
    (tmp_path / "a.txt").write_text("普通内容\n", encoding="utf-8")
    terms = tmp_path / "terms.txt"
    terms.write_text("测绘成果\n", encoding="utf-8")
    done = baomi_scan(str(tmp_path / "a.txt"), "--terms", str(terms))
    assert "未给出敏感词表" not in done.stderr
