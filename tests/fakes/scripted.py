"""The machinery shared by the fake provider servers: an HTTP server on 127.0.0.1 (ephemeral port,
background thread) with a scripted queue of behaviours and a record of every request it saw.

When the queue is empty a server answers like a model: it asks a responder (by default
`agents.offline.generate_payload`) for the answer to the prompt named in the request, given the
data parsed back from the delimited user message, and reports usage computed from character counts.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[str, dict[str, Any]], dict[str, Any]]

CHARS_PER_TOKEN = 4


def count_tokens(text: str) -> int:
    """The fakes' deterministic tokenizer: one token per four characters, rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def offline_responder(prompt: str, data: dict[str, Any]) -> dict[str, Any]:
    """Answer as the offline knowledge base would (imported late: agents/ is built in parallel)."""
    from agents.offline import generate_payload

    return generate_payload(prompt, data)


@dataclass(frozen=True)
class Behaviour:
    """One scripted reaction to the next request."""

    kind: str  # ok | error | slow | malformed | schema_invalid
    status: int = 200
    retry_after: str | None = None
    payload: Any = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    delay: float = 0.0


def ok(
    payload: dict[str, Any] | None = None,
    *,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
) -> Behaviour:
    """A good answer: `payload`, or the responder's answer when None; usage as given or counted."""
    return Behaviour("ok", payload=payload, input_tokens=input_tokens, output_tokens=output_tokens)


def rate_limited(retry_after: float | str | None = 1, *, status: int = 429) -> Behaviour:
    header = None if retry_after is None else str(retry_after)
    return Behaviour("error", status=status, retry_after=header)


def server_error(status: int = 500, *, retry_after: float | str | None = None) -> Behaviour:
    return Behaviour("error", status=status, retry_after=None if retry_after is None else str(retry_after))


def client_error(status: int = 400, body: str | None = None) -> Behaviour:
    """An error status; `body` is the message the server puts in its error (OpenAI fake)."""
    return Behaviour("error", status=status, payload=body)


def no_usage(payload: dict[str, Any] | None = None) -> Behaviour:
    """A good answer whose body carries no `usage` block, as some servers send."""
    return Behaviour("no_usage", payload=payload)


def slow(seconds: float) -> Behaviour:
    """Sleep `seconds` before answering normally (use more than the client timeout)."""
    return Behaviour("slow", delay=seconds)


def malformed(text: str = '{"answer": "unterminated') -> Behaviour:
    """A 200 answer whose content is not JSON."""
    return Behaviour("malformed", payload=text)


def schema_invalid(payload: dict[str, Any] | None = None) -> Behaviour:
    """A 200 answer with valid JSON that does not match the requested schema."""
    return Behaviour("schema_invalid", payload=payload if payload is not None else {"unexpected": True})


@dataclass
class SeenRequest:
    """A request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 0
    behaviour: str = ""


@dataclass(frozen=True)
class Answer:
    """What a protocol module returns for one request."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class ScriptedServer:
    """Base class: subclasses implement `answer(seen, behaviour)` for their provider's protocol."""

    def __init__(self, responder: Responder | None = None):
        self.responder: Responder = responder or offline_responder
        self.requests: list[SeenRequest] = []
        self.usages: list[tuple[int, int]] = []
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> ScriptedServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},  # a quick shutdown keeps fixtures cheap
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """What to give the SDK as its base URL."""
        return self.url

    # --- scripting and records ---------------------------------------------------------------
    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next requests, in order."""
        with self._lock:
            self._queue.extend(behaviours)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def usage_totals(self) -> tuple[int, int]:
        """(input, output) tokens reported across every successful answer so far."""
        with self._lock:
            return sum(i for i, _ in self.usages), sum(o for _, o in self.usages)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.usages.clear()

    def _next(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else Behaviour("ok")

    def usage_for(self, behaviour: Behaviour, prompt_text: str, answer_text: str) -> tuple[int, int]:
        """Scripted usage, else counted from the characters; recorded for `usage_totals`."""
        input_tokens = behaviour.input_tokens
        if input_tokens is None:
            input_tokens = count_tokens(prompt_text)
        output_tokens = behaviour.output_tokens
        if output_tokens is None:
            output_tokens = count_tokens(answer_text)
        with self._lock:
            self.usages.append((input_tokens, output_tokens))
        return input_tokens, output_tokens

    # --- protocol hooks ----------------------------------------------------------------------
    def answer(self, seen: SeenRequest, behaviour: Behaviour) -> Answer:
        raise NotImplementedError

    def handle(self, seen: SeenRequest) -> Answer:
        behaviour = self._next()
        seen.behaviour = behaviour.kind
        with self._lock:
            self.requests.append(seen)
        if behaviour.kind == "slow":
            time.sleep(behaviour.delay)
            behaviour = Behaviour("ok")
        result = self.answer(seen, behaviour)
        seen.status = result.status
        return result


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._serve("GET", None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw or b"null")
            except json.JSONDecodeError:
                body = raw.decode("utf-8", errors="replace")
            self._serve("POST", body)

        def _serve(self, method: str, body: Any) -> None:
            seen = SeenRequest(
                method=method,
                path=self.path,
                headers={key.lower(): value for key, value in self.headers.items()},
                body=body,
            )
            result = server.handle(seen)
            payload = json.dumps(result.body).encode()
            try:
                self.send_response(result.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in result.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up (timeout): nothing to answer

    return Handler
