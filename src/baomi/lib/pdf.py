"""A4 PDFs from Django templates (registers, certificates, recall lists) with WeasyPrint.

Fonts come from the machine (fontconfig): the Makefile installs fonts-wqy-zenhei, so Chinese
text is embedded and `pdftotext` reads it back. Nothing is fetched: url_fetcher refuses every
non-file URL (SEC-6).
"""

from __future__ import annotations

from django.template.loader import render_to_string

CJK_FONTS = '"WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'


def _no_network(url: str, *args, **kwargs):
    if not url.startswith(("file:", "data:")):
        raise ValueError(f"PDF 不得引用外部资源：{url}")
    from weasyprint.urls import default_url_fetcher

    return default_url_fetcher(url, *args, **kwargs)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template (extending `pdf/base.html`) to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"cjk_fonts": CJK_FONTS, **context})
    return HTML(string=html, url_fetcher=_no_network).write_pdf()
