"""The LLM layer: providers, model registry, retries, circuit breaker, rate limit, cache and cost.

Public API: `build_llm_client(LLMConfig) -> LLMClient`, `estimate_max_cost(request, model)`, and
`cost(model, input_tokens, output_tokens)`.
"""

from __future__ import annotations

from decimal import Decimal

from agents.ports import LLMRequest
from services.llm.client import ResilientLLMClient
from services.llm.config import LLMConfig
from services.llm.errors import LLMCallError
from services.llm.estimate import max_cost
from services.llm.factory import LLMConfigError, build_llm_client, checked_model
from services.llm.registry import ModelInfo, ModelRegistry, UnknownModelError, cost, load_registry


def estimate_max_cost(
    request: LLMRequest, model: str | ModelInfo, *, registry: ModelRegistry | None = None
) -> Decimal:
    """Upper bound in USD of one `generate(request)` on `model` (a registry name), for reservations."""
    info = model if isinstance(model, ModelInfo) else (registry or load_registry()).get(model)
    return max_cost(request, info)


__all__ = [
    "LLMCallError",
    "LLMConfig",
    "LLMConfigError",
    "ModelInfo",
    "ModelRegistry",
    "ResilientLLMClient",
    "UnknownModelError",
    "build_llm_client",
    "checked_model",
    "cost",
    "estimate_max_cost",
    "load_registry",
]
