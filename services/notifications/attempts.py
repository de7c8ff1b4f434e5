"""What one attempt at a delivery came to, whichever channel it went by."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttemptResult:
    """`ok`: the receiver took it (a 2xx answer, an accepted email). Errors are short fixed texts."""

    ok: bool
    response_ms: int
    status_code: int | None = None
    error: str | None = None
