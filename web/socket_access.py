"""Whether a socket may still hear its rooms' events: its credential re-checked as events go out."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

import redis
from flask import Flask
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie

from services import users
from services.models import User
from web.extensions import socketio
from web.socket_rooms import GUARDED_ROOMS, NAMESPACE

log = logging.getLogger(__name__)
ACCESS_TTL_SECONDS = 2.0
ENDED_SESSIONS_TTL_SECONDS = 3600.0


class SocketAccess:
    """Whether a socket may still receive its rooms' events, asked as each event goes out.

    Why: access was checked on connect and on client events only, so a socket that only listens
    kept receiving a run's events after its user logged out, was deactivated, had the token it
    connected with revoked, or moved organisation. Every emit to a `run:` or `org:` room (local,
    or arriving through the message queue) goes through the manager's `get_participants`, which
    this wraps. A check reloads the credential as a request would (the session from its store,
    the token from the database); its verdict is kept ACCESS_TTL_SECONDS per credential, so a
    fan-out costs dictionary lookups and at most one check per credential every couple of seconds.
    A session that logs out is known at once (`end_session`). When the check itself cannot reach
    storage, the last verdict stands (the run's events are stored; clients catch up on reconnect).
    """

    def __init__(self, app: Flask, server: Any, identities: dict[str, dict[str, Any]],
                 ttl: float = ACCESS_TTL_SECONDS) -> None:
        self.app = app
        self.server = server
        self.identities = identities
        self.ttl = ttl
        self._verdicts: dict[str, tuple[float, bool]] = {}  # credential key -> (checked at, allowed)
        self._ended: dict[str, float] = {}  # logged-out session digests -> when
        self._refused: set[str] = set()

    def install(self) -> SocketAccess:
        manager = self.server.manager
        participants = manager.get_participants

        def get_participants(namespace: str, room: Any) -> Iterator[tuple[str, str]]:
            if not (isinstance(room, str) and room.startswith(GUARDED_ROOMS)):
                yield from participants(namespace, room)
                return
            for sid, eio_sid in participants(namespace, room):
                if self.allowed(sid):
                    yield sid, eio_sid

        manager.get_participants = get_participants
        return self

    def allowed(self, sid: str) -> bool:
        ident = self.identities.get(sid)
        if ident is None:
            return False
        if ident.get("session") in self._ended:
            ok = False
        else:
            key = ident["key"]
            now = time.monotonic()
            verdict = self._verdicts.get(key)
            if verdict is not None and now - verdict[0] < self.ttl:
                ok = verdict[1]
            else:
                ok = self._check(sid, ident, verdict[1] if verdict is not None else True)
                self._verdicts[key] = (now, ok)
        if not ok:
            self._refuse(sid)
        return ok

    def _check(self, sid: str, ident: dict[str, Any], previous: bool) -> bool:
        try:
            if ident["via"] == "token":
                with self.app.app_context():
                    return _still_entitled(users.authenticate_token(ident.get("token", "")), ident)
            environ = self.server.get_environ(sid, NAMESPACE)
            if environ is None:
                return False
            environ = self._session_only(environ)
            # A fresh app context first: a request context reuses the current one, and with it `g`
            # and the user Flask-Login cached there (an emit from inside another user's request).
            with self.app.app_context(), self.app.request_context(environ):
                user = current_user._get_current_object() if current_user.is_authenticated else None
                return _still_entitled(user, ident)
        except (SQLAlchemyError, redis.RedisError) as exc:
            log.warning(
                "socket access check failed; keeping the last verdict", extra={"error": type(exc).__name__}
            )
            return previous

    def _session_only(self, environ: dict[str, Any]) -> dict[str, Any]:
        """The socket's environ with its session cookie as its only cookie: a check must not log
        anyone in again from a "remember me" cookie (nor rotate it behind the browser's back)."""
        name = self.app.config.get("SESSION_COOKIE_NAME", "session")
        value = parse_cookie(environ).get(name)
        return {**environ, "HTTP_COOKIE": f"{name}={value}" if value else ""}

    def _refuse(self, sid: str) -> None:
        if sid in self._refused:
            return
        self._refused.add(sid)
        socketio.start_background_task(self._disconnect, sid)

    def _disconnect(self, sid: str) -> None:
        with contextlib.suppress(KeyError, ValueError):  # already gone
            self.server.disconnect(sid, namespace=NAMESPACE)

    def forget(self, sid: str) -> None:
        self._refused.discard(sid)

    def end_session(self, user_id: int, session_digest: str) -> None:
        """A login session ended: its sockets here get no more events and are closed."""
        now = time.monotonic()
        for digest, at in list(self._ended.items()):
            if now - at > ENDED_SESSIONS_TTL_SECONDS:
                del self._ended[digest]
        self._ended[session_digest] = now
        for sid, ident in list(self.identities.items()):
            if ident.get("session") == session_digest and ident.get("user_id") == user_id:
                self._verdicts.pop(ident["key"], None)
                self._refuse(sid)


def _still_entitled(user: User | None, ident: dict[str, Any]) -> bool:
    if user is None or not user.active:
        return False
    return user.id == ident.get("user_id") and user.org_id == ident.get("org_id")
