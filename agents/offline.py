"""The offline LLM client: deterministic answers from the built-in knowledge base, at zero cost.

It exists so Catalyst runs with no provider configured (demo, tests, benchmarks) and says so in
every answer. `generate_payload` is also what fake provider servers use to answer like a model.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import Any

from agents.offline_answers.planner import plan_payload
from agents.offline_answers.reporter import narrative_payload
from agents.offline_answers.reviewer import review_payload
from agents.offline_answers.specialists import deliverable_payload
from agents.ports import LLMError, LLMRequest, LLMResponse, ModelPrice
from agents.state import SPECIALISTS

OFFLINE_PROVIDER = "offline"
OFFLINE_MODEL = "offline"
# What the offline provider charges: nothing, known to be nothing (not an unset price).
OFFLINE_PRICE = ModelPrice(name=OFFLINE_MODEL, provider=OFFLINE_PROVIDER, offline=True)

_BUILDERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "planner": plan_payload,
    "reviewer": review_payload,
    "reporter": narrative_payload,
    **{agent: functools.partial(deliverable_payload, agent) for agent in SPECIALISTS},
}


def generate_payload(prompt: str, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON-able answer to the prompt template `prompt` for request data `data`."""
    builder = _BUILDERS.get(prompt)
    if builder is None:
        raise ValueError(f"the offline provider has no answer for prompt {prompt!r}")
    return builder(data)


def _tokens(text: str) -> int:
    """A stable stand-in for a tokenizer: about four characters per token."""
    return max(1, len(text) // 4)


class OfflineLLMClient:
    """LLMClient answering from the knowledge base; `pace_seconds` slows it down for live demos."""

    def __init__(self, pace_seconds: float = 0.0):
        self.pace_seconds = max(0.0, pace_seconds)

    def generate(self, request: LLMRequest) -> LLMResponse:
        try:
            payload = generate_payload(request.prompt, request.data)
            output = request.output_schema.model_validate(payload)
        except (ValueError, KeyError, TypeError) as exc:
            raise LLMError(f"offline answer failed: {exc}", code="invalid_output") from exc
        if self.pace_seconds:
            time.sleep(self.pace_seconds)  # cooperative under gevent's monkey-patching
        data_text = json.dumps(request.data, sort_keys=True, default=str)
        return LLMResponse(
            output=output,
            provider=OFFLINE_PROVIDER,
            model=OFFLINE_MODEL,
            input_tokens=_tokens(request.system) + _tokens(data_text),
            output_tokens=_tokens(json.dumps(payload, sort_keys=True)),
            offline=True,
        )
