"""The whole workflow through the real SDKs and real HTTP, answered by the fakes' default
(offline-knowledge) responder: it completes, and the AI spend adds up to the cent."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from agents.checkpoint import open_checkpointer
from agents.memory import MemoryEventSink, MemoryLedger
from agents.ports import LLMRequest, LLMResponse
from agents.workflow import Workflow
from services.llm import build_llm_client, cost
from tests.unit.llm.llm_support import MODELS, config_for

BRIEF = {
    "company": {"name": "Acme", "industry": "Technology", "location": "Austin, TX"},
    "objectives": ["Launch product"],
    "budget_usd": "5000",
    "timeline_days": 90,
}
CENT = Decimal("0.01")


class SpendMeter:
    """Wraps a client and adds up what each response says it cost."""

    def __init__(self, inner):
        self.inner = inner
        self.total = Decimal(0)
        self.responses: list[LLMResponse] = []
        self._lock = threading.Lock()

    def generate(self, request: LLMRequest) -> LLMResponse:
        response = self.inner.generate(request)
        with self._lock:
            self.total += response.cost_usd
            self.responses.append(response)
        return response


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_workflow_over_http_costs_what_the_provider_reported(provider, request, tmp_path):
    fake = request.getfixturevalue(f"fake_{provider}")
    client = build_llm_client(config_for(fake))
    meter = SpendMeter(client)
    sink = MemoryEventSink("run-http")
    try:
        with open_checkpointer(f"sqlite:///{tmp_path / 'checkpoints.db'}") as saver:
            outcome = Workflow(meter, sink, MemoryLedger(), saver, policy="trim").start("run-http", BRIEF)
    finally:
        client.close()

    assert outcome.status == "completed", outcome.error
    assert len(fake.requests) == len(meter.responses) >= 3  # planner, specialists, reviewer, reporter
    assert {fake.schema_name(seen) for seen in fake.requests} >= {"planner", "reviewer", "reporter"}
    for seen in fake.requests:
        assert "Acme" not in fake.system_text(seen)
        assert fake.data(seen)  # the data came through the delimited block
    input_tokens, output_tokens = fake.usage_totals()
    expected = cost(MODELS[provider], input_tokens, output_tokens)
    assert meter.total == expected
    assert meter.total.quantize(CENT) == expected.quantize(CENT)
    assert all(not response.offline for response in meter.responses)
