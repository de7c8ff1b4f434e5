"""An LLM for in-process run tests: the offline model, counting calls, able to start a drain."""

from __future__ import annotations

from collections import Counter

from agents.offline import OfflineLLMClient
from agents.ports import LLMRequest, LLMResponse
from services.runs.drain import Drain


class CountingLLM:
    """The offline model, counting calls per agent; may start a drain once an agent's call is done."""

    def __init__(self, calls: Counter, drain_after: str | None = None, drain: Drain | None = None) -> None:
        self.inner = OfflineLLMClient()
        self.calls = calls
        self.drain_after = drain_after
        self.drain = drain

    def generate(self, request: LLMRequest) -> LLMResponse:
        self.calls[request.agent] += 1
        response = self.inner.generate(request)
        if request.agent == self.drain_after and self.drain is not None:
            self.drain.start()  # as if SIGTERM arrived while this call was under way
        return response
