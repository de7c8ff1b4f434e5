"""The API's own rate limit: requests past it are refused with the error shape and a Retry-After
that says when the window ends, while answers within it carry no limit headers (web/security.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from services import users
from services.db import db
from services.models import User
from tests.conftest import build_app, release_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """This module's app (`make_user` builds on it): a limit small enough to reach."""
    application = build_app(tmp_path, "sqlite", api_rate_limit="3/minute")
    yield application
    release_app(application)


def bearer(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        _token, plain = users.create_token(db.session.get(User, user_id), "limit test")
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_past_the_limit_the_api_answers_429_with_when_to_retry(app, make_user):
    client, headers = app.test_client(), bearer(app, make_user("executive").id)
    answers = [client.get("/api/runs", headers=headers) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert not any(name.lower().startswith("x-ratelimit") for name, _ in answers[0].headers)


def test_the_limit_is_per_user_not_per_address(app, make_user):
    client = app.test_client()
    first, second = bearer(app, make_user("executive").id), bearer(app, make_user("member").id)
    assert [client.get("/api/runs", headers=first).status_code for _ in range(4)][-1] == 429
    assert client.get("/api/runs", headers=second).status_code == 200
