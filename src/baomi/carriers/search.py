"""Ledger search and filters that stay fast at a million carriers.

Substring search of 统一编号, title and 文号: on PostgreSQL an expression GIN index over the
row's one- and two-character grams (`baomi_grams`, migration 0007) finds the candidate rows for
terms of any length — pg_trgm needs three characters and Debian ships no pg_bigm — and the
`icontains` test stays as the final, exact filter. A term of one character looks up its unigram,
a longer one all its bigrams. SQLite (the embedded default, small ledgers) runs the plain LIKE.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, TextField

from baomi.carriers.models import Carrier


class SearchGrams(Func):
    """The indexed expression, exactly as the index spells it (the planner matches it
    structurally): baomi_grams(number::text || ' ' || title::text || ' ' || doc_number::text).

    An expression, not a raw WHERE naming "carriers_carrier": inside a subquery Django aliases
    the table (U0), and the raw text then pointed at the outer query's row."""

    function = "baomi_grams"
    arg_joiner = "::text || ' ' || "
    template = "%(function)s(%(expressions)s::text)"
    output_field = ArrayField(TextField())

    def __init__(self):
        super().__init__(F("number"), F("title"), F("doc_number"))


def grams_of(term: str) -> list[str]:
    """The grams a row must hold to contain `term`: its one character, or its bigrams."""
    term = term.lower()
    if len(term) == 1:
        return [term]
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})


def matching(queryset: QuerySet[Carrier], term: str) -> QuerySet[Carrier]:
    """Carriers whose 统一编号, title or 文号 contains `term` (case-insensitive)."""
    exact = Q(number__icontains=term) | Q(title__icontains=term) | Q(doc_number__icontains=term)
    if connection.vendor == "postgresql":
        queryset = queryset.alias(search_grams=SearchGrams()).filter(
            search_grams__contains=grams_of(term)
        )
    return queryset.filter(exact)


def in_scope_of_department(queryset: QuerySet[Carrier], department_id: int) -> QuerySet[Carrier]:
    """Carriers whose 知悉范围 names the department: a correlated EXISTS, so the planner can walk
    the ledger in its display order and stop at a page, instead of building the department's
    whole carrier list first (a semi-join of hundreds of thousands of rows)."""
    through = Carrier.scope_departments.through
    named = through.objects.filter(carrier_id=OuterRef("pk"), department_id=department_id)
    return queryset.filter(Exists(named))
