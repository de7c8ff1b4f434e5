""""Remember me" cookies rotate on every use: a stolen copy replayed afterwards is refused, and
logging out ends every remembered device of the user (issue 12, finding 7)."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import Auth

REMEMBER = "remember_token"
SESSION = "catalyst_session"


def remembered_client(app, email: str) -> FlaskClient:
    device = app.test_client()
    assert Auth(device).login(email, remember="1").status_code == 302
    assert device.get_cookie(REMEMBER) is not None
    return device


def with_cookie(app, value: str) -> FlaskClient:
    """A browser that has nothing but this remember cookie (the attacker's, say)."""
    other = app.test_client()
    other.set_cookie(REMEMBER, value)
    return other


def test_each_use_rotates_the_cookie_and_a_replay_of_the_old_one_is_refused(app, make_user):
    user = make_user("executive")
    owner = remembered_client(app, user.email)
    stolen = owner.get_cookie(REMEMBER).value
    owner.delete_cookie(SESSION)  # the session expired; the cookie brings the owner back
    assert owner.get("/dashboard").status_code == 200
    rotated = owner.get_cookie(REMEMBER).value
    assert rotated != stolen
    # The thief replays the copy taken before the owner's visit: refused.
    thief = with_cookie(app, stolen)
    response = thief.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # The owner's new cookie keeps working, and rotates again.
    owner.delete_cookie(SESSION)
    assert owner.get("/dashboard").status_code == 200
    assert owner.get_cookie(REMEMBER).value not in (stolen, rotated)


def test_a_cookie_restores_once_even_in_two_browsers(app, make_user):
    user = make_user("executive")
    value = remembered_client(app, user.email).get_cookie(REMEMBER).value
    first, second = with_cookie(app, value), with_cookie(app, value)
    assert first.get("/dashboard").status_code == 200
    assert second.get("/dashboard").status_code == 302


def test_restoring_from_the_cookie_starts_a_fresh_session_id(app, make_user):
    user = make_user("executive")
    owner = remembered_client(app, user.email)
    remember = owner.get_cookie(REMEMBER).value
    owner.delete_cookie(SESSION)
    owner.delete_cookie(REMEMBER)
    owner.get("/login")  # an anonymous session id, as one planted by an attacker would be
    planted = owner.get_cookie(SESSION).value
    owner.set_cookie(REMEMBER, remember)
    assert owner.get("/login").status_code == 302  # restored: already logged in
    assert owner.get_cookie(SESSION).value != planted


def test_logout_ends_every_remembered_device_of_the_user(app, make_user):
    user = make_user("executive")
    laptop, phone = remembered_client(app, user.email), remembered_client(app, user.email)
    phone_cookie = phone.get_cookie(REMEMBER).value
    assert Auth(laptop).logout().status_code == 302
    phone.delete_cookie(SESSION)
    assert phone.get("/dashboard").status_code == 302
    assert with_cookie(app, phone_cookie).get("/dashboard").status_code == 302


def test_an_expired_remember_token_is_refused_and_its_cookie_dropped(app, make_user):
    from datetime import timedelta

    from services.db import db, utcnow
    from services.models import RememberToken

    user = make_user("executive")
    device = remembered_client(app, user.email)
    with app.app_context():
        for row in db.session.query(RememberToken).filter_by(user_id=user.id):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    device.delete_cookie(SESSION)
    response = device.get("/dashboard")
    assert response.status_code == 302
    assert device.get_cookie(REMEMBER) is None


def test_the_cookie_holds_no_session_identity(app, make_user):
    """The cookie is a random per-device token, not the user id and session version."""
    user = make_user("executive")
    value = remembered_client(app, user.email).get_cookie(REMEMBER).value
    assert not value.startswith(f"{user.id}:")


def test_a_socket_connect_does_not_spend_the_cookie(app, make_user):
    """A Socket.IO handshake cannot set the rotated cookie, so it must not use the token up."""
    from web.extensions import socketio

    user = make_user("executive")
    value = remembered_client(app, user.email).get_cookie(REMEMBER).value
    browser = with_cookie(app, value)
    sock = socketio.test_client(app, flask_test_client=browser)
    assert not sock.is_connected()  # no session: the page load restores it first, then the socket
    assert browser.get("/dashboard").status_code == 200
