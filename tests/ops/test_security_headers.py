"""Security headers on every response (issue 10, item 8): a CSP without inline script, frame
denial, nosniff, Referrer-Policy; HSTS and Secure cookies only with TLS; Swagger UI offline."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.helpers import api_as
from tests.factories import receive

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def csp_of(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip())


def assert_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = csp_of(response)
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]
    return csp


def test_pages_carry_the_security_headers_and_no_inline_script(world, as_):
    carrier = receive(world)
    client = as_(world.clerk)
    for url in [
        reverse("login"),
        reverse("carriers:list"),
        reverse("carriers:detail", args=[carrier.pk]),
        reverse("approvals:new") + f"?carrier={carrier.pk}",
        "/reviews/",
        "/dashboard/",
        "/dispatch/recalls/",
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        csp = assert_headers(response)
        assert csp["style-src"] == "'self'", url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html))
        assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html))
        assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html))


def test_templates_hold_no_inline_script_or_handler():
    """Every web template (PDF templates are rendered on the server, not by a browser)."""
    from pathlib import Path

    import baomi

    root = Path(baomi.__file__).parent
    for template in root.rglob("templates/**/*.html"):
        if "/pdf/" in str(template) or template.name == "certificate.html":
            continue
        text = template.read_text()
        assert not INLINE_SCRIPT.search(text), template
        assert not INLINE_HANDLER.search(text), template
        assert not STYLE_ATTRIBUTE.search(text), template


def test_api_static_and_error_responses_carry_the_headers(world):
    api = api_as(world, world.clerk)
    assert_headers(api.get("carriers"))
    assert_headers(api.get("carriers/999999"))  # 404 JSON
    assert_headers(Client().get("/static/baomi/app.css"))
    assert_headers(Client().get("/no-such-page/"))


def test_swagger_page_loads_offline_without_a_validator(world, as_):
    response = as_(world.clerk).get("/api/v1/docs")
    assert response.status_code == 200
    csp = assert_headers(response)
    # Swagger UI lays itself out with inline styles; scripts stay 'self' only.
    assert csp["style-src"] == "'self' 'unsafe-inline'"
    html = response.content.decode()
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert '"validatorUrl": null' in settings_json
    assert "validator.swagger.io" not in html and "cdn" not in html.lower()


def test_no_hsts_or_secure_cookies_without_tls(client):
    response = client.get(reverse("login"))
    assert "Strict-Transport-Security" not in response
    assert not response.cookies.get("csrftoken") or not response.cookies["csrftoken"]["secure"]


@pytest.mark.parametrize("tls", [True])
def test_hsts_and_secure_cookies_when_tls_is_configured(world, settings, tls):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": world.clerk.user.username, "password": "x"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["csrftoken"]["secure"]
