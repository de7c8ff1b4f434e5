"""The model registry: which provider serves a model and what its tokens cost.

Loaded from `config/models.yaml`. Costs are exact `Decimal`s (no rounding), so AI-spend caps and
the ledger add up to the last token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from services.llm.config import LLMConfig, LLMConfigError

DEFAULT_REGISTRY_PATH = Path(__file__).resolve().parents[2] / "config" / "models.yaml"
_MILLION = Decimal(1_000_000)
# The context window assumed for a model outside the registry when LLM_CONTEXT_WINDOW is unset:
# small enough for the small models people serve locally.
DEFAULT_CONTEXT_WINDOW = 8192
_PROVIDERS = ("openai", "anthropic", "offline")
# How each provider can be asked for an answer that matches a JSON schema (see `structured_mode`).
STRUCTURED_OUTPUT_MODES = {
    "openai": ("auto", "json_schema", "json_object_schema", "json_object", "prompt"),
    "anthropic": ("tool", "output_format"),
    "offline": (),
}
_MAX_TOKENS_PARAMS = ("max_completion_tokens", "max_tokens")


class UnknownModelError(LLMConfigError):
    """The configured model is not in the registry, so its price is unknown."""


class RegistryError(ValueError):
    """`models.yaml` is malformed."""


@dataclass(frozen=True)
class ModelInfo:
    """One registry entry. `name` is ours; `id` is what the provider calls the model."""

    name: str
    provider: str
    id: str
    context_window: int
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    # None: the provider's default (`tool` for Anthropic; for OpenAI-compatible servers
    # `json_schema` at OpenAI itself and `auto` at any other base URL).
    structured_output: str | None = None
    max_tokens_param: str = "max_completion_tokens"
    # False for a model outside the registry whose price nobody configured: its cost counts as 0
    # and is shown as "price not set", never as free.
    priced: bool = True

    def cost(self, input_tokens: int, output_tokens: int) -> Decimal:
        """Exact USD cost of the given usage."""
        if input_tokens < 0 or output_tokens < 0:
            raise ValueError("token counts cannot be negative")
        return (
            Decimal(input_tokens) * self.input_usd_per_mtok
            + Decimal(output_tokens) * self.output_usd_per_mtok
        ) / _MILLION


class ModelRegistry:
    """Models by name; looking up an unknown name fails loudly."""

    def __init__(self, models: Mapping[str, ModelInfo]):
        self._models = dict(models)

    def get(self, name: str) -> ModelInfo:
        try:
            return self._models[name]
        except KeyError:
            known = ", ".join(sorted(self._models))
            raise UnknownModelError(f"model {name!r} is not in the model registry (known: {known})") from None

    def names(self) -> list[str]:
        return sorted(self._models)

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> Decimal:
        return self.get(model).cost(input_tokens, output_tokens)

    def __contains__(self, name: object) -> bool:
        return name in self._models


def _price(name: str, entry: Mapping[str, Any], key: str) -> Decimal:
    raw = entry.get(key)
    try:
        # str() first: a YAML float such as 0.15 becomes Decimal("0.15"), not its binary value.
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise RegistryError(f"model {name!r}: {key} must be a number, got {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise RegistryError(f"model {name!r}: {key} must be a non-negative number")
    return value


def _model(name: str, entry: Any) -> ModelInfo:
    if not isinstance(entry, Mapping):
        raise RegistryError(f"model {name!r}: entry must be a mapping")
    provider = entry.get("provider")
    if provider not in _PROVIDERS:
        raise RegistryError(f"model {name!r}: provider must be one of {_PROVIDERS}")
    structured = entry.get("structured_output")
    modes = STRUCTURED_OUTPUT_MODES[provider]
    if structured is not None and structured not in modes:
        raise RegistryError(f"model {name!r}: structured_output must be one of {modes}")
    max_tokens_param = entry.get("max_tokens_param", "max_completion_tokens")
    if max_tokens_param not in _MAX_TOKENS_PARAMS:
        raise RegistryError(f"model {name!r}: max_tokens_param must be one of {_MAX_TOKENS_PARAMS}")
    context_window = entry.get("context_window")
    if not isinstance(context_window, int) or context_window <= 0:
        raise RegistryError(f"model {name!r}: context_window must be a positive integer")
    return ModelInfo(
        name=name,
        provider=provider,
        id=str(entry.get("id") or name),
        context_window=context_window,
        input_usd_per_mtok=_price(name, entry, "input_usd_per_mtok"),
        output_usd_per_mtok=_price(name, entry, "output_usd_per_mtok"),
        structured_output=structured,
        max_tokens_param=max_tokens_param,
    )


def parse_registry(document: Any) -> ModelRegistry:
    """Build a registry from the parsed YAML document."""
    models = document.get("models") if isinstance(document, Mapping) else None
    if not isinstance(models, Mapping) or not models:
        raise RegistryError("models.yaml must have a non-empty `models` mapping")
    return ModelRegistry({str(name): _model(str(name), entry) for name, entry in models.items()})


@lru_cache(maxsize=8)
def load_registry(path: Path = DEFAULT_REGISTRY_PATH) -> ModelRegistry:
    """Read and validate a registry file (cached per path; the file is configuration)."""
    with open(path, encoding="utf-8") as handle:
        return parse_registry(yaml.safe_load(handle))


def resolve_model(config: LLMConfig, registry: ModelRegistry | None = None) -> ModelInfo:
    """The model `config` names: its registry entry, or, at a configured OpenAI-compatible base
    URL, whatever model that server serves, priced from the configuration (unset: not priced)."""
    registry = registry or load_registry()
    if config.model in registry:
        return registry.get(config.model)
    if config.provider != "openai" or not config.openai_base_url:
        known = ", ".join(registry.names())
        raise UnknownModelError(
            f"model {config.model!r} is not in the model registry (known: {known}); a model of your own "
            "server needs OPENAI_BASE_URL (set LLM_INPUT_USD_PER_MTOK and LLM_OUTPUT_USD_PER_MTOK for its price)"
        )
    prices = (config.input_usd_per_mtok, config.output_usd_per_mtok)
    return ModelInfo(
        name=config.model,
        provider="openai",
        id=config.model,
        context_window=config.context_window or DEFAULT_CONTEXT_WINDOW,
        input_usd_per_mtok=prices[0] or Decimal(0),
        output_usd_per_mtok=prices[1] or Decimal(0),
        # OpenAI's own newer name is unknown to most other servers; the old one works everywhere.
        max_tokens_param="max_tokens",
        priced=any(price is not None for price in prices),
    )


def structured_mode(config: LLMConfig, model: ModelInfo) -> str:
    """How calls ask for schema-shaped answers: the setting, the model's entry, or the default."""
    mode = config.structured_output or model.structured_output
    if mode is None:
        if model.provider == "anthropic":
            return "tool"
        return "json_schema" if config.hosted else "auto"
    if mode not in STRUCTURED_OUTPUT_MODES[model.provider]:
        modes = ", ".join(STRUCTURED_OUTPUT_MODES[model.provider])
        raise RegistryError(f"structured output {mode!r} does not exist for {model.provider} (choose one of {modes})")
    return mode


def cost(model: str, input_tokens: int, output_tokens: int) -> Decimal:
    """Exact USD cost of a usage on a model from the default registry."""
    return load_registry().cost(model, input_tokens, output_tokens)
