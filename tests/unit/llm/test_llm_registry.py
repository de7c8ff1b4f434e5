"""The model registry: exact Decimal prices and clear errors for unknown or malformed models."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.llm import UnknownModelError, cost, load_registry
from services.llm.config import LLMConfig
from services.llm.registry import RegistryError, parse_registry, structured_mode


def test_costs_are_exact_decimals():
    assert cost("gpt-4o-mini", 1_000_000, 1_000_000) == Decimal("0.75")
    assert cost("gpt-4o-mini", 1234, 567) == Decimal("0.0005253")
    assert cost("gpt-4.1", 1, 1) == Decimal("0.00001")
    assert cost("claude-haiku-4-5", 1, 0) == Decimal("0.000001")
    assert cost("claude-sonnet-4-6", 3333, 777) == Decimal("0.021654")
    assert cost("offline", 10_000, 10_000) == Decimal(0)


def test_sum_of_many_small_costs_has_no_float_drift():
    total = sum((cost("gpt-4o-mini", 7, 3) for _ in range(1000)), Decimal(0))
    assert total == cost("gpt-4o-mini", 7000, 3000) == Decimal("0.00285")


SHIPPED = ("gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "claude-haiku-4-5", "claude-sonnet-4-6")


def test_the_shipped_registry_has_the_expected_models():
    registry = load_registry()
    for name in (*SHIPPED, "offline", "local"):
        assert name in registry
    assert registry.get("local").max_tokens_param == "max_tokens"
    assert structured_mode(LLMConfig(provider="anthropic"), registry.get("claude-haiku-4-5")) == "tool"
    assert structured_mode(LLMConfig(provider="openai"), registry.get("gpt-4o-mini")) == "json_schema"
    local = LLMConfig(provider="openai", openai_base_url="http://127.0.0.1:8080/v1")
    assert structured_mode(local, registry.get("local")) == "auto"
    for name in registry.names():
        model = registry.get(name)
        assert model.context_window > 0
        assert model.input_usd_per_mtok >= 0 and model.output_usd_per_mtok >= 0
        assert (model.input_usd_per_mtok == 0) == (model.provider == "offline")


def test_unknown_model_is_a_clear_error():
    with pytest.raises(UnknownModelError, match="gpt-9000.*known: .*gpt-4o-mini"):
        cost("gpt-9000", 1, 1)


def entry(**changes):
    """A valid registry entry with some fields changed."""
    values = {"provider": "openai", "context_window": 10, "input_usd_per_mtok": 1, "output_usd_per_mtok": 1}
    values.update(changes)
    return values


def test_yaml_floats_keep_their_decimal_value():
    registry = parse_registry({"models": {"m": entry(input_usd_per_mtok=0.15, output_usd_per_mtok=0.6)}})
    assert registry.get("m").id == "m"
    assert registry.cost("m", 1, 1) == Decimal("0.00000075")


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"provider": "acme"}, "provider"),
        ({"context_window": 0}, "context_window"),
        ({"input_usd_per_mtok": -1}, "non-negative"),
        ({"input_usd_per_mtok": "cheap"}, "number"),
        ({"output_usd_per_mtok": "NaN"}, "non-negative"),
        ({"provider": "anthropic", "structured_output": "xml"}, "structured_output"),
        ({"max_tokens_param": "tokens"}, "max_tokens_param"),
    ],
)
def test_malformed_entries_are_rejected(changes, problem):
    with pytest.raises(RegistryError, match=problem):
        parse_registry({"models": {"m": entry(**changes)}})


def test_empty_registry_is_rejected():
    with pytest.raises(RegistryError):
        parse_registry({"models": {}})
