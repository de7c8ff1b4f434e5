"""Anonymous visits create no server-side session until one is needed (issue 12 item 17).

Every page's layout mints a CSRF token, so each anonymous error page (or a bearer-token call that
renders a page) stored a session and set a cookie: a crawler could fill the session store. Now
probes, static files, public and error pages and bearer calls leave the store as it was; the login
page stores one for its form's token, and the login flow (GET /login, POST with CSRF) still works.
Both stores are checked: SQL (the embedded default) and Redis (a private server).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import text

from services import accounts, users
from services.db import db
from tests.conftest import PASSWORD, build_app, csrf_from
from tests.support.redis_server import PrivateRedis

COOKIE = "catalyst_session"
REPEAT = 3
ANONYMOUS_PATHS = (
    "/",
    "/health",
    "/health/ready",
    "/static/css/app.css",
    "/api/openapi.json",
    "/no-such-page",  # an HTML error page: its layout mints a CSRF token
    "/api/no-such-thing",
    "/dashboard",  # redirects to the login page
    "/runs/123",
    "/api/me",
    "/metrics",
)
BEARER_PATHS = ("/api/me", "/api/runs", "/api/agents", "/dashboard", "/runs", "/no-such-page")


@pytest.fixture(params=["sql", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, Callable[[], set[str]]]]:
    """An app and a function listing the session ids its store holds."""
    if request.param == "sql":
        app = build_app(tmp_path, "sqlite")

        def stored() -> set[str]:
            with app.app_context():
                return set(db.session.execute(text("select id from sessions")).scalars())

        yield app, stored
    else:
        private = PrivateRedis(tmp_path).start()
        app = build_app(tmp_path, "sqlite", redis_url=private.url)
        client = redis.Redis.from_url(private.url)

        def stored() -> set[str]:
            return {key.decode() for key in client.scan_iter("session:*")}

        try:
            yield app, stored
        finally:
            private.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _bearer_token(app: Flask) -> str:
    with app.app_context():
        user = accounts.create_user(
            email="api@example.com", role="executive", org_name="Acme", password=PASSWORD
        ).user
        return users.create_token(user, "anonymous-sessions")[1]


def _session_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{COOKIE}=")]


def test_anonymous_pages_and_bearer_calls_store_no_session(store) -> None:
    app, stored = store
    token = _bearer_token(app)
    before = stored()
    for _ in range(REPEAT):
        for path in ANONYMOUS_PATHS:
            response = app.test_client().get(path)
            assert response.status_code < 500, (path, response.status_code)
            assert not _session_cookies(response), path
        for path in BEARER_PATHS:
            response = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (path, response.status_code)
            assert not _session_cookies(response), path
            if path.startswith("/api/me"):
                assert response.status_code == 200
                assert "Authorization" in response.headers["Vary"]
                assert response.headers["Cache-Control"] == "no-store"
    assert stored() == before


def test_login_page_stores_a_session_for_its_form_and_login_works(store) -> None:
    app, stored = store
    with app.app_context():
        email = accounts.create_user(
            email="exec@example.com", role="executive", org_name="Acme", password=PASSWORD
        ).user.email
    client = app.test_client()
    before = stored()

    page = client.get("/login")
    assert page.status_code == 200
    assert _session_cookies(page)  # the form's CSRF token lives in this session
    (anonymous,) = stored() - before

    token = csrf_from(page.get_data(as_text=True))
    form = {"email": email, "password": "not the password", "csrf_token": token}
    wrong = client.post("/login", data=form)
    assert wrong.status_code == 401
    retry = csrf_from(wrong.get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": retry})
    assert response.status_code == 302, response.status_code

    (signed_in,) = stored() - before  # a fresh id at login; the anonymous record is gone
    assert signed_in != anonymous
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    assert dashboard.headers["Cache-Control"] == "no-store"
    assert client.get("/api/me").get_json()["email"] == email
    assert stored() - before == {signed_in}
