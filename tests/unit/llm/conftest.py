"""Fixtures for the LLM layer tests: fake providers over real HTTP, real Redis, fake clock/sleep."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

# The repository root must be importable (`services`, `agents`, `tests.fakes`). The project's
# pytest configuration normally does this; keep the suite runnable on its own as well.
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import redis  # noqa: E402

from services.llm import build_llm_client  # noqa: E402
from services.llm.client import ResilientLLMClient  # noqa: E402
from tests.fakes.anthropic_server import FakeAnthropicServer  # noqa: E402
from tests.fakes.fixtures import fake_anthropic, fake_openai  # noqa: E402,F401
from tests.fakes.openai_server import FakeOpenAIServer  # noqa: E402
from tests.fakes.scripted import ScriptedServer  # noqa: E402
from tests.unit.llm.llm_support import (  # noqa: E402
    REDIS_URL,
    FakeClock,
    SleepRecorder,
    config_for,
    plan_responder,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture(params=["openai", "anthropic"])
def server(request: pytest.FixtureRequest) -> Iterator[ScriptedServer]:
    """Each provider's fake, answering with `plan_responder`."""
    fake = FakeOpenAIServer(plan_responder) if request.param == "openai" else FakeAnthropicServer(plan_responder)
    with fake:
        yield fake


@pytest.fixture
def make_client(
    clock: FakeClock, sleeps: SleepRecorder
) -> Iterator[Callable[..., ResilientLLMClient]]:
    """Builds clients through the real factory, with their own breaker and a recording sleep."""
    built: list[ResilientLLMClient] = []

    def make(server: ScriptedServer, **overrides: Any) -> ResilientLLMClient:
        client = build_llm_client(config_for(server, **overrides), sleep=sleeps, clock=clock)
        assert isinstance(client, ResilientLLMClient)
        built.append(client)
        return client

    yield make
    for client in built:
        client.close()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix unique to the test; its keys are deleted afterwards."""
    prefix = f"catalyst-test:{uuid.uuid4().hex}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(match=f"*{prefix}*"))
    if keys:
        connection.delete(*keys)
    connection.close()
