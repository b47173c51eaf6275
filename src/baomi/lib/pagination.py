"""Pages of long lists: counts capped where an exact one would scan a million rows, and keyset
(cursor) pages that cost the same at row 12,000 as at row 1.

A cursor names the ordering and the sort values of the last row shown; the next page is the rows
strictly after it in that order — an index range, not an OFFSET that reads and throws away every
earlier row. Cursors are opaque to clients (base64 of JSON) and only valid for their ordering.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Model, Q, QuerySet
from django.utils.functional import cached_property

from baomi.lib.errors import Invalid

# Past this many rows a list says "10,000+" (count_is_estimate): counting a unit's million
# carriers exactly took 250 ms on every page.
COUNT_CAP = 10_000


def capped_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, is_estimate): the exact count up to `cap`, else `cap` and True ("cap+")."""
    cap = COUNT_CAP if cap is None else cap
    seen = queryset.order_by()[: cap + 1].count()
    return (cap, True) if seen > cap else (seen, False)


def encode_cursor(ordering: str, row: Model, fields: Sequence[str]) -> str:
    values = []
    for name in fields:
        value = getattr(row, name.lstrip("-"))
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    raw = json.dumps([ordering, values], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(model: type[Model], cursor: str, ordering: str, fields: Sequence[str]) -> list:
    """The sort values a cursor carries; 422 `invalid` for a cursor of another ordering or junk."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        named, values = json.loads(raw)
        if named != ordering or len(values) != len(fields):
            raise ValueError
        return [
            model._meta.get_field(name.lstrip("-")).to_python(value)
            for name, value in zip(fields, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, ValidationError) as error:
        raise Invalid(
            "分页游标无效或与排序方式不符：请从第一页重新翻页。",
            {"cursor": ["分页游标无效或与排序方式不符"]},
        ) from error


def after(queryset: QuerySet, fields: Sequence[str], values: Sequence) -> QuerySet:
    """The rows strictly after `values` in the order `fields` (each may start with '-').

    Written as a bound on the first field plus the lexicographic OR, so the planner walks the
    ordering index from the bound instead of filtering the whole index."""
    later = Q()
    for i, name in enumerate(fields):
        column = name.lstrip("-")
        op = "lt" if name.startswith("-") else "gt"
        step = Q(**{f"{column}__{op}": values[i]})
        for previous, value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{previous.lstrip("-"): value})
        later |= step
    first = fields[0].lstrip("-")
    bound = Q(**{f"{first}__{'lte' if fields[0].startswith('-') else 'gte'}": values[0]})
    return queryset.filter(bound & later)


class CappedPaginator(Paginator):
    """Django's paginator with a capped count (pages show "共 10,000+ 件"); pages past the cap
    still open — they are an OFFSET along the ordering index — up to `MAX_PAGE`."""

    MAX_PAGE = 100_000

    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        items = self.object_list
        # django-tables2 hands its rows over; the queryset is under them.
        queryset = getattr(getattr(items, "data", None), "data", items)
        if not isinstance(queryset, QuerySet):
            return len(items)
        count, self.count_is_estimate = capped_count(queryset)
        return count

    def validate_number(self, number) -> int:
        if self.count and self.count_is_estimate:
            try:
                number = int(number)
            except (TypeError, ValueError) as error:
                raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
            if number < 1 or number > self.MAX_PAGE:
                raise EmptyPage(self.error_messages["no_results"])
            return number
        return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.count_is_estimate and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


class CappedPage(Page):
    """Past the cap, a full page has a next one (the count no longer says where the end is)."""

    def has_next(self) -> bool:
        if self.paginator.count_is_estimate:
            return len(self.object_list) >= self.paginator.per_page
        return super().has_next()
