"""Real Catalyst server processes for integration tests: `python app.py` on a free loopback port.

    db = prepare_database(tmp_path, "sqlite")            # or a PostgreSQL URL
    create_user(db, "exec@example.com", "executive", org="Acme")
    with CatalystServer(db, tmp_path, env={"OFFLINE_PACE_SECONDS": "0.02"}) as server:
        session = server.login("exec@example.com")
        run = session.post_json("/api/runs", brief).json()

Each server writes its log to a file (shown when it fails to start). `kill()` is SIGKILL, for
crash tests; `restart()` starts a new process on the same port and database.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import requests

from tests.support.isolation import pg_database

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET_KEY = "integration-test-secret-key-that-is-long-enough-0123456789"
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Database:
    """Where the servers of one test keep their data."""

    url: str
    instance_path: Path

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url, "INSTANCE_PATH": str(self.instance_path)}


def base_env(database: Database, **extra: str) -> dict[str, str]:
    """The environment of a test server: clean of pytest's variables, so it behaves as in production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        APP_ENV="test",
        SECRET_KEY=SECRET_KEY,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO_ROOT),
        PYTHONUNBUFFERED="1",
        **database.env(),
    )
    env.update(extra)
    return env


def reset_postgres_database(name: str) -> str:
    """A fresh, empty PostgreSQL database (created when missing, its schema emptied otherwise)."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("drop schema if exists public cascade")
        conn.execute("create schema public")
    return url


def prepare_database(tmp_path: Path, backend: str, pg_name: str = pg_database("catalyst_test_live")) -> Database:
    """Migrate a fresh database with the CLI (`flask --app app setup`)."""
    instance = tmp_path / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp_path / 'live.db'}" if backend == "sqlite" else reset_postgres_database(pg_name)
    database = Database(url, instance)
    flask_cli(database, "setup")
    return database


def flask_cli(database: Database, *args: str) -> str:
    """Run `flask --app app ...` against the database; returns its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=REPO_ROOT,
        env=base_env(database),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def create_user(
    database: Database, email: str, role: str, org: str = "Acme", password: str = PASSWORD
) -> None:
    flask_cli(
        database, "users", "create", "--email", email, "--role", role, "--org", org, "--password", password
    )


def create_token(database: Database, email: str) -> str:
    output = flask_cli(database, "tokens", "create", "--email", email, "--name", "integration")
    return output.strip().splitlines()[-1]


class Client(requests.Session):
    """A logged-in HTTP session that sends the CSRF token with JSON requests."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.csrf = ""

    def url(self, path: str) -> str:
        return self.base_url + path

    def login(self, email: str, password: str = PASSWORD) -> Client:
        page = self.get(self.url("/login"), timeout=10)
        token = _CSRF_META.search(page.text).group(1)
        response = self.post(
            self.url("/login"),
            data={"email": email, "password": password, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, f"login failed: {response.status_code}"
        dashboard = self.get(self.url("/dashboard"), timeout=10)
        self.csrf = _CSRF_META.search(dashboard.text).group(1)
        return self

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)

    def post_json(self, path: str, body: Any = None) -> requests.Response:
        payload = body if body is not None else {}
        return self.post(self.url(path), json=payload, headers={"X-CSRFToken": self.csrf}, timeout=15)

    def get_json(self, path: str) -> Any:
        response = self.get(self.url(path), timeout=15)
        response.raise_for_status()
        return response.json()


class CatalystServer:
    """`python app.py` as a child process."""

    def __init__(
        self,
        database: Database,
        log_dir: Path,
        *,
        env: dict[str, str] | None = None,
        port: int | None = None,
        name: str = "server",
    ) -> None:
        self.database = database
        self.port = port or free_port()
        self.log_path = log_dir / f"{name}-{self.port}.log"
        self.extra_env = env or {}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> CatalystServer:
        env = base_env(self.database, HOST="127.0.0.1", PORT=str(self.port), **self.extra_env)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "app.py"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.output()}")
            try:
                if requests.get(self.base_url + "/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer on {self.base_url}:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart(self) -> CatalystServer:
        self.stop()
        return self.start()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self) -> Client:
        return Client(self.base_url)

    def login(self, email: str, password: str = PASSWORD) -> Client:
        return self.client().login(email, password)

    def __enter__(self) -> CatalystServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def example_brief(name: str = "Acme", budget: str = "5000", **extra: Any) -> dict[str, Any]:
    """The reference brief; a budget of 5000 completes without an approval pause offline."""
    return {
        "company": {"name": name, "industry": "Technology", "location": "Austin, TX"},
        "objectives": ["Launch product"],
        "budget_usd": budget,
        "timeline_days": 90,
        **extra,
    }


@dataclass(frozen=True)
class Account:
    email: str
    role: str
    org: str
    id: int
    token: str


def seed_database(
    tmp_path: Path, backend: str, accounts: dict[str, tuple[str, str]], pg_name: str = pg_database("catalyst_test_live"),
    emails: dict[str, str] | None = None,
) -> tuple[Database, dict[str, Account]]:
    """Migrate a fresh database and create accounts in-process (faster than one CLI call each:
    the browser tests' eight calls took 22 s of their set-up).

    `accounts` maps a short name to (role, organisation); every account gets an API token and the
    email `emails[name]`, or `name@organisation.example.com`.
    """
    url = f"sqlite:///{tmp_path / 'live.db'}" if backend == "sqlite" else reset_postgres_database(pg_name)
    return seed_at(url, tmp_path, accounts, emails)


def seed_at(
    url: str, tmp_path: Path, accounts: dict[str, tuple[str, str]], emails: dict[str, str] | None = None
) -> tuple[Database, dict[str, Account]]:
    """Migrate the empty database at `url` and create the accounts (see `seed_database`)."""
    from flask_migrate import upgrade

    from app import create_app
    from config.settings import load_settings
    from services import accounts as accounts_service
    from services import users as users_service
    from services.db import db

    instance = tmp_path / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    database = Database(url, instance)
    settings = load_settings(
        app_env="test", database_url=url, instance_path=instance, secret_key=SECRET_KEY, log_level="WARNING"
    )
    app = create_app(settings)
    created: dict[str, Account] = {}
    with app.app_context():
        upgrade(revision="heads")
        for name, (role, org) in accounts.items():
            email = (emails or {}).get(name) or f"{name}@{org.lower()}.example.com"
            user = accounts_service.create_user(email=email, role=role, org_name=org, password=PASSWORD).user
            _token, plain = users_service.create_token(user, "integration")
            created[name] = Account(email, role, org, user.id, plain)
        db.session.remove()
        db.engine.dispose()
    return database, created
