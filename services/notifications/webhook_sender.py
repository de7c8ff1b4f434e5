"""One webhook attempt: a signed POST through the guarded transport, the answer's status and time.

The connection goes through `GuardedTransport` (services/llm/egress.py), the provider SDKs' own:
every address the host resolves to is checked when the socket opens, redirects are not followed
(a receiver could redirect to an internal address), and the answer's body is never read.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx2

from services.llm.egress import AllowList, GuardedTransport, find_refusal
from services.notifications.attempts import AttemptResult
from services.notifications.signing import SIGNATURE_HEADER, signature_header

log = logging.getLogger(__name__)

USER_AGENT = "Catalyst-Webhooks/1"


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def send_webhook(url: str, payload: dict[str, Any], *, secret: str, delivery_id: int, allow: AllowList,
                 timeout: float) -> AttemptResult:  # fmt: skip
    """POST `payload` to `url`, signed with `secret`; never raises for what the network does."""
    body = body_of(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Catalyst-Event": str(payload.get("type", "")),
        "Catalyst-Event-Id": str(payload.get("id", "")),
        "Catalyst-Delivery": str(delivery_id),
        SIGNATURE_HEADER: signature_header(secret, body),
    }
    started = time.monotonic()
    try:
        with httpx2.Client(
            transport=GuardedTransport(allow),
            timeout=httpx2.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
            trust_env=False,
        ) as client, client.stream("POST", url, content=body, headers=headers) as response:
            status = response.status_code
    except httpx2.TimeoutException:
        return AttemptResult(False, _ms(started), error="The receiver did not answer in time.")
    except httpx2.HTTPError as exc:
        refused = find_refusal(exc)
        if refused is not None:
            return AttemptResult(False, _ms(started), error=f"Address not allowed: {refused.reason}.")
        return AttemptResult(False, _ms(started), error=f"Could not connect ({type(exc).__name__}).")
    if 200 <= status < 300:
        return AttemptResult(True, _ms(started), status_code=status)
    return AttemptResult(False, _ms(started), status_code=status, error=f"The receiver answered HTTP {status}.")


def _ms(started: float) -> int:
    return max(0, round((time.monotonic() - started) * 1000))
