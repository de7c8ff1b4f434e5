"""Server-side sessions: Redis when configured, the SQL database otherwise.

Both build on Flask-Session's server-side interface (session ids, rotation, serialisation). The SQL
store is ours so that its table comes from our migrations and its writes use their own connection,
never committing a view's unfinished work. The Redis store survives a Redis outage: a session that
cannot be read starts empty (the user logs in again) and a failed write is logged, never a 500.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import redis
from flask import Flask, Request, g
from flask.sessions import SessionMixin
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from services.db import db, utcnow
from services.models import SessionRecord
from services.storage_errors import reason as storage_reason

log = logging.getLogger(__name__)


class ResilientRedisSessionInterface(RedisSessionInterface):
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


class SqlSessionInterface(ServerSideSessionInterface):
    """Sessions as rows of `sessions`; expired rows are swept every few hundred requests."""

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

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        with db.engine.connect() as conn:
            row = conn.execute(
                select(SessionRecord.data, SessionRecord.expires_at).where(SessionRecord.id == store_id)
            ).first()
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
        with db.engine.begin() as conn:
            conn.execute(delete(SessionRecord).where(SessionRecord.expires_at <= utcnow()))


def _aware(value):  # noqa: ANN001, ANN202
    from datetime import timezone

    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def init_sessions(app: Flask, redis_url: str | None) -> None:
    common = {"key_prefix": "session:", "use_signer": False, "permanent": True, "sid_length": 32}
    if redis_url:
        client = redis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
        app.session_interface = ResilientRedisSessionInterface(app, client=client, **common)
    else:
        app.session_interface = SqlSessionInterface(app, cleanup_n_requests=500, **common)
