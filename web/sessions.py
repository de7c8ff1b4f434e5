"""Server-side sessions: Redis when configured, the SQL database otherwise.

Both build on Flask-Session's server-side interface (session ids, rotation, serialisation). The SQL
store is ours so that its table comes from our migrations and its writes use their own connection,
never committing a view's unfinished work. The Redis store survives a Redis outage: a session that
cannot be read starts empty (the user logs in again) and a failed write is logged, never a 500.

A visit creates no stored session until one is needed (a login, a flash message, the CSRF token of
a form an anonymous visitor can send): probes, static files, error pages and bearer-token calls
leave no record and set no cookie. An unchanged session is written again only to slide its
expiry, at most once a minute. The SQL store never holds two pooled connections for one
request: it writes after the view's connection went back to the pool (issue 12 items 5 and 17).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, timedelta

import redis
from flask import Flask, Request, Response, g, request
from flask.sessions import SessionMixin
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import SQLAlchemyError

from services.db import db, utcnow
from services.models import SessionRecord
from services.storage_errors import reason as storage_reason

log = logging.getLogger(__name__)

# When an unchanged session's expiry was last slid forward (unix seconds), and how often it is.
REFRESHED_KEY = "_refreshed"
REFRESH_AFTER_SECONDS = 60


class StoredWhenNeeded:
    """Mixin for a server-side interface: a new session is stored (and its cookie set) only when needed.

    A session opened from the store is never empty (empty ones are deleted), so "new" is "opened
    empty". Flask-Session stores any non-empty session, and every page's layout mints a CSRF token,
    so each anonymous error page used to leave a record behind; Flask-Login's `_fresh` flag adds
    nothing without a user. A token is worth a record only on a page whose form anonymous visitors
    send (`form_endpoints`, the login page); pages for signed-in users have a session already.
    """

    form_endpoints: frozenset[str] = frozenset()
    _IDLE_KEYS = frozenset({"_permanent", "_fresh", REFRESHED_KEY})

    def should_set_storage(self, app: Flask, session: ServerSideSession) -> bool:
        """A changed session is written; an unchanged one only to slide its expiry, at most once a
        minute: refreshing on every request made each page view a write (the dashboard's one
        UPDATE), which on SQLite also queues every request behind the one write lock."""
        if not super().should_set_storage(app, session):  # type: ignore[misc]
            return False
        now = int(time.time())
        if not session.modified and now - int(session.get(REFRESHED_KEY, 0)) < REFRESH_AFTER_SECONDS:
            return False
        session[REFRESHED_KEY] = now
        return True

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        session = super().open_session(app, request)
        if isinstance(session, ServerSideSession):
            session.new = not session
        return session

    def save_session(self, app: Flask, session: ServerSideSession, response: Response) -> None:
        if getattr(session, "new", False) and not self._needed(app, session):
            if session.accessed:  # the page still depended on there being no session
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

    def _needed(self, app: Flask, session: ServerSideSession) -> bool:
        keys = set(session) - self._IDLE_KEYS
        csrf_key = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        if keys - {csrf_key}:
            return True
        return bool(keys) and request.endpoint in self.form_endpoints


class ResilientRedisSessionInterface(StoredWhenNeeded, RedisSessionInterface):
    def _retrieve_session_data(self, store_id: str) -> dict | None:
        try:
            return super()._retrieve_session_data(store_id)
        except redis.RedisError as exc:
            log.warning("session store unavailable on read", extra={"error": str(exc)})
            return None

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession, store_id: str) -> None:
        try:
            super()._upsert_session(session_lifetime, session, store_id)
        except redis.RedisError as exc:
            log.warning("session store unavailable on write", extra={"error": str(exc)})

    def _delete_session(self, store_id: str) -> None:
        try:
            super()._delete_session(store_id)
        except redis.RedisError as exc:
            log.warning("session store unavailable on delete", extra={"error": str(exc)})


# Built once: every request with a session cookie reads its record.
_SESSION_RECORD = select(SessionRecord.data, SessionRecord.expires_at).where(SessionRecord.id == bindparam("store_id"))


class SqlSessionInterface(StoredWhenNeeded, ServerSideSessionInterface):
    """Sessions as rows of `sessions`; expired rows are swept every few hundred requests.

    One pooled connection per request at a time: the session is read before the view takes its
    connection and written after that connection went back. Writing while the view still held
    one made each request need two, and a burst of requests filled the pool with requests waiting
    for their second (issue 12 item 5: 37 of 40 answered 500 after the pool timeout).
    """

    session_class = ServerSideSession
    ttl = False

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """With the database down, a null session (nothing saved, the cookie kept) and a flag the
        error layer answers 503 for: raising here happens before Flask's error handlers apply, and
        an empty session would replace the user's cookie, logging them out after the outage."""
        try:
            return super().open_session(app, request)
        except SQLAlchemyError as exc:
            found = storage_reason(exc)
            if found is None:
                raise
            g.session_storage_unavailable = found
            return self.make_null_session(app)

    def regenerate(self, session: ServerSideSession) -> None:
        """A new id now; the old record is deleted when the session is saved, after the view's
        connection went back to the pool (a view calls this while it may still hold one)."""
        if session:
            retired = getattr(session, "retired_store_ids", [])
            session.retired_store_ids = [*retired, self._get_store_id(session.sid)]
            session.sid = self._generate_sid(self.sid_length)
            session.modified = True

    def save_session(self, app: Flask, session: ServerSideSession, response: Response) -> None:
        _release_request_connection()
        for store_id in getattr(session, "retired_store_ids", ()):
            self._delete_retired(store_id)
        super().save_session(app, session, response)

    def _delete_retired(self, store_id: str) -> None:
        try:
            self._delete_session(store_id)
        except SQLAlchemyError as exc:
            # The view's work is done (and committed): a 503 now would invite a duplicate retry.
            found = storage_reason(exc)
            if found is None:
                raise
            log.warning("session store unavailable on delete", extra={"reason": found})

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        with db.engine.connect() as conn:
            row = conn.execute(_SESSION_RECORD, {"store_id": store_id}).first()
        if row is None or _aware(row.expires_at) <= utcnow():
            return None
        return self.serializer.decode(bytes(row.data))

    def _delete_session(self, store_id: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(SessionRecord).where(SessionRecord.id == store_id))

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession, store_id: str) -> None:
        data = self.serializer.encode(session)
        expires_at = utcnow() + session_lifetime
        table = SessionRecord.__table__
        try:
            self._write_session(table, store_id, data, expires_at)
        except SQLAlchemyError as exc:
            # The view's work is done (and committed): a 503 now would invite a duplicate retry.
            found = storage_reason(exc)
            if found is None:
                raise
            log.warning("session store unavailable on write", extra={"reason": found})

    @staticmethod
    def _write_session(table, store_id: str, data: bytes, expires_at) -> None:  # noqa: ANN001
        with db.engine.begin() as conn:
            updated = conn.execute(
                table.update().where(table.c.id == store_id).values(data=data, expires_at=expires_at)
            ).rowcount
            if not updated:
                conn.execute(table.insert().values(id=store_id, data=data, expires_at=expires_at))

    def _delete_expired_sessions(self) -> None:
        """Housekeeping that Flask-Session runs before about one request in 500: with the database
        away it is skipped and logged, never the request's failure (a liveness probe answered 503)."""
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(SessionRecord).where(SessionRecord.expires_at <= utcnow()))
        except SQLAlchemyError as exc:
            found = storage_reason(exc)
            if found is None:
                raise
            log.warning("expired sessions not swept: session store unavailable", extra={"reason": found})


def _release_request_connection() -> None:
    """End the view's transaction so its pooled connection goes back before the store takes one.

    The view has returned when its session is saved, and the app context's teardown would roll
    back whatever it left uncommitted anyway, so rolling back now changes no outcome. Objects stay
    in the ORM session (expired), so a later access loads them again instead of failing.
    """
    orm_session = db.session()
    if not orm_session.in_transaction():
        return
    try:
        orm_session.rollback()
    except SQLAlchemyError as exc:  # a lost connection cannot be rolled back; the pool drops it
        log.warning("rollback before saving the session failed", extra={"error": type(exc).__name__})


def _aware(value):  # noqa: ANN001, ANN202

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def init_sessions(app: Flask, redis_url: str | None) -> None:
    common = {"key_prefix": "session:", "use_signer": False, "permanent": True, "sid_length": 32}
    if redis_url:
        client = redis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
        interface = ResilientRedisSessionInterface(app, client=client, **common)
    else:
        interface = SqlSessionInterface(app, cleanup_n_requests=500, **common)
    # The pages whose forms anonymous visitors send: a new session is stored for their CSRF token.
    interface.form_endpoints = frozenset({"auth.login"})
    app.session_interface = interface
