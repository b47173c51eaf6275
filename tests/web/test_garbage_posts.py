"""Garbage posted to every web form is a form error (4xx or the form again), never a 500 and
never a half-written change.

Every URL pattern of the site (walked from the urlconf, the JSON API aside: it has its own
contract test) is posted to, as the person whose page renders its form: the forms are found by
visiting the demo office (loaded once for the module) as a 保密员, a leader, a member of staff and
a system administrator. Each form gets a fixed handful of posts: as rendered, every field at once
garbage of each kind, every field left out. Patterns no page links to are posted to with ids
filled in; downloads no form posts to are left out. A pattern answering 405 does not take POST.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import pre_save
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Values a form must refuse or handle: not a number nor a known choice and holding a NUL
# (PostgreSQL refuses it in text), beyond any id, longer than any column, an impossible date;
# then each field left out.
GARBAGE = ("abc\x00", "9" * 30, "长" * 5001, "2026-02-30")
# Who visits and posts (the demo's accounts, web/demo_data.py), and how many pages each visits:
# one page per URL pattern is enough to find its forms.
ROLES = {"baomiyuan": 120, "lingdao": 40, "zhangsan": 30, "secadmin": 30}
SKIP_PREFIXES = ("/api/", "/static/", "/logout/")
# Downloads (PDF, xlsx, labels) have no forms and are slow to make.
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv|png|svg)|<str:fmt>|export|print|label", re.I)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo office, loaded once for the module in a transaction rolled back at the end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


# --- the urlconf ---------------------------------------------------------------------------------


def site_patterns() -> list[tuple[str, str]]:
    """(name or route, route with <converters>) of every page URL pattern, the API excluded."""
    found = []

    def walk(patterns, prefix: str):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("api/"):
                    continue
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                found.append((route, route))

    walk(get_resolver().url_patterns, "")
    return found


def fill(route: str) -> str:
    """A concrete URL for a route no page linked to: ids 1, words "x"."""
    url = re.sub(r"<int:\w+>", "1", route)
    url = re.sub(r"<(?:str|slug|path|uuid):\w+>|<\w+>", "x", url)
    return "/" + url.lstrip("^").rstrip("$")


def route_of(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.route


# --- the pages --------------------------------------------------------------------------------


class Forms(HTMLParser):
    """Links and POST forms of a page: each form as its action and its fields' default values."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = (a.get("action") or self.page_url, {})
                self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = a.get("name")
            if tag == "button" and name and "formaction" in a:
                self.forms.append((a["formaction"], dict(self._form[1])))
            if not name:
                return
            fields = self._form[1]
            kind = a.get("type", "text").lower()
            if tag == "input" and kind in ("checkbox", "radio"):
                if "checked" in a or name not in fields:
                    fields[name] = a.get("value", "on")
            elif tag == "input" and kind == "file":
                return
            elif tag == "select":
                self._select = name
                fields.setdefault(name, "")
            elif tag == "textarea":
                self._textarea = name
                fields[name] = ""
            else:
                fields.setdefault(name, a.get("value", ""))
        elif tag == "option" and self._form is not None and self._select:
            fields = self._form[1]
            if a.get("value") and (not fields.get(self._select) or "selected" in a):
                fields[self._select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[1][self._textarea] += data


def crawl(client: Client, budget: int) -> dict[str, list[tuple[str, dict]]]:
    """route → [(form action URL, default fields)] of the POST forms reachable from home."""
    seen_routes: set[str] = set()
    queue, visited = ["/"], set()
    forms: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    while queue and len(visited) < budget:
        url = queue.pop(0)
        if url in visited or url.startswith(SKIP_PREFIXES):
            continue
        route = route_of(url)
        if route is None or route in seen_routes or DOWNLOAD.search(url + route):
            continue
        visited.add(url)
        seen_routes.add(route)
        response = client.get(url)
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            # Home sends each role to its own start page: follow it.
            queue.append(response["Location"])
            seen_routes.discard(route)
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms(urlsplit(url).path)
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            action = action.split("#")[0]
            target = route_of(action)
            if target is not None and not forms[target]:
                forms[target].append((action, fields))
        queue += [link.split("#")[0] for link in parser.links if link not in visited]
    return forms


# --- the check ----------------------------------------------------------------------------------


def fingerprint() -> dict:
    """Rows per business table (the audit trail aside: refusals are recorded on purpose), with
    the statuses that a half-done change would leave moved."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model.__module__.startswith("baomi.") or model._meta.app_label == "audit":
                continue
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(f'SELECT COUNT(*), MAX("{pk}") FROM "{table}"')
            state[table] = cursor.fetchone()
            if "status" in {f.column for f in model._meta.concrete_fields}:
                cursor.execute(f'SELECT status, COUNT(*) FROM "{table}" GROUP BY status')
                state[table + ".status"] = sorted(cursor.fetchall())
    return state


def variants(fields: dict[str, str]):
    """The form as rendered, then every field garbage at once with each kind of garbage, then
    every field left out: a handful of posts per form, the same on every run."""
    token = {k: v for k, v in fields.items() if k == "csrfmiddlewaretoken"}
    names = [name for name in fields if name not in token]
    yield "as rendered", dict(fields)
    for value in GARBAGE:
        yield f"every field={value[:12]!r}", {**token, **dict.fromkeys(names, value)}
    yield "every field missing", dict(token)


def post(client: Client, url: str, data: dict, before: dict):
    """One post whose effects are rolled back afterwards (every post meets the same office, so
    `before` is the same for all); returns the response and whether a failed post changed
    anything, and what reached a model unchecked."""
    unchecked.clear()
    with transaction.atomic():
        response = client.post(url, data)
        half_written = response.status_code >= 400 and fingerprint() != before
        transaction.set_rollback(True)
    return response, half_written, list(unchecked)


unchecked: list[str] = []


def check_saved_values(sender, instance, **kwargs):
    """What SQLite would store but PostgreSQL refuses with a 500: a text longer than its column,
    a NUL character. Either means a form let a value through that only the model describes."""
    if not sender.__module__.startswith("baomi.") or sender._meta.app_label == "audit":
        return
    for f in sender._meta.concrete_fields:
        value = getattr(instance, f.attname, None)
        if not isinstance(value, str):
            continue
        if getattr(f, "max_length", None) and len(value) > f.max_length:
            unchecked.append(f"{sender.__name__}.{f.name} longer than {f.max_length}")
        if "\x00" in value:
            unchecked.append(f"{sender.__name__}.{f.name} holds a NUL")


@pytest.mark.django_db
def test_garbage_to_every_form_is_refused_without_a_500_or_a_half_written_change(demo):
    from baomi.org.models import Person

    people = {p.user.username: p for p in Person.objects.filter(user__username__in=ROLES)}
    assert set(people) == set(ROLES), "the demo's accounts changed: update ROLES"
    clients, found = {}, {}
    for username, budget in ROLES.items():
        client = Client(raise_request_exception=False)
        client.force_login(people[username].user)
        clients[username] = client
        for route, targets in crawl(client, budget).items():
            found.setdefault(route, (username, targets))

    failures, posted, before = [], set(), fingerprint()
    pre_save.connect(check_saved_values, dispatch_uid="garbage-posts")
    try:
        for route, _ in site_patterns():
            if route not in found and DOWNLOAD.search(route):
                continue  # a download no form posts to: nothing to garble, slow to make
            username, targets = found.get(route, ("baomiyuan", [(fill(route), {})]))
            client = clients[username]
            for url, fields in targets:
                query = dict(parse_qsl(urlsplit(url).query))
                for label, data in variants({**query, **fields} or {"id": ""}):
                    response, half_written, saved = post(client, url, data, before)
                    posted.add(route)
                    if response.status_code == 405:
                        break  # does not take POST
                    where = f"POST {url} as {username} with {label}"
                    if response.status_code >= 500:
                        failures.append(f"500: {where}")
                    if half_written:
                        failures.append(f"half-written change: {where}")
                    failures += [f"unchecked {what}: {where}" for what in saved]
                    if route.startswith(("login", "logout")):
                        client.force_login(people[username].user)
    finally:
        pre_save.disconnect(dispatch_uid="garbage-posts")
    assert posted >= {r for r, _ in site_patterns() if r in found or not DOWNLOAD.search(r)}
    assert not failures, "\n".join(failures)
