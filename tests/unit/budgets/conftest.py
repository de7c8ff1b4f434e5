"""Fixtures of the budget unit tests: an app per backend on the budgets' own databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from services.budgets import AILedger
from services.db import db
from services.holdings import holdings
from tests.unit.budgets.budget_support import Seed, budget_app, drop_schema, make_member


@pytest.fixture(scope="session", autouse=True)
def _drop_budget_schema() -> Iterator[None]:
    yield
    drop_schema()


@pytest.fixture(params=["sqlite", "postgres"])
def bapp(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    application = budget_app(tmp_path, request.param)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def admin(bapp: Flask) -> Seed:
    return make_member(bapp, "admin")


@pytest.fixture
def ledger(bapp: Flask) -> AILedger:
    with bapp.app_context():
        return holdings().ai_ledger()
