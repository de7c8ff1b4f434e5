"""The webhook signature: HMAC-SHA256 over `<timestamp>.<body>`, sent as `Catalyst-Signature`.

As Stripe does it: `Catalyst-Signature: t=<unix seconds>,v1=<hex digest>`. The timestamp is in the
signed text, so a receiver that rejects old timestamps also rejects replayed requests; `v1` names
the scheme so another can be added beside it without breaking receivers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "Catalyst-Signature"
SCHEME = "v1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label in front of the secret, not one
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A signing secret for a new hook (shown to the admin once)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` under the hook's secret."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for `body`, signed now (or at `timestamp`)."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},{SCHEME}={digest(secret, moment, body)}"


def verify(header: str, body: bytes, secret: str, *, tolerance: int = DEFAULT_TOLERANCE_SECONDS,
           now: float | None = None) -> bool:  # fmt: skip
    """Whether `header` signs `body` with `secret`, within `tolerance` seconds of now."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in parts.get(SCHEME, []))
