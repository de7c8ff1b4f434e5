"""What every provider adapter takes and returns, and the one error type they raise.

Adapters translate between these plain values and an SDK; retries, breaking, rate limits,
validation and cost live above them in the client.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Protocol

from services.llm.egress import find_refusal

ErrorKind = Literal[
    "timeout", "connection", "rate_limited", "server_error", "client_error", "refused", "blocked", "unsupported"
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class ProviderCall:
    """One structured-output completion. `schema_name` is the prompt template name."""

    model: str
    system: str
    turns: tuple[Turn, ...]
    schema_name: str
    schema: dict[str, Any]
    max_tokens: int


@dataclass(frozen=True)
class ProviderReply:
    """The raw answer (JSON text, not yet validated) and the provider's own usage figures."""

    text: str
    input_tokens: int
    output_tokens: int
    model: str
    structured_output: str = ""  # the mode that produced this answer
    usage_estimated: bool = False  # the server reported no usage; the counts are ours


class ProviderError(Exception):
    """A failed provider call, already sorted into transient (worth retrying) or not."""

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind,
        transient: bool,
        status: int | None = None,
        retry_after: float | None = None,
        detail: object = "",
    ):
        super().__init__(message)
        self.kind = kind
        self.transient = transient
        self.status = status
        self.retry_after = retry_after
        # The upstream's own words, trimmed and scrubbed (`shown_detail`): for the admin who is
        # testing the connection, never for a run's record.
        self.detail = shown_detail(detail)


class Provider(Protocol):
    name: str

    def complete(self, call: ProviderCall) -> ProviderReply: ...

    def close(self) -> None: ...


# 408 request timeout, 409 conflict (OpenAI uses it for transient locks), 425 too early, 429 rate
# limited, and any 5xx (529 is Anthropic's "overloaded") are worth another attempt.
_TRANSIENT_STATUSES = frozenset({408, 409, 425, 429})


def is_transient_status(status: int) -> bool:
    return status in _TRANSIENT_STATUSES or status >= 500


def parse_retry_after(headers: Any) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date)."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_SECRET_LIKE = re.compile(
    r"(?i)(bearer\s+\S+|\b(?:sk|pk|rk|key|api[_-]?key|token)[-_=:]\s*[A-Za-z0-9_\-.]{6,}|\b[A-Za-z0-9_\-]{32,}\b)"
)
DETAIL_CHARS = 300


def shown_detail(detail: object) -> str:
    """An upstream error body as an admin may see it: one line, secret-looking words masked, short."""
    text = " ".join(str(detail or "").split())
    text = _SECRET_LIKE.sub("[hidden]", text)
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def withheld(summary: str, detail: object) -> str:
    """`summary` plus a request id; the upstream's own words go to the log only.

    An upstream body can hold anything the server at the base URL chose to send (an internal
    service's secrets among them), and error messages reach members through the run's record.
    """
    request_id = uuid.uuid4().hex[:12]
    log.warning("provider error %s: %s", request_id, _SECRET_LIKE.sub("[hidden]", str(detail)[:2000]))
    return f"{summary} (request {request_id}; details are in the server log)"


def status_error(message: str, status: int, headers: Any, detail: object = "") -> ProviderError:
    """Classify an HTTP error status the same way for every provider."""
    transient = is_transient_status(status)
    if status == 429:
        kind: ErrorKind = "rate_limited"
    elif status == 408:
        kind = "timeout"
    elif transient:
        kind = "server_error"
    else:
        kind = "client_error"
    return ProviderError(
        message,
        kind=kind,
        transient=transient,
        status=status,
        retry_after=parse_retry_after(headers) if transient else None,
        detail=detail,
    )


def connection_error(label: str, error: BaseException, detail: object) -> ProviderError:
    """A failed connection; a refused provider address says so in fixed words and is not retried."""
    refused = find_refusal(error)
    if refused is not None:
        return ProviderError(str(refused), kind="blocked", transient=False)
    return ProviderError(
        withheld(f"cannot reach the {label} endpoint", detail), kind="connection", transient=True
    )


def not_a_reply(label: str, answer: object) -> ProviderError:
    """The server answered 200 with something that is not the API's reply (HTML, plain text...)."""
    return ProviderError(
        withheld(f"{label} answered something that is not an API reply", repr(answer)),
        kind="server_error",
        transient=False,
    )
