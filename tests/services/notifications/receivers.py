"""Real receivers on loopback for the notification tests: an HTTP server that records webhook
requests (answering a scripted status) and aiosmtpd's SMTP server, in a process of its own,
that records messages."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """`with WebhookReceiver(status=500) as hook:` — `hook.url`, `hook.requests`, `hook.status`;
    `answer_after` seconds pass between recording a request and answering it."""

    def __init__(self, status: int = 200, answer_after: float = 0.0):
        self.status = status
        self.answer_after = answer_after
        self.requests: list[Received] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append(Received(self.path, {k: v for k, v in self.headers.items()}, body))
                time.sleep(receiver.answer_after)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/catalyst"

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _free_port() -> int:
    """aiosmtpd's controller checks its server by connecting to its port, so it needs a real one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpReceiver:
    """aiosmtpd on loopback (tests/services/notifications/smtp_process.py); `smtp.url` for
    SMTP_URL, `smtp.messages` [(recipients, message)] in the order they arrived."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._folder = tempfile.TemporaryDirectory(prefix="catalyst-smtp-")
        self._process: subprocess.Popen[str] | None = None
        self._kept: list[tuple[list[str], EmailMessage]] | None = None  # what arrived, once stopped

    @property
    def messages(self) -> list[tuple[list[str], EmailMessage]]:
        if self._kept is not None:
            return self._kept
        files = sorted(Path(self._folder.name).glob("*.json"), key=lambda path: path.stat().st_mtime_ns)
        received = []
        for path in files:
            record = json.loads(path.read_text())
            content = base64.b64decode(record["content"])
            message = email.message_from_bytes(content, policy=email.policy.default)
            received.append((list(record["rcpt_tos"]), message))
        return received  # type: ignore[return-value]

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpReceiver:
        script = Path(__file__).with_name("smtp_process.py")
        self._process = subprocess.Popen(
            [sys.executable, str(script), str(self.port), self._folder.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != "ready":
            self._process.kill()
            raise RuntimeError("the SMTP server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._kept = self.messages
        self._folder.cleanup()
