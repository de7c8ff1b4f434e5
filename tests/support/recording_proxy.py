"""A loopback HTTP proxy that forwards to a real server and keeps every JSON answer it relayed.

Tests put it between Catalyst and llama.cpp's server to compare what Catalyst recorded (tokens in
the AI ledger) with what the server itself reported, byte for byte, without touching either side.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests


@dataclass(frozen=True)
class Relayed:
    method: str
    path: str
    request: Any
    status: int
    response: Any


class RecordingProxy:
    """`with RecordingProxy("http://127.0.0.1:8080") as proxy:` then point the client at proxy.url."""

    def __init__(self, upstream: str, *, timeout: float = 900.0, strip_usage: bool = False):
        self.upstream = upstream.rstrip("/")
        self.timeout = timeout
        # Answer chat completions without their `usage` block (recorded with it), as some servers do.
        self.strip_usage = strip_usage
        self.relayed: list[Relayed] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def completions(self) -> list[Relayed]:
        """The chat completions that succeeded, in order."""
        with self._lock:
            return [r for r in self.relayed if r.path.endswith("/chat/completions") and r.status == 200]

    def _record(self, relayed: Relayed) -> None:
        with self._lock:
            self.relayed.append(relayed)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._relay("GET", None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._relay("POST", self.rfile.read(length) if length else b"")

            def _relay(self, method: str, body: bytes | None) -> None:
                headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
                answer = requests.request(
                    method, proxy.upstream + self.path, data=body, headers=headers, timeout=proxy.timeout
                )
                relayed = Relayed(method, self.path, _json(body), answer.status_code, _json(answer.content))
                proxy._record(relayed)
                content = answer.content
                if proxy.strip_usage and isinstance(relayed.response, dict) and "usage" in relayed.response:
                    content = json.dumps({k: v for k, v in relayed.response.items() if k != "usage"}).encode()
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        return Handler


def _json(raw: bytes | None) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", errors="replace")
