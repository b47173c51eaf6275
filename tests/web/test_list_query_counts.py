"""Query-count guards for every list: each list page of the URL conf and each list endpoint of
the API costs the same number of queries with N rows as with 3N rows (no per-row queries).

The lists are found, not listed: every parameterless GET route of the URL conf that answers a
page, and every parameterless GET path of the OpenAPI schema — a new list is guarded the day it
is added."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from baomi.carriers import actions
from tests.api.helpers import api_as
from tests.factories import receive

# Downloads and sign-out are not lists; their row limits are guarded by their own tests.
SKIP = (
    "otp",
    "export",
    "pdf",
    "xlsx",
    "labels",
    "logout",
    "download",
    "backup",
    "print",
    "csv",
    "docs",
)


def _routes(patterns, prefix=""):
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern) or entry.pattern.converters:
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route


PAGES = sorted(
    r
    for r in set(_routes(get_resolver().url_patterns))
    if not r.startswith("/api/") and not any(word in r for word in SKIP)
)


def _rows(w, n: int) -> None:
    """n carriers with a history: registered, circulated and (half of them) returned."""
    made = receive(w, copies=n)
    for i, carrier in enumerate(made):
        actions.circulate(w.clerk, carrier, w.zhang)
        if i % 2:
            actions.return_to_registry(w.clerk, carrier)


def _queries(call) -> int | None:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured) if response.status_code == 200 else None


def _measure(client, paths) -> dict:
    return {path: _queries(lambda p=path: client.get(p)) for path in paths}


@pytest.mark.django_db
def test_list_pages_cost_the_same_queries_for_n_and_3n_rows(world, client):
    w = world
    client.force_login(w.clerk.user)
    _rows(w, 3)
    client.get("/")  # session and first-visit costs out of the way
    few = _measure(client, PAGES)
    _rows(w, 6)
    many = _measure(client, PAGES)
    measured = [p for p in PAGES if few[p] is not None]
    assert len(measured) > 30, measured  # the guard really walks the pages
    grew = {p: (few[p], many[p]) for p in measured if many[p] != few[p]}
    assert not grew, f"queries grow with rows (N → 3N): {grew}"


def _api_lists(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return sorted(
        path
        for path, ops in schema["paths"].items()
        if "get" in ops and "{" not in path and not any(word in path for word in SKIP)
    )


@pytest.mark.django_db
def test_list_endpoints_cost_the_same_queries_for_n_and_3n_rows(world, client):
    w = world
    api = api_as(w, w.clerk)
    paths = _api_lists(client)
    _rows(w, 3)
    few = {p: _queries(lambda p=p: api.client.get(p, **api._headers())) for p in paths}
    _rows(w, 6)
    many = {p: _queries(lambda p=p: api.client.get(p, **api._headers())) for p in paths}
    measured = [p for p in paths if few[p] is not None]
    assert "/api/v1/carriers" in measured and len(measured) > 15, measured
    grew = {p: (few[p], many[p]) for p in measured if many[p] != few[p]}
    assert not grew, f"queries grow with rows (N → 3N): {grew}"
