"""Settings of the LLM layer, as one immutable value the app builds from its own settings.

The LLM layer never reads the environment: the app's settings class is the one place that does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Provider = Literal["openai", "anthropic", "offline"]


@dataclass(frozen=True)
class LLMConfig:
    """Everything needed to build a client; defaults suit production, tests shrink the timings."""

    provider: Provider = "offline"
    model: str = "offline"
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    anthropic_api_key: str | None = field(default=None, repr=False)
    anthropic_base_url: str | None = None
    timeout_seconds: float = 60.0
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

    def __post_init__(self) -> None:
        if self.provider not in ("openai", "anthropic", "offline"):
            raise ValueError(f"unknown LLM provider {self.provider!r}")
        if self.timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        if self.max_retries < 0:
            raise ValueError("max_retries must be zero or more")
        if self.breaker_failure_threshold < 1:
            raise ValueError("breaker_failure_threshold must be at least 1")
        if self.cache_key is not None and len(self.cache_key) < 16:
            raise ValueError("cache_key must be at least 16 bytes")
