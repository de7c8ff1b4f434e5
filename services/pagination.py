"""Pages of a list: numbered pages with a total, and "more after this key" slices.

Lists were paged by hand in each place (an offset computed here, a count query there, the number
of pages as `max(1, -(-total // per_page))` in one view and `math.ceil` in another, a page past the
end clamped in two pages and not in the API). These are the two shapes in use, written once:

- `paginate`: offset/limit pages of a `select(Model)` with the total (never a 404 and no cap on
  `per_page`, unlike Flask-SQLAlchemy's `db.paginate`: the callers validate both and answer in
  their own words). `last_page_if_beyond` gives the pages' "past the end shows the last".
- `keyset_page`: a slice after a cursor (an event's seq), fetched one row long so that whether the
  extra row came says if more follow, without counting. The cursor stays the caller's concept: the
  event log's seq is also what sockets and the outbox resume from, so it is not turned into pages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, func

from services.db import db

T = TypeVar("T")


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill; an empty list still has its one (empty) page."""
    return max(1, math.ceil(total / per_page))


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def paginate(query: Select[Any], *, page: int, per_page: int) -> Page[Any]:
    """Page `page` (1-based) of `query`, which selects one model and carries its own order.

    A page past the end is empty, with the total still counted.
    """
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    # The count keeps the query's FROM and WHERE and nothing else: counting a subquery of every
    # column (Flask-SQLAlchemy's way) would read the large deferred ones too (stored reports).
    total = db.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    items = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items=items, total=total, page=page, per_page=per_page)


class Numbered(Protocol):
    """Any page that knows its total and size (`Page`, and the services' own page types)."""

    @property
    def total(self) -> int: ...

    @property
    def per_page(self) -> int: ...


P = TypeVar("P", bound=Numbered)


def last_page_if_beyond(fetch: Callable[[int], P], page: int) -> P:
    """`fetch(page)`, or the last page when `page` is past the end (what the HTML lists show)."""
    found = fetch(page)
    last = page_count(found.total, found.per_page)
    return fetch(last) if page > last else found


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    items: list[T]
    more: bool  # more rows follow the last one


def keyset_page(fetch: Callable[[int], Sequence[T]], limit: int) -> KeysetPage[T]:
    """At most `limit` rows from `fetch(n)` (the n rows after the caller's cursor), and whether more follow."""
    if limit < 1:
        raise ValueError("limit starts at 1")
    rows = list(fetch(limit + 1))
    return KeysetPage(items=rows[:limit], more=len(rows) > limit)
