"""Shared fixtures: an app on SQLite and on PostgreSQL, a client, users and a login helper."""

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from config.settings import load_settings
from services import accounts
from services.db import db
from services.models import User
from tests.support import sharding
from tests.support.databases import fresh_postgres, fresh_sqlite
from tests.support.isolation import pg_database, pg_url, redis_url

# The web tests get a fresh database each (tests/support/databases.py); the engine tests share
# `catalyst_test` by thread id. Names and indexes depend on the run and worker (isolation.py).
PG_DB = pg_database("catalyst_test_app")
PG_URL = os.environ.get("TEST_DATABASE_URL", pg_url("catalyst_test_app"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", redis_url(15))
PASSWORD = "correct horse battery staple"
BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(autouse=True)
def _fresh_structured_output_negotiation() -> Iterator[None]:
    """`auto` remembers per (base URL, model) what a server took; a later fake may reuse a port."""
    from services.llm.providers.openai import forget_learned_modes

    forget_learned_modes()
    yield
    forget_learned_modes()


@pytest.fixture(autouse=True)
def _no_notification_consumer_outlives_its_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A consumer left running keeps sweeping: on PostgreSQL, where the next test gets the same
    database emptied (and its ids restarted), it would claim that test's deliveries with its own
    settings. Whatever a test starts must be stopped by the test; this stops it and says so."""
    from services.notifications.consumer import NotificationConsumer

    started: list[NotificationConsumer] = []
    original = NotificationConsumer.start

    def start(consumer: NotificationConsumer) -> bool:
        started.append(consumer)
        return original(consumer)

    monkeypatch.setattr(NotificationConsumer, "start", start)
    yield
    leaked = [consumer for consumer in started if consumer.running]
    stopped = [consumer.stop() for consumer in leaked]
    assert not leaked, f"{len(leaked)} notification consumer(s) still running after the test (stopped now: {stopped})"


@pytest.fixture(scope="session")
def llama_base_url() -> Iterator[str]:
    """llama.cpp's real server with SmolLM2 (alias `smollm2`), once a session, started on first use."""
    from tests.support.llama_server import running_llama_server

    with running_llama_server() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test database's URL (each app gets it fresh, see `build_app`)."""
    return PG_URL


def build_app(tmp_path: Path, backend: str, postgres_url: str | None = None, **overrides: object) -> Flask:
    """A test app on a fresh database migrated to heads (a copy of a template: support/databases.py)."""
    if backend == "postgres":
        database_url = fresh_postgres(postgres_url or PG_URL)
    else:
        database_url = fresh_sqlite(tmp_path / "test.db")
    settings = load_settings(
        app_env="test",
        instance_path=tmp_path / "instance",
        database_url=database_url,
        log_level="WARNING",
        **overrides,
    )
    return create_app(settings)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def app(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    pg = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    application = build_app(tmp_path, backend, pg)
    # No app context stays pushed: requests must not share `g` (and its cached user) with the test.
    yield application
    release_app(application)


def release_app(app: Flask) -> None:
    """Give back what a test app holds on the shared servers: the checkpointer's PostgreSQL pool
    (opened by the first run, with a connection and threads of its own), the session, the engine."""
    from services.holdings import holdings

    service = holdings(app).runs
    if service is not None:
        service.executor.close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass(frozen=True)
class TestUser:
    id: int
    email: str
    org_id: int
    role: str


@pytest.fixture
def make_user(app: Flask):
    def factory(role: str = "executive", org: str = "Acme", email: str | None = None) -> TestUser:
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        with app.app_context():
            user = accounts.create_user(email=email, role=role, org_name=org, password=PASSWORD).user
            return TestUser(user.id, user.email, user.org_id, role)

    return factory


def with_user(app: Flask, user_id: int, fn):
    """Run a service call on a fresh copy of the user inside an app context."""
    with app.app_context():
        return fn(db.session.get(User, user_id))


_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_from(html: str) -> str:
    match = _CSRF_META.search(html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


class Auth:
    """Logs a test client in through the real login form."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def csrf(self, path: str = "/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, email: str, password: str = PASSWORD, **extra: str):
        token = self.csrf("/login")
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token, **extra})

    def logout(self):
        token = self.csrf("/dashboard")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


def db_count(table: str) -> int:
    return db.session.execute(text(f"select count(*) from {table}")).scalar_one()  # noqa: S608 - test helper


def pytest_addoption(parser: pytest.Parser) -> None:
    sharding.add_option(parser)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    sharding.select(config, items)
