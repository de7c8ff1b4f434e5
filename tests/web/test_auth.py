"""Logging in and out: session rotation, throttling, deactivation, no user enumeration."""

from __future__ import annotations

from services import accounts
from tests.conftest import PASSWORD, with_user


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("catalyst_session")
    return cookie.value if cookie else None


def test_login_page_renders(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert b'name="csrf_token"' in page.data


def test_login_rotates_session_id(client, auth, make_user):
    user = make_user("executive")
    client.get("/login")
    before = session_cookie(client)
    assert before
    response = auth.login(user.email)
    assert response.status_code == 302
    after = session_cookie(client)
    assert after and after != before
    assert client.get("/dashboard").status_code == 200


def test_wrong_password_and_unknown_email_answer_alike(client, auth, make_user):
    user = make_user("executive")
    wrong = auth.login(user.email, "not the password at all")
    unknown = auth.login("nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    message = b"That email and password do not match an active account."
    assert message in wrong.data and message in unknown.data


def test_login_throttled_with_retry_after(client, auth, make_user):
    user = make_user("executive")
    for _ in range(5):
        assert auth.login(user.email, "wrong password here").status_code == 401
    locked = auth.login(user.email, PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert b"Too many failed attempts" in locked.data


def test_login_throttled_per_ip_across_accounts(app, client, auth):
    for n in range(20):
        auth.login(f"user{n}@example.com", "wrong password here")
    assert auth.login("another@example.com", "wrong password here").status_code == 429


def test_deactivated_user_session_is_rejected(app, client, auth, make_user):
    user = make_user("executive")
    auth.login(user.email)
    assert client.get("/dashboard").status_code == 200
    with_user(app, user.id, lambda u: accounts.set_active(u, False))
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert auth.login(user.email).status_code == 401


def test_logout_everywhere_kills_remember_cookie(app, auth, make_user):
    user = make_user("executive")
    other_device = app.test_client()
    from tests.conftest import Auth

    Auth(other_device).login(user.email, remember="1")
    assert other_device.get_cookie("remember_token") is not None
    auth.login(user.email)
    token = auth.csrf("/dashboard")
    assert auth.client.post("/logout-everywhere", data={"csrf_token": token}).status_code == 302
    # The other device loses both its session and its remember cookie.
    other_device.delete_cookie("catalyst_session")
    assert other_device.get("/dashboard").status_code == 302


def test_logout_requires_post_with_csrf(client, auth, make_user):
    user = make_user("member")
    auth.login(user.email)
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_open_redirect_refused(client, auth, make_user):
    user = make_user("member")
    response = auth.login(user.email, next="https://evil.example/")
    assert response.headers["Location"].endswith("/dashboard")
