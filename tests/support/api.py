"""Helpers for API tests on the Flask test client: a logged-in JSON client and run execution."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from services.holdings import holdings
from tests.conftest import Auth


class JsonClient:
    """A test client logged in through the real form, sending the page's CSRF token as a header."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self.csrf = ""

    def login(self, email: str) -> JsonClient:
        auth = Auth(self.client)
        response = auth.login(email)
        assert response.status_code == 302, response.status_code
        self.csrf = auth.csrf("/dashboard")
        return self

    def get(self, path: str, **kwargs: Any):
        return self.client.get(path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any):
        headers = {"X-CSRFToken": self.csrf, **kwargs.pop("headers", {})}
        if "data" in kwargs:
            return self.client.post(path, headers=headers, **kwargs)
        return self.client.post(path, json={} if body is None else body, headers=headers, **kwargs)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, json=body, headers={"X-CSRFToken": self.csrf})


def execute_queued(app: Flask) -> list[str]:
    """Run every queued run to its end (or pause) in the test's own greenlet."""
    with app.app_context():
        return holdings(app).runs.scheduler.drain()


def brief(name: str = "Acme", budget: str = "5000", **extra: Any) -> dict[str, Any]:
    """The reference brief: completes without approval offline; a budget of 1000 pauses for one."""
    return {
        "company": {"name": name, "industry": "Technology", "location": "Austin, TX"},
        "objectives": ["Launch product"],
        "budget_usd": budget,
        "timeline_days": 90,
        **extra,
    }
