"""Fixtures of the tests that drive the run service in this process (test_run_service.py and
test_approval_deadlines.py): the app's own service, executing each run inline, and an executive."""

from __future__ import annotations

import pytest

from services.holdings import holdings


@pytest.fixture
def service(app):
    """The app's run service with its scheduler executing inline: deterministic, no threads to wait on."""
    runs = holdings(app).runs
    runs.scheduler.spawn = lambda fn, *args: fn(*args)
    yield runs
    runs.stop()


@pytest.fixture
def executive(app, make_user):
    return make_user("executive")
