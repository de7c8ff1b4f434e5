"""Helpers shared by the LLM layer tests: a small output schema, requests, clock and sleep fakes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agents.ports import LLMRequest
from services.llm import LLMConfig
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripted import ScriptedServer
from tests.support.isolation import redis_url

REDIS_URL = redis_url(0)
MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-haiku-4-5"}


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    week: int = Field(ge=1)


class PlanAnswer(BaseModel):
    """A small stand-in for the engine's output schemas."""

    summary: str
    milestones: list[Milestone]


def plan_responder(prompt: str, data: dict[str, Any]) -> dict[str, Any]:
    """Answers like a model would, from the data it was given."""
    company = data.get("company", {}).get("name", "?")
    return {
        "summary": f"{prompt} for {company}",
        "milestones": [
            {"title": objective, "week": week} for week, objective in enumerate(data.get("objectives", []), 1)
        ],
    }


def make_request(**overrides: Any) -> LLMRequest:
    values: dict[str, Any] = {
        "run_id": "run-1",
        "call_id": "run-1:planner:1",
        "agent": "cfo",
        "prompt": "planner",
        "prompt_version": "v1",
        "system": "You are the CFO. Turn the objectives into milestones.",
        "data": {
            "company": {"name": "Acme Widgets", "industry": "Technology", "location": "Austin, TX"},
            "objectives": ["Launch product", "Hire a designer"],
        },
        "output_schema": PlanAnswer,
        "max_tokens": 400,
    }
    values.update(overrides)
    return LLMRequest(**values)


class FakeClock:
    """A monotonic clock the breaker tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class SleepRecorder:
    """Records the waits the retry policy asks for instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def provider_of(server: ScriptedServer) -> str:
    return "openai" if isinstance(server, FakeOpenAIServer) else "anthropic"


def config_for(server: ScriptedServer, **overrides: Any) -> LLMConfig:
    """Tiny timings so failure paths stay fast; no Redis unless asked."""
    provider = provider_of(server)
    values: dict[str, Any] = {
        "provider": provider,
        "model": MODELS[provider],
        "timeout_seconds": 2.0,
        "max_retries": 2,
        "backoff_initial_seconds": 0.01,
        "backoff_max_seconds": 0.02,
        "retry_after_cap": 5.0,
        "breaker_failure_threshold": 50,
        "breaker_reset_seconds": 30.0,
        "rate_limit": "1000/second",
    }
    if provider == "openai":
        values.update(openai_api_key="sk-test-openai-key", openai_base_url=server.base_url)
    else:
        values.update(anthropic_api_key="sk-test-anthropic-key", anthropic_base_url=server.base_url)
    values.update(overrides)
    return LLMConfig(**values)
