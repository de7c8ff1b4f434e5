"""The pure parts of services/pagination.py: page counts, the last-page clamp, keyset slices."""

from __future__ import annotations

import pytest

from services.pagination import Page, keyset_page, last_page_if_beyond, page_count

ROWS = list(range(1, 8))  # 7 rows, 3 a page: pages of 3, 3 and 1


def fetch_page(number: int, per_page: int = 3) -> Page[int]:
    start = (number - 1) * per_page
    return Page(items=ROWS[start : start + per_page], total=len(ROWS), page=number, per_page=per_page)


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (3, 1), (4, 2), (7, 3), (9, 3)])
def test_page_count(total, pages):
    assert page_count(total, 3) == pages
    assert Page(items=[], total=total, page=1, per_page=3).pages == pages


def test_a_page_within_the_list_is_fetched_as_asked():
    found = last_page_if_beyond(fetch_page, 2)
    assert (found.page, found.items) == (2, [4, 5, 6])


def test_the_last_page_holds_the_rest():
    found = last_page_if_beyond(fetch_page, 3)
    assert (found.page, found.items) == (3, [7])


def test_a_page_beyond_the_end_shows_the_last():
    found = last_page_if_beyond(fetch_page, 40)
    assert (found.page, found.items, found.total) == (3, [7], 7)


def test_an_empty_list_has_one_empty_page():
    def nothing(number: int) -> Page[int]:
        return Page(items=[], total=0, page=number, per_page=3)

    found = last_page_if_beyond(nothing, 5)
    assert (found.page, found.items, found.pages) == (1, [], 1)


def after(cursor: int):
    return lambda count: [row for row in ROWS if row > cursor][:count]


def test_keyset_page_says_more_follow():
    found = keyset_page(after(0), 3)
    assert found.items == [1, 2, 3] and found.more


def test_keyset_page_ending_exactly_at_the_last_row_has_no_more():
    found = keyset_page(after(4), 3)
    assert found.items == [5, 6, 7] and not found.more


def test_keyset_page_after_the_end_is_empty():
    found = keyset_page(after(7), 3)
    assert found.items == [] and not found.more


def test_keyset_page_asks_for_one_row_more_than_the_limit():
    asked: list[int] = []

    def fetch(count: int) -> list[int]:
        asked.append(count)
        return []

    keyset_page(fetch, 500)
    assert asked == [501]


def test_limits_start_at_one():
    with pytest.raises(ValueError):
        keyset_page(after(0), 0)
