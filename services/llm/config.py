"""Settings of the LLM layer, as one immutable value the app builds from its own settings.

The LLM layer never reads the environment: the app's settings class is the one place that does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Provider = Literal["openai", "anthropic", "offline"]

# A hosted API answers in seconds; a model on the operator's own hardware (any base URL that is not
# a hosted provider) can need minutes for one structured answer on a small CPU.
HOSTED_TIMEOUT_SECONDS = 60.0
LOCAL_TIMEOUT_SECONDS = 300.0
_HOSTED_BASE_URLS = ("https://api.openai.com/", "https://api.anthropic.com/")


class LLMConfigError(ValueError):
    """The LLM configuration cannot work; raised when the client is built, before any run."""


@dataclass(frozen=True)
class LLMConfig:
    """Everything needed to build a client; defaults suit production, tests shrink the timings."""

    provider: Provider = "offline"
    model: str = "offline"
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    anthropic_api_key: str | None = field(default=None, repr=False)
    anthropic_base_url: str | None = None
    # None: HOSTED_TIMEOUT_SECONDS at a hosted provider, LOCAL_TIMEOUT_SECONDS at any other base URL.
    timeout_seconds: float | None = None
    max_retries: int = 3
    backoff_initial_seconds: float = 1.0
    backoff_max_seconds: float = 20.0
    retry_after_cap: float = 30.0
    breaker_failure_threshold: int = 5
    breaker_reset_seconds: float = 30.0
    rate_limit: str = "120/minute"
    rate_limit_max_wait_seconds: float = 30.0
    redis_url: str | None = None
    cache_key: bytes | None = field(default=None, repr=False)
    cache_ttl_seconds: int = 86_400
    key_prefix: str = "catalyst:llm"
    offline_pace_seconds: float = 0.0
    # Whose configuration this is ("org:7"); part of every cache key, with provider and base URL,
    # so one organisation's server can never plant answers another organisation receives.
    tenant: str = ""
    # The base URL in force was set by an org admin (not the operator's environment): every
    # connection is checked against private ranges unless `allowed_hosts` (LLM_ALLOWED_HOSTS) names it.
    guard_base_url: bool = False
    allowed_hosts: tuple[str, ...] = ()
    # How to ask for schema-shaped answers (services.llm.registry.STRUCTURED_OUTPUT_MODES); None:
    # the model's registry entry, else the provider's default for the base URL.
    structured_output: str | None = None
    # For a model that is not in the registry (any model an OpenAI-compatible server serves).
    input_usd_per_mtok: Decimal | None = None
    output_usd_per_mtok: Decimal | None = None
    context_window: int | None = None

    @property
    def base_url(self) -> str | None:
        """The configured base URL of the provider in force (None: the provider's own API)."""
        if self.provider == "openai":
            return self.openai_base_url
        if self.provider == "anthropic":
            return self.anthropic_base_url
        return None

    @property
    def hosted(self) -> bool:
        """True when calls go to a hosted provider's own API rather than a server of the operator's."""
        url = self.base_url
        return url is None or (url.rstrip("/") + "/").startswith(_HOSTED_BASE_URLS)

    @property
    def timeout(self) -> float:
        """Seconds one provider call may take."""
        if self.timeout_seconds is not None:
            return self.timeout_seconds
        return HOSTED_TIMEOUT_SECONDS if self.hosted else LOCAL_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if self.provider not in ("openai", "anthropic", "offline"):
            raise ValueError(f"unknown LLM provider {self.provider!r}")
        if self.timeout_seconds is not None and self.timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        for price in (self.input_usd_per_mtok, self.output_usd_per_mtok):
            if price is not None and (not price.is_finite() or price < 0):
                raise ValueError("prices must be non-negative numbers")
        if self.context_window is not None and self.context_window < 256:
            raise ValueError("context_window must be at least 256 tokens")
        if self.max_retries < 0:
            raise ValueError("max_retries must be zero or more")
        if self.breaker_failure_threshold < 1:
            raise ValueError("breaker_failure_threshold must be at least 1")
        if self.cache_key is not None and len(self.cache_key) < 16:
            raise ValueError("cache_key must be at least 16 bytes")
