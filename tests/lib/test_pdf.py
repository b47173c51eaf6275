import shutil
import subprocess

import pytest
from django.template import engines

from baomi.lib import pdf


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) 未安装")
def test_chinese_pdf_text_reads_back(tmp_path, monkeypatch):
    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block content %}<h1>涉密载体销毁清单</h1>{% endblock %}'
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda name, ctx: template.render(ctx))
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf.render_pdf("ignored", {"marking": "机密★10年"}))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "涉密载体销毁清单" in text and "机密★10年" in text
