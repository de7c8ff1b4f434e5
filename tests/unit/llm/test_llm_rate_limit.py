"""The per-provider rate limit: enforced, shared through Redis, and safe when Redis is down."""

from __future__ import annotations

import logging
import time
import uuid

import pytest

from agents.ports import LLMError
from services.llm.resilience import ProviderRateLimiter, RateLimited
from tests.unit.llm.llm_support import REDIS_URL, PlanAnswer, make_request

DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_client_refuses_calls_past_the_limit(server, make_client):
    client = make_client(server, rate_limit="2/minute", rate_limit_max_wait_seconds=0)
    client.generate(make_request())
    client.generate(make_request())

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())

    assert caught.value.code == "rate_limited"
    assert caught.value.retryable
    assert len(server.requests) == 2


def test_limiter_waits_for_a_free_slot():
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    limiter = ProviderRateLimiter(f"p-{uuid.uuid4().hex}", limit="1/second", max_wait_seconds=5, sleep=sleep)
    limiter.acquire()
    limiter.acquire()

    assert len(waits) >= 1
    assert all(0 < wait <= 1.1 for wait in waits)


def test_limit_is_shared_through_redis(redis_prefix):
    name = f"openai@{uuid.uuid4().hex}"
    first, second = (
        ProviderRateLimiter(
            name, limit="3/minute", redis_url=REDIS_URL, key_prefix=redis_prefix, max_wait_seconds=0
        )
        for _ in range(2)
    )
    first.acquire()
    second.acquire()
    first.acquire()

    with pytest.raises(RateLimited):
        second.acquire()
    assert first.using_redis and second.using_redis


def test_redis_failure_falls_back_to_memory_and_logs(caplog):
    limiter = ProviderRateLimiter("p", limit="1/minute", redis_url=DEAD_REDIS, max_wait_seconds=0)

    with caplog.at_level(logging.WARNING, logger="services.llm.resilience"):
        limiter.acquire()

    assert "in-process limit" in caplog.text
    assert not limiter.using_redis
    with pytest.raises(RateLimited):
        limiter.acquire()  # still limited, in memory


def test_client_keeps_working_when_redis_is_down(server, make_client):
    client = make_client(server, redis_url=DEAD_REDIS, cache_key=b"k" * 32)

    response = client.generate(make_request())

    assert isinstance(response.output, PlanAnswer)
    assert not response.cached
