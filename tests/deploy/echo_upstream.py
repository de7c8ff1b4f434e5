"""A stand-in upstream for proxy tests: reports what reached it, echoes WebSocket messages.

    python echo_upstream.py PORT NAME

Every HTTP response is JSON: the upstream's NAME, method, path, client address and request
headers. A WebSocket upgrade gets the same report as its first message, then each message back.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from typing import Any  # noqa: E402

from gevent import pywsgi  # noqa: E402
from geventwebsocket.handler import WebSocketHandler  # noqa: E402


def report(environ: dict[str, Any], name: str) -> dict[str, Any]:
    """What this upstream saw of a request."""
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    return {
        "upstream": name,
        "method": environ["REQUEST_METHOD"],
        "path": environ.get("PATH_INFO", ""),
        "query": environ.get("QUERY_STRING", ""),
        "remote_addr": environ.get("REMOTE_ADDR"),
        "headers": headers,
    }


def make_app(name: str) -> Callable[..., Iterable[bytes]]:
    """The WSGI callable for one named upstream."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen = report(environ, name)
        websocket = environ.get("wsgi.websocket")
        if websocket is not None:
            websocket.send(json.dumps(seen))
            while (message := websocket.receive()) is not None:
                websocket.send(message)
            return []
        length = int(environ.get("CONTENT_LENGTH") or 0)
        seen["body_bytes"] = len(environ["wsgi.input"].read(length)) if length else 0
        body = json.dumps(seen).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return application


def main() -> None:
    port, name = int(sys.argv[1]), sys.argv[2]
    server = pywsgi.WSGIServer(
        ("127.0.0.1", port), make_app(name), handler_class=WebSocketHandler, log=None
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
