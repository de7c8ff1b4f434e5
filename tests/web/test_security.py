"""The security layer: CSP with nonces, CSRF on state changes, roles, cookies."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_from

PAGES_LOGGED_OUT = ["/login", "/does-not-exist"]
PAGES_ADMIN = ["/dashboard", "/admin/users"]


def csp_of(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def assert_scripts_carry_nonce_or_src(html: str, nonce: str) -> None:
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert f'nonce="{nonce}"' in tag or re.search(r'\ssrc="/', tag), tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler in page"
    assert not re.search(r'\sstyle\s*=\s*"', html), "inline style attribute in page"


@pytest.mark.parametrize("path", PAGES_LOGGED_OUT)
def test_csp_is_strict_on_public_pages(client, path):
    response = client.get(path)
    policy = csp_of(response)
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert policy["default-src"] == "default-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    assert f"'nonce-{nonce}'" in policy["style-src"]
    assert "ws://localhost" in policy["connect-src"]
    assert_scripts_carry_nonce_or_src(response.get_data(as_text=True), nonce)


def test_nonce_changes_per_request(client):
    first = csp_of(client.get("/login"))["script-src"]
    second = csp_of(client.get("/login"))["script-src"]
    assert first != second


@pytest.mark.parametrize("path", PAGES_ADMIN)
def test_pages_for_admin_have_no_inline_script(client, auth, make_user, path):
    admin = make_user("admin")
    auth.login(admin.email)
    response = client.get(path)
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", csp_of(response)["script-src"]).group(1)
    assert_scripts_carry_nonce_or_src(response.get_data(as_text=True), nonce)


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_post_without_csrf_token_is_refused(client, auth, make_user):
    admin = make_user("admin")
    auth.login(admin.email)
    response = client.post("/admin/users", data={"email": "new@example.com", "role": "member"})
    assert response.status_code == 400
    assert b"security token" in response.data
    page = client.get("/admin/users").get_data(as_text=True)
    assert "new@example.com" not in page


def test_json_post_without_csrf_header_is_refused_with_error_shape(client, auth, make_user):
    user = make_user("executive")
    auth.login(user.email)
    response = client.post("/api/tokens", json={"name": "ci"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    token = csrf_from(client.get("/dashboard").get_data(as_text=True))
    ok = client.post("/api/tokens", json={"name": "ci"}, headers={"X-CSRFToken": token})
    assert ok.status_code == 201


def test_login_form_without_csrf_is_refused(client, make_user):
    user = make_user("executive")
    response = client.post("/login", data={"email": user.email, "password": "x" * 20})
    assert response.status_code == 400


def test_bearer_token_needs_no_csrf_and_bad_token_is_401(client, auth, make_user):
    user = make_user("executive")
    auth.login(user.email)
    csrf = csrf_from(client.get("/dashboard").get_data(as_text=True))
    plain = client.post("/api/tokens", json={"name": "script"}, headers={"X-CSRFToken": csrf}).get_json()["token"]
    auth.logout()
    api = client.application.test_client()
    headers = {"Authorization": f"Bearer {plain}"}
    assert api.get("/api/me", headers=headers).get_json()["email"] == user.email
    assert api.post("/api/tokens", json={"name": "second"}, headers=headers).status_code == 201
    bad = api.get("/api/me", headers={"Authorization": "Bearer cat_nope"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "unauthorized"


def test_revoked_token_stops_working(client, auth, make_user):
    user = make_user("executive")
    auth.login(user.email)
    csrf = csrf_from(client.get("/dashboard").get_data(as_text=True))
    created = client.post("/api/tokens", json={"name": "t"}, headers={"X-CSRFToken": csrf}).get_json()
    assert client.delete(f"/api/tokens/{created['id']}", headers={"X-CSRFToken": csrf}).status_code == 204
    api = client.application.test_client()
    assert api.get("/api/me", headers={"Authorization": f"Bearer {created['token']}"}).status_code == 401


@pytest.mark.parametrize("role", ["member", "executive"])
def test_non_admins_cannot_reach_admin_pages(client, auth, make_user, role):
    user = make_user(role)
    auth.login(user.email)
    assert client.get("/admin/users").status_code == 403
    csrf = csrf_from(client.get("/dashboard").get_data(as_text=True))
    response = client.post("/admin/users", data={"email": "x@example.com", "role": "admin", "csrf_token": csrf})
    assert response.status_code == 403


def test_admin_cannot_touch_another_organisations_user(client, auth, make_user):
    admin = make_user("admin", org="Acme")
    stranger = make_user("member", org="Globex")
    auth.login(admin.email)
    csrf = csrf_from(client.get("/admin/users").get_data(as_text=True))
    response = client.post(f"/admin/users/{stranger.id}/role", data={"role": "admin", "csrf_token": csrf})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        ("https://app.example", "app.example", "https", True),
        ("https://app.example:443", "app.example", "https", True),
        ("https://app.example", "app.example:443", "https", True),
        ("http://app.example", "app.example", "https", False),
        ("https://evil.example", "app.example", "https", False),
        ("https://partner.example", "app.example", "https", True),
        ("null", "app.example", "https", False),
        (None, "app.example", "https", False),
    ],
)
def test_socket_origin_check(origin, host, scheme, allowed):
    from config.settings import load_settings
    from web.security import origin_allowed

    check = origin_allowed(load_settings(socketio_allowed_origins="https://partner.example"))
    assert check(origin, {"wsgi.url_scheme": scheme, "HTTP_HOST": host}) is allowed


def test_static_urls_are_content_versioned_and_cached(client):
    page = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
