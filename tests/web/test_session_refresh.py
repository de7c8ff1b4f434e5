"""An unchanged session slides its expiry at most once a minute, not on every page view.

Flask-Session writes a permanent session back on every request to move its expiry; that made each
page view a write to the session store. Now a signed-in user's next views within the minute write
nothing, a changed session is written at once, and a session last slid over a minute ago is slid
(its expiry moves) on the next view.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from services.db import db
from services.models import SessionRecord
from web.sessions import REFRESH_AFTER_SECONDS, REFRESHED_KEY


@contextmanager
def session_writes(app) -> Iterator[list[str]]:
    """The statements that write the session table while the block runs."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        text = " ".join(statement.lower().split())
        if text.startswith("delete from sessions where sessions.expires_at <="):
            return  # Flask-Session's sweep of expired sessions, on about one request in 500 at random
        if text.startswith(("update sessions", "insert into sessions", "delete from sessions")):
            seen.append(text.split()[0])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def stored_expiry(app):
    with app.app_context():
        return db.session.scalars(select(SessionRecord.expires_at)).one()


def test_views_within_the_minute_write_nothing_and_a_changed_session_is_written(app, client, auth, make_user):
    user = make_user("executive")
    assert auth.login(user.email).status_code == 302
    client.get("/dashboard")  # shows (and so takes out of the session) what the login flashed
    with session_writes(app) as writes:
        for path in ("/dashboard", "/runs", "/dashboard"):
            assert client.get(path).status_code == 200
    assert writes == [], "unchanged views slid the expiry again within the minute"
    with session_writes(app) as writes:
        auth.logout()
    assert writes, "logging out (a changed session) must reach the store"


def test_a_session_slid_over_a_minute_ago_is_slid_again(app, client, auth, make_user):
    user = make_user("executive")
    auth.login(user.email)
    with client.session_transaction() as session:
        session[REFRESHED_KEY] = 0  # as if last slid long ago
    before = stored_expiry(app)
    with session_writes(app) as writes:
        assert client.get("/dashboard").status_code == 200
    assert writes == ["update"]
    assert stored_expiry(app) > before
    with client.session_transaction() as session:
        assert session[REFRESHED_KEY] > REFRESH_AFTER_SECONDS
