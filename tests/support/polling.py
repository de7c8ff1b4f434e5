"""Waiting for what another process or thread does: poll a check until it holds, never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(check: Callable[[], Any], timeout: float = 60.0, what: str = "condition", every: float = 0.05) -> Any:
    """`check()`'s first truthy value, polled every `every` seconds; TimeoutError after `timeout`
    (60 s by default: generous, the machine is shared and loaded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
