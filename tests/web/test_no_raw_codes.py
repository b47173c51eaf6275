"""No English code on a Chinese page (issue 9, item 5): every value a user sees — levels, statuses,
clearances, request kinds, audit event types — is shown by its Chinese label, on the main pages
and in their exports, for every role, over the demo office."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.test import override_settings
from openpyxl import load_workbook

from baomi.audit.events import EVENT_LABELS

PAGES = {
    "baomiyuan": [
        "/",
        "/carriers/",
        "/carriers/mine/",
        "/requests/",
        "/requests/inbox/",
        "/dispatch/",
        "/dispatch/recalls/",
        "/dispatch/slips/",
        "/archive/",
        "/destruction/",
        "/handover/",
        "/stocktakes/",
        "/reclassification/",
        "/alerts/",
        "/reviews/",
        "/people/",
        "/people/organisation/",
        "/people/statistics/",
        "/people/allowance/",
        "/dashboard/",
        "/reports/yearly/",
        "/me/",
    ],
    "lingdao": ["/", "/requests/inbox/", "/me/", "/carriers/mine/", "/alerts/"],
    "zhangsan": ["/", "/carriers/mine/", "/requests/", "/requests/new/", "/me/"],
    "auditor": ["/audit/", "/audit/?outcome=read", "/audit/?outcome=refused"],
}
EXPORTS = {
    "baomiyuan": [
        "/people/allowance.xlsx",
        "/carriers/export.xlsx",
        "/requests/export.xlsx",
        "/reports/yearly/report.xlsx",
    ],
    "auditor": ["/audit/export.xlsx"],
}


def all_codes() -> set[str]:
    """Every choice code of the project's enums, and every audit event type."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    codes = set(EVENT_LABELS)
    for enum in subclasses(models.TextChoices):
        if enum.__module__.startswith("baomi"):
            codes.update(v for v in enum.values if re.fullmatch(r"[a-z][a-z_]{3,}", v))
    return codes


class VisibleText(HTMLParser):
    """The text a user reads: no scripts, styles, attributes."""

    def __init__(self):
        super().__init__()
        self.skip, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def raw_codes_in(text: str, codes: set[str]) -> set[str]:
    return {
        code
        for code in codes
        if re.search(rf"(?<![A-Za-z0-9_.\-/]){re.escape(code)}(?![A-Za-z0-9_\-/])", text)
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def as_user(demo, db, client):
    from django.contrib.auth import get_user_model

    def sign_in(username):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return sign_in


@pytest.mark.parametrize(
    ("username", "url"), [(u, url) for u, urls in PAGES.items() for url in urls]
)
def test_pages_show_no_raw_enum_code(as_user, username, url):
    # `follow`: the landing page depends on the role.
    response = as_user(username).get(url, follow=True)
    assert response.status_code == 200, url
    found = raw_codes_in(visible_text(response.content.decode()), all_codes())
    assert found == set(), f"{url} 显示了英文代码：{sorted(found)}"


@pytest.mark.parametrize(
    ("username", "url"), [(u, url) for u, urls in EXPORTS.items() for url in urls]
)
def test_exports_show_no_raw_enum_code(as_user, username, url):
    response = as_user(username).get(url)
    assert response.status_code == 200, url
    book = load_workbook(BytesIO(response.content), read_only=True)
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    found = raw_codes_in(cells, all_codes())
    assert found == set(), f"{url} 含英文代码：{sorted(found)}"


def test_the_check_itself_sees_a_raw_code():
    codes = all_codes()
    assert {"confidential", "important", "carrier.read", "destruction.export"} <= codes
    text = visible_text("<p>按密级：confidential 140；<script>x='secret'</script></p>")
    assert raw_codes_in(text, codes) == {"confidential"}
