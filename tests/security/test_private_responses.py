"""Signed-in pages and JSON are never stored by browsers or proxies; bearer answers vary by token;
brief fields refuse invisible text-direction characters (issue 12 item 17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from services.holdings import holdings
from tests.conftest import PASSWORD, csrf_from
from tests.support.api import brief


def test_signed_in_pages_and_json_are_no_store(client, auth, make_user) -> None:
    auth.login(make_user("executive").email)
    for path in ("/dashboard", "/runs", "/api/me", "/api/runs"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    html = client.get("/dashboard").get_data(as_text=True)
    asset = html.split('src="', 1)[1].split('"', 1)[0]
    assert asset.startswith("/static/")
    assert "no-store" not in client.get(asset).headers.get("Cache-Control", "")  # assets stay cacheable


def test_back_after_logout_shows_nothing_cached(client, auth, make_user) -> None:
    auth.login(make_user("executive").email)
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"
    auth.logout()
    assert client.get("/dashboard").status_code in (302, 401)


def test_bearer_answers_vary_by_authorization(client, auth, make_user) -> None:
    auth.login(make_user("executive").email)
    csrf = csrf_from(client.get("/dashboard").get_data(as_text=True))
    token = client.post("/api/tokens", json={"name": "cache"}, headers={"X-CSRFToken": csrf}).get_json()["token"]
    auth.logout()
    response = client.application.test_client().get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "Authorization" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-store"


def test_bidi_controls_in_a_brief_are_refused_with_the_field(client, auth, make_user) -> None:
    auth.login(make_user("executive").email)
    csrf = csrf_from(client.get("/dashboard").get_data(as_text=True))
    for bad in (brief("Acme\u202egnp.exe"), {**brief(), "objectives": ["Launch \u2066now\u2069"]}):
        response = client.post("/api/runs", json=bad, headers={"X-CSRFToken": csrf})
        assert response.status_code == 422
        error = response.get_json()["error"]
        assert "text-direction" in str(error["details"])


def test_remember_me_lasts_a_session_lifetime_and_logout_clears_it(client, make_user) -> None:
    user = make_user("executive")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token,
                                           "remember": "1"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    hours = holdings(client.application).settings.session_lifetime_hours
    expires = parsedate_to_datetime(cookie.split("Expires=", 1)[1].split(";", 1)[0])
    assert expires <= datetime.now(UTC) + timedelta(hours=hours, minutes=5)  # not Flask-Login's year
    page = client.get("/dashboard").get_data(as_text=True)
    out = client.post("/logout", data={"csrf_token": csrf_from(page)})
    cleared = [c for c in out.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cleared and parsedate_to_datetime(cleared[0].split("Expires=", 1)[1].split(";", 1)[0]) < datetime.now(UTC)
