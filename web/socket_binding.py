"""Binding an Engine.IO session to the client that opened it, by digests of its credentials."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from werkzeug.http import parse_cookie

log = logging.getLogger(__name__)

SOCKET_PATH = "/socket.io"
# Set on every polling handshake: a credential its later requests present even when the client
# sends its headers with the handshake only, or authenticates in the Socket.IO CONNECT packet.
BINDING_COOKIE = "catalyst_sio"
CREDENTIAL_KEY = "catalyst.socket_credentials"  # environ key: digests of the handshake's credentials


def credential_digest(kind: str, value: str) -> str:
    """A digest standing for one credential (kept and compared, never the credential itself)."""
    return hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()


def request_credentials(environ: dict[str, Any], session_cookie: str) -> dict[str, str]:
    """Digests of what identifies an HTTP request's client, by kind, strongest first: its session
    cookie, its bearer token, the binding cookie of its Engine.IO handshake (those it carries)."""
    cookies = parse_cookie(environ)
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else ""
    found = (
        ("session", cookies.get(session_cookie, "")),
        ("bearer", bearer),
        ("binding", cookies.get(BINDING_COOKIE, "")),
    )
    return {kind: credential_digest(kind, value) for kind, value in found if value}


def request_credential(environ: dict[str, Any], session_cookie: str) -> str | None:
    """The digest of a request's strongest credential, or None when it carries none."""
    return next(iter(request_credentials(environ, session_cookie).values()), None)


class SocketBinding:
    """WSGI middleware: an Engine.IO session answers only the client that opened it.

    Why: long-polling carries the session id (`sid`) in the query string, which ends up in logs,
    proxies and browser history, and Engine.IO accepts any request naming a live sid as that
    socket, whose identity was checked once, at connect. So the handshake records digests of the
    client's credentials in its environ, which python-socketio keeps for the session's life: the
    session cookie or bearer token it sent, and a binding cookie set here on polling handshakes
    (clients such as python-socketio send custom headers with the handshake only, and a token in
    the CONNECT packet is no HTTP credential at all). Every later request naming the sid (polls,
    posts, the WebSocket upgrade) must present one of them, or it is refused before Engine.IO sees
    it. The client address is not part of it: behind proxies it changes legitimately. The record
    lives in this process, as the session does (several processes are sticky: docs/deployment.md).
    """

    def __init__(self, wsgi_app: Callable[..., Any], server: Any, config: dict[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.server = server
        self.config = config  # the app's config, read per request: the cookie name is set later

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not environ.get("PATH_INFO", "").startswith(SOCKET_PATH):
            return self.wsgi_app(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""))  # as Engine.IO parses it
        sid = query.get("sid", [None])[0]
        presented = request_credentials(environ, self.config.get("SESSION_COOKIE_NAME", "session"))
        if sid is None:
            return self._handshake(environ, start_response, presented, query.get("transport", [""])[0])
        opened = self.server.environ.get(sid)
        if opened is not None and not _any_match(opened.get(CREDENTIAL_KEY, ()), presented.values()):
            log.warning("socket request refused: the session belongs to another client")
            start_response("403 FORBIDDEN", [("Content-Type", "text/plain"), ("Cache-Control", "no-store")])
            return [b"This socket session belongs to another client."]
        return self.wsgi_app(environ, start_response)

    def _handshake(
        self, environ: dict[str, Any], start_response: Callable[..., Any], presented: dict[str, str],
        transport: str,
    ) -> Any:
        # Not a binding cookie it brought along: that one belongs to another session.
        accepted = tuple(digest for kind, digest in presented.items() if kind != "binding")
        if transport != "polling":  # a WebSocket from the start: no later HTTP request to bind
            environ[CREDENTIAL_KEY] = accepted
            return self.wsgi_app(environ, start_response)
        value = secrets.token_urlsafe(32)
        environ[CREDENTIAL_KEY] = (*accepted, credential_digest("binding", value))
        cookie = f"{BINDING_COOKIE}={value}; Path={SOCKET_PATH}/; HttpOnly; SameSite=Strict"
        if environ.get("wsgi.url_scheme") == "https":
            cookie += "; Secure"

        def with_cookie(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("Set-Cookie", cookie)], exc_info)

        return self.wsgi_app(environ, with_cookie)


def _any_match(expected: Iterable[str], presented: Iterable[str]) -> bool:
    return any(hmac.compare_digest(want, have) for want in expected for have in presented)
