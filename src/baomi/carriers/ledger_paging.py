"""The ledger page's rows and count at a million carriers: one scan per page, joins last.

Two costs the API list does not pay twice were paid by the page (issue 13):
- a substring search scanned its matches twice, once to count them and once to sort the page;
  here it reads the ordered ids of the matches once (up to the count cap), which gives both the
  count and the page;
- the page's query joined holder and place to every match before sorting (the planner guesses
  one row for a term that matches thousands: 180 ms of a 270 ms page); here the page's ids are
  chosen first and only those rows are joined.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.utils.functional import cached_property

from baomi.carriers.models import Carrier
from baomi.carriers.tables import with_level_rank
from baomi.lib.pagination import COUNT_CAP, CappedPaginator

# Rows per page: the ledger's 25 unless the link asks for another number within reason.
PER_PAGE = 25
MAX_PER_PAGE = 200


def rows_by_id(ids: list[int]) -> list[Carrier]:
    """The carriers of `ids` with holder and place, in the order of `ids`."""
    found = Carrier.objects.filter(pk__in=ids).select_related("holder", "place").in_bulk()
    return [found[pk] for pk in ids if pk in found]


class LedgerPaginator(CappedPaginator):
    """The capped paginator of the ledger. `searched`: the filter holds a substring search, whose
    matches are read once (ordered ids, up to the cap) for the count and the page."""

    def __init__(self, object_list, per_page, *, searched: bool = False):
        super().__init__(object_list, per_page)
        self.searched = searched

    @cached_property
    def matching_ids(self) -> list[int] | None:
        if not self.searched or not isinstance(self.object_list, QuerySet):
            return None
        return list(self.object_list.values_list("pk", flat=True)[: COUNT_CAP + 1])

    @cached_property
    def count(self) -> int:
        ids = self.matching_ids
        if ids is None:
            return super().count
        self.count_is_estimate = len(ids) > COUNT_CAP
        return COUNT_CAP if self.count_is_estimate else len(ids)

    def page(self, number):
        ids = self.matching_ids
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if ids is not None and bottom < COUNT_CAP:
            top = bottom + self.per_page
            if not self.count_is_estimate and top + self.orphans >= self.count:
                top = self.count
            return self._get_page(rows_by_id(ids[bottom:top]), number, self)
        return super().page(number)

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            object_list = self._joined(object_list)
        return super()._get_page(object_list, number, paginator)

    @staticmethod
    def _joined(sliced: QuerySet[Carrier]) -> list[Carrier]:
        """The sliced page, its ids chosen along the ordering without joins, then joined."""
        ordering = list(sliced.query.order_by) or list(Carrier._meta.ordering)
        rows = Carrier.objects.filter(pk__in=sliced.values("pk")).select_related("holder", "place")
        if any(str(field).lstrip("-") == "level_rank" for field in ordering):
            rows = with_level_rank(rows)
        return list(rows.order_by(*ordering))


def paginate_ledger(request, table, *, searched: bool) -> None:
    """django-tables2's RequestConfig pagination (a bad page number shows page 1, one past the
    end the last page) with the ledger's paginator; sets table.paginator and table.page."""
    try:
        per_page = int(request.GET.get("per_page", PER_PAGE))
    except ValueError:
        per_page = PER_PAGE
    if not 1 <= per_page <= MAX_PER_PAGE:
        per_page = PER_PAGE
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    # The table's data after RequestConfig applied the sort: the ordered queryset.
    paginator = LedgerPaginator(table.data.data, per_page, searched=searched)
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    table.paginator, table.page = paginator, page
