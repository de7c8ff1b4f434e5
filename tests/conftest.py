"""Shared fixtures: an app on SQLite and on PostgreSQL, a client, users and a login helper."""

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from config.settings import load_settings
from services import users as accounts
from services.db import db
from services.models import User

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# The web tests reset their own database; the engine tests share `catalyst_test` by thread id.
PG_DB = "catalyst_test_app"
PG_URL = os.environ.get("TEST_DATABASE_URL", f"postgresql://postgres@127.0.0.1:5432/{PG_DB}")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "correct horse battery staple"
BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(autouse=True)
def _fresh_structured_output_negotiation() -> Iterator[None]:
    """`auto` remembers per (base URL, model) what a server took; a later fake may reuse a port."""
    from services.llm.providers.openai import forget_learned_modes

    forget_learned_modes()
    yield
    forget_learned_modes()


@pytest.fixture(scope="session")
def llama_base_url() -> Iterator[str]:
    """llama.cpp's real server with SmolLM2 (alias `smollm2`), once a session, started on first use."""
    from tests.support.llama_server import running_llama_server

    with running_llama_server() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test database, created when missing."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (PG_DB,)).fetchone():
            conn.execute(f"create database {PG_DB}")
    return PG_URL


def reset_postgres(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("drop schema if exists public cascade")
        conn.execute("create schema public")


def build_app(tmp_path: Path, backend: str, postgres_url: str | None = None, **overrides: object) -> Flask:
    """A test app whose schema comes from the real migrations."""
    database_url = f"sqlite:///{tmp_path / 'test.db'}" if backend == "sqlite" else postgres_url
    if backend == "postgres":
        reset_postgres(postgres_url)
    settings = load_settings(
        app_env="test",
        instance_path=tmp_path / "instance",
        database_url=database_url,
        log_level="WARNING",
        **overrides,
    )
    app = create_app(settings)
    with app.app_context():
        upgrade(revision="heads")
    return app


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def app(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    pg = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    application = build_app(tmp_path, backend, pg)
    # No app context stays pushed: requests must not share `g` (and its cached user) with the test.
    yield application
    with application.app_context():
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
