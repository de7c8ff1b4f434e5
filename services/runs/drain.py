"""Draining a process: runs stop at their next LLM call, keep their checkpoint and move elsewhere.

How a run stops: once the process drains, the run's next LLM call raises `ShutdownRequested`
instead of starting. Calls already under way finish, so the nodes making them complete and
LangGraph saves their writes (the workflow checkpoints every step with durability "sync", and
keeps each finished node's writes even when a sibling stops). The stopped node re-runs from its
start wherever the run resumes; nodes are idempotent up to their LLM call and events carry keys.
The run is then released (owner NULL, status still `running`) and resumes in another process.

`ShutdownRequested` derives from BaseException on purpose: every `except Exception` on its way out
(the workflow's failure handler, LLM retries, budget metering) would otherwise record a failure.
"""

from __future__ import annotations

import logging
import threading

from agents.ports import LLMClient, LLMRequest, LLMResponse

log = logging.getLogger(__name__)


class ShutdownRequested(BaseException):
    """The process is stopping: leave the run where its last checkpoint is."""


class Drain:
    """The process-wide "stop at the next boundary" flag."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def start(self) -> None:
        if not self._event.is_set():
            log.info("draining: runs stop at their next LLM call")
        self._event.set()

    @property
    def active(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `ShutdownRequested` once draining."""
        if self._event.is_set():
            raise ShutdownRequested("the process is shutting down")


class DrainingLLM:
    """An LLM client that refuses to start a call while the process drains."""

    def __init__(self, inner: LLMClient, drain: Drain) -> None:
        self.inner = inner
        self.drain = drain

    def generate(self, request: LLMRequest) -> LLMResponse:
        self.drain.check()
        return self.inner.generate(request)
