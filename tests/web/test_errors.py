"""Errors: one JSON shape under /api/, friendly pages elsewhere, never a 500 for user input."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from


@pytest.fixture
def api_session(client, auth, make_user):
    user = make_user("executive")
    auth.login(user.email)
    csrf = csrf_from(client.get("/dashboard").get_data(as_text=True))
    return client, {"X-CSRFToken": csrf}


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert "Traceback" not in response.get_data(as_text=True)
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_unauthenticated_api_is_401(client):
    assert_error_shape(client.get("/api/me"), 401, "unauthorized")


def test_unknown_api_path_is_404(api_session):
    client, _ = api_session
    assert_error_shape(client.get("/api/nothing-here"), 404, "not_found")


def test_wrong_method_is_405(api_session):
    client, headers = api_session
    assert_error_shape(client.put("/api/me", headers=headers), 405, "method_not_allowed")


def test_bad_json_is_400(api_session):
    client, headers = api_session
    response = client.post("/api/tokens", data="{not json", content_type="application/json", headers=headers)
    assert_error_shape(response, 400, "invalid_json")


@pytest.mark.parametrize("body", [[1, 2], "text", 5, {"name": 7}, {"name": ""}, {"name": "x" * 81}, {"other": 1}])
def test_wrong_types_are_422_with_details(api_session, body):
    client, headers = api_session
    error = assert_error_shape(client.post("/api/tokens", json=body, headers=headers), 422, "validation_failed")
    assert error["details"] and all({"field", "message"} <= set(d) for d in error["details"])


def test_not_json_content_type_is_415(api_session):
    client, headers = api_session
    assert_error_shape(client.post("/api/tokens", data="name=x", headers=headers), 415)


def test_oversized_body_is_413(api_session):
    client, headers = api_session
    huge = {"name": "x" * (300 * 1024)}
    assert_error_shape(client.post("/api/tokens", json=huge, headers=headers), 413, "payload_too_large")


def test_html_pages_get_friendly_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_request_id_header_and_passthrough(client):
    assert len(client.get("/health").headers["X-Request-ID"]) >= 8
    assert client.get("/health", headers={"X-Request-ID": "trace-12345678"}).headers["X-Request-ID"] == "trace-12345678"
    forged = client.get("/health", headers={"X-Request-ID": "bad id<script>"}).headers["X-Request-ID"]
    assert "<" not in forged and forged != "bad id<script>"


def test_readiness_ok_without_redis(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.get_json()["checks"]["database"]["status"] == "ok"
