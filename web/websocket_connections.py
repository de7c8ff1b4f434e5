"""The WebSockets in flight, by their TCP connections, so that shutdown can close them."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from typing import Any


class WebSocketConnections:
    """WSGI middleware remembering the TCP socket of every WebSocket in flight, so that shutdown
    can close them: aborting an Engine.IO session leaves the greenlet serving it blocked in a
    read, and a client that went silent would hold the process until gunicorn's graceful timeout."""

    def __init__(self, wsgi_app: Callable[..., Any]) -> None:
        self.wsgi_app = wsgi_app
        self._open: dict[int, socket.socket] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        sock = _tcp_socket(environ) if environ.get("HTTP_UPGRADE", "").lower() == "websocket" else None
        if sock is None:
            return self.wsgi_app(environ, start_response)
        key = id(environ)
        self._open[key] = sock
        try:
            # Engine.IO serves the whole WebSocket session inside this call.
            return self.wsgi_app(environ, start_response)
        finally:
            self._open.pop(key, None)

    def __len__(self) -> int:
        return len(self._open)

    def close_all(self) -> int:
        """Shut down every WebSocket's TCP connection: blocked reads and writes end at once, the
        client sees end-of-file as after a network blip. Returns how many were open."""
        sockets = list(self._open.values())
        for sock in sockets:
            with contextlib.suppress(OSError):  # already gone
                sock.shutdown(socket.SHUT_RDWR)
        return len(sockets)


def _tcp_socket(environ: dict[str, Any]) -> socket.socket | None:
    """The client connection under a WebSocket request (gevent-websocket, gunicorn, werkzeug)."""
    handler = getattr(environ.get("wsgi.websocket"), "handler", None)
    for candidate in (
        getattr(handler, "socket", None),
        environ.get("gunicorn.sock"),
        environ.get("gunicorn.socket"),
        environ.get("werkzeug.socket"),
    ):
        if candidate is not None and hasattr(candidate, "shutdown"):
            return candidate
    return None
