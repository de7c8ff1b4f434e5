"""Browser tests: one real Catalyst server (SQLite, offline provider) and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.browsing import CHROMIUM, CHROMIUM_ARGS, Session, open_session
from tests.support.server import CatalystServer, seed_database

ORG = "Acme"
USERS = {
    "admin": ("admin@example.com", "admin"),
    "executive": ("exec@example.com", "executive"),
    "member": ("member@example.com", "member"),
    "hacker": ("hacker@example.com", "executive"),
    "locked": ("locked@example.com", "member"),
    "promoted": ("promoted@example.com", "member"),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalystServer]:
    """`python app.py` on a free loopback port with a temporary SQLite database."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    tmp = tmp_path_factory.mktemp("browser")
    accounts = {name: (role, ORG) for name, (_email, role) in USERS.items()} | {"outsider": ("executive", "Globex")}
    emails = {name: email for name, (email, _role) in USERS.items()} | {"outsider": "outsider@example.com"}
    database, _accounts = seed_database(tmp, "sqlite", accounts, emails=emails)
    instance = CatalystServer(database, tmp, env={"OFFLINE_PACE_SECONDS": "0.15"}, name="browser")
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def session(browser: Browser, server: CatalystServer) -> Iterator[Callable[[str], Session]]:
    """Factory of browser sessions (one context each); all are closed after the test."""
    opened: list[Session] = []

    def factory(name: str) -> Session:
        opened.append(open_session(browser, server.base_url, name))
        return opened[-1]

    yield factory
    for item in opened:
        item.close()


def email_of(who: str) -> str:
    return USERS[who][0]
