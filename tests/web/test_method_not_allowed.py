"""A method a route does not have answers 405 with Allow, before CSRF, sessions or login are asked.

Every route of the app is tried with every method it lacks, anonymously and without a CSRF token:
a client learns what it may do instead of "the form expired" or "log in".
"""

from __future__ import annotations

import re

import pytest

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(params=["sqlite"])
def backend(request):  # routing does not depend on the database
    return request.param


def _sample_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule)


def test_every_missing_method_of_every_route_is_405_with_allow(app, client):
    adapter = app.url_map.bind("localhost")
    tried = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = _sample_path(rule.rule)
        allowed = set(adapter.allowed_methods(path))
        for method in METHODS:
            if method in allowed:
                continue
            response = client.open(path, method=method)
            tried += 1
            assert response.status_code == 405, (method, path, response.status_code)
            assert set(response.headers["Allow"].split(", ")) == allowed, (method, path)
            if path.startswith("/api/"):
                assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert tried > 50


def test_an_unknown_path_is_404_even_for_a_post_without_csrf(client):
    response = client.post("/api/no-such-thing", json={})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.post("/no-such-page").status_code == 404
