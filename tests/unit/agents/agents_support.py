"""Helpers for the engine tests: the example brief and LLM clients that misbehave on purpose."""

from __future__ import annotations

import re
import threading
from collections import Counter
from decimal import Decimal
from typing import Any

from agents.offline import OfflineLLMClient
from agents.outputs import DeliverableProposal, LineItemProposal
from agents.ports import AIBudgetExhausted, LLMError, LLMRequest, LLMResponse

EXAMPLE_BRIEF: dict[str, Any] = {
    "company": {"name": "Acme", "industry": "Technology", "location": "Austin, TX"},
    "objectives": ["Launch product"],
    "budget_usd": "5000",
    "timeline_days": 90,
}


def brief(**changes: Any) -> dict[str, Any]:
    """The example brief with top-level or company fields replaced."""
    company = {**EXAMPLE_BRIEF["company"], **changes.pop("company", {})}
    return {**EXAMPLE_BRIEF, **changes, "company": company}


class RecordingClient:
    """Offline answers, with every request kept and counted per agent."""

    def __init__(self, inner: Any | None = None) -> None:
        self.inner = inner or OfflineLLMClient()
        self.requests: list[LLMRequest] = []
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def generate(self, request: LLMRequest) -> LLMResponse:
        response = self.inner.generate(request)
        with self._lock:
            self.requests.append(request)
            self.calls[request.agent] += 1
        return response


class FailingClient(RecordingClient):
    """Fails every call of one agent for good."""

    def __init__(self, agent: str) -> None:
        super().__init__()
        self.agent = agent

    def generate(self, request: LLMRequest) -> LLMResponse:
        if request.agent == self.agent:
            raise LLMError("provider rejected the request", code="provider_error")
        return super().generate(request)


class CapClient(RecordingClient):
    """Raises AIBudgetExhausted for the given agents until `raise_cap()` is called."""

    def __init__(self, agents: set[str]) -> None:
        super().__init__()
        self.blocked = set(agents)
        self.refusals: Counter[str] = Counter()

    def raise_cap(self) -> None:
        self.blocked.clear()

    def generate(self, request: LLMRequest) -> LLMResponse:
        if request.agent in self.blocked:
            self.refusals[request.agent] += 1
            raise AIBudgetExhausted("run", Decimal("0.50"), Decimal("0.50"))
        return super().generate(request)


class GreedyClient(RecordingClient):
    """One specialist proposes line items well beyond its allocation."""

    def __init__(self, agent: str, extra: Decimal = Decimal("10000")) -> None:
        super().__init__()
        self.agent = agent
        self.extra = extra

    def generate(self, request: LLMRequest) -> LLMResponse:
        response = super().generate(request)
        if request.agent != self.agent:
            return response
        proposal = response.output
        assert isinstance(proposal, DeliverableProposal)
        greedy = proposal.model_copy(update={"line_items": [
            *proposal.line_items,
            LineItemProposal(description="Premium extras", amount=self.extra, category="other"),
            LineItemProposal(description="Even more extras", amount=Decimal("50"), category="other"),
        ]})  # fmt: skip
        return response.model_copy(update={"output": greedy})


class CancelAfter(RecordingClient):
    """Requests a cancel once `agent` has answered."""

    def __init__(self, agent: str) -> None:
        super().__init__()
        self.agent = agent
        self.cancelled = threading.Event()

    def generate(self, request: LLMRequest) -> LLMResponse:
        response = super().generate(request)
        if request.agent == self.agent:
            self.cancelled.set()
        return response


def spend_table(markdown: str) -> tuple[list[Decimal], Decimal]:
    """The committed column of the report's spend table: agent rows and the total row."""
    section = markdown.split("## Budget", 1)[1].split("\n## ", 1)[0]
    rows: list[Decimal] = []
    total = None
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[2].lstrip("*").startswith("$"):
            continue
        amount = Decimal(re.sub(r"[*$,]", "", cells[2]))
        if cells[0] == "**Total**":
            total = amount
        else:
            rows.append(amount)
    assert total is not None, "no total row"
    return rows, total
