"""Pages of a list whose count is known beforehand or counted only up to a cap.

Django's paginator counts the whole result on every page. At 100,000 declarations that count is
most of a list page's time, so the list passes the count the tally already holds
(services.queries.count_filtered); a search, which the tally cannot count, is counted up to
:data:`SEARCH_COUNT_CAP` matches and then said to have "more than" that many, never a made-up total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

if TYPE_CHECKING:
    _Base = Paginator[Any]
else:
    _Base = Paginator

__all__ = ["SEARCH_COUNT_CAP", "CountedPaginator"]

# Matches of a search counted at most; a page beyond them asks the user to narrow the search.
SEARCH_COUNT_CAP = 1000


class CountedPaginator(_Base):
    """A paginator given its ``count`` (known beforehand) instead of counting ``object_list``.

    ``capped`` says that there are more rows than ``count``: the pages reach the first ``count``.
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, count: int, capped: bool = False):
        super().__init__(object_list, per_page)
        self.known = count
        self.capped = capped

    @cached_property
    def count(self) -> int:
        """Return the count given."""
        return self.known
