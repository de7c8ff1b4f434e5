"""Closing a user's sockets in every process: a forced logout, a deactivation, one session's logout."""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, has_request_context, request
from flask_login import user_logged_out

from services.holdings import holdings_of
from web.socket_binding import credential_digest

log = logging.getLogger(__name__)

DISCONNECT_CHANNEL = "catalyst:sockets:disconnect-user"


class UserDisconnects:
    """Close every socket of a user, or those of one of their sessions (a logout): here at once, in
    other processes through Redis pub/sub."""

    def __init__(
        self,
        redis_url: str | None,
        disconnect_local: Callable[[int], None],
        end_session_local: Callable[[int, str], None] | None = None,
    ) -> None:
        self.redis_url = redis_url
        self.disconnect_local = disconnect_local
        self.end_session_local = end_session_local
        self.origin = secrets.token_hex(8)
        self._started = False

    def disconnect_user(self, user_id: int) -> None:
        self.disconnect_local(user_id)
        self._tell_others({"user_id": user_id})

    def end_session(self, user_id: int, session_digest: str) -> None:
        """The sockets opened with one session (by its credential digest) close; the user's others stay."""
        if self.end_session_local is not None:
            self.end_session_local(user_id, session_digest)
        self._tell_others({"user_id": user_id, "session": session_digest})

    def _tell_others(self, message: dict[str, Any]) -> None:
        if not self.redis_url:
            return
        try:
            client = redis.Redis.from_url(self.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
            client.publish(DISCONNECT_CHANNEL, json.dumps({**message, "origin": self.origin}))
        except redis.RedisError as exc:
            log.warning("could not ask other processes to disconnect a user", extra={"error": str(exc)})

    def start(self, spawn: Callable[..., Any]) -> None:
        if self.redis_url and not self._started:
            self._started = True
            spawn(self._listen_forever)

    def _listen_forever(self) -> None:
        backoff = 0.5
        while True:
            try:
                client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2.0)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(DISCONNECT_CHANNEL)
                backoff = 0.5
                while True:
                    message = pubsub.get_message(timeout=5.0)
                    if message:
                        self._handle(message.get("data"))
            except redis.RedisError as exc:
                log.warning("disconnect listener lost Redis; retrying", extra={"error": str(exc)})
                time.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    def _handle(self, raw: Any) -> None:
        try:
            message = json.loads(raw)
            user_id = int(message["user_id"])
        except (TypeError, ValueError, KeyError):
            return
        if message.get("origin") == self.origin:
            return
        session_digest = message.get("session")
        if session_digest is None:
            self.disconnect_local(user_id)
        elif isinstance(session_digest, str) and self.end_session_local is not None:
            self.end_session_local(user_id, session_digest)


def _on_logout(sender: Flask, user: Any = None, **_extra: Any) -> None:
    """Flask-Login's `user_logged_out`: the sockets opened with this session close, in every process."""
    held = holdings_of(sender)
    end_session = held.end_socket_session if held else None
    if end_session is None or user is None or not has_request_context():
        return
    cookie = request.cookies.get(sender.config.get("SESSION_COOKIE_NAME", "session"))
    user_id = getattr(user, "id", None)
    if cookie and isinstance(user_id, int):
        end_session(user_id, credential_digest("session", cookie))


user_logged_out.connect(_on_logout)
