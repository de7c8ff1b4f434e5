"""Fixtures of the budget integration tests (they share the unit tests' database helpers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.budgets.budget_support import drop_schema


@pytest.fixture(scope="session", autouse=True)
def _drop_budget_schema() -> Iterator[None]:
    yield
    drop_schema()
