"""Fixtures for the LLM layer tests: fake providers over real HTTP, real Redis, fake clock/sleep."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from services.llm import build_llm_client
from services.llm.client import ResilientLLMClient
from tests.fakes.anthropic_server import FakeAnthropicServer
from tests.fakes.fixtures import fake_anthropic, fake_openai  # noqa: F401
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripted import ScriptedServer
from tests.unit.llm.llm_support import (
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
    kind = FakeOpenAIServer if request.param == "openai" else FakeAnthropicServer
    with kind(plan_responder) as fake:
        yield fake


@pytest.fixture
def make_client(clock: FakeClock, sleeps: SleepRecorder) -> Iterator[Callable[..., ResilientLLMClient]]:
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
