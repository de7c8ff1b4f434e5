"""Inputs that answered 500: a control character in `next`, a malformed Referer with a valid token,
deeply nested JSON, a 4,301-digit number in the budget form and raw non-UTF-8 bytes in a query
string. Each gets a clear answer, and nothing the user typed is lost."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_from


def test_a_control_character_in_next_falls_back_to_the_dashboard(client, make_user) -> None:
    user = make_user("executive")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token,
                                           "next": "/\r//evil.com"})
    assert response.status_code == 302
    assert "evil.com" not in response.headers["Location"]


@pytest.mark.parametrize("referer", ["http://[::1", "https://", "\x00garbage", "https://exa mple.com/x"])
def test_a_malformed_referer_with_a_valid_token_is_refused_not_500(client, auth, make_user, referer) -> None:
    auth.login(make_user("executive").email)
    page = client.get("/dashboard", base_url="https://localhost")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/api/tokens", json={"name": "laptop"}, base_url="https://localhost",
                           headers={"X-CSRFToken": token, "Referer": referer})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_deeply_nested_json_is_a_clear_error(client, auth, make_user) -> None:
    auth.login(make_user("executive").email)
    token = csrf_from(client.get("/dashboard").get_data(as_text=True))
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/runs", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_a_huge_number_in_the_thresholds_re_renders_the_form(client, auth, make_user) -> None:
    auth.login(make_user("admin").email)
    page = client.get("/admin/budgets").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "thresholds": "5" * 4301, "monthly_ai_cap_usd": "250.75"}
    response = client.post("/admin/budgets", data=form)
    assert response.status_code in (400, 422), response.status_code
    html = response.get_data(as_text=True)
    assert "whole percents" in html and "250.75" in html


def test_raw_non_utf8_bytes_in_a_query_string_are_not_a_500(client, auth, make_user) -> None:
    auth.login(make_user("executive").email)
    for path in ("/runs", "/api/runs", "/login"):
        # WSGI carries the raw bytes as latin-1 text; percent-escapes and bare bytes alike.
        response = client.get(path, environ_overrides={"QUERY_STRING": "q=%ff%fe&status=\xff\xfe&page=\xff"})
        assert response.status_code < 500, (path, response.status_code)
