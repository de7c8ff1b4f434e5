"""The Redis response cache: hits cost nothing, tampered entries are ignored, no key means no cache."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
import redis

from services.llm.cache import ResponseCache
from tests.unit.llm.llm_support import MODELS, REDIS_URL, PlanAnswer, make_request, provider_of

KEY = b"0123456789abcdef0123456789abcdef"


@pytest.fixture
def redis_client():
    connection = redis.Redis.from_url(REDIS_URL)
    yield connection
    connection.close()


def _cached_client(make_client, server, redis_prefix, **overrides):
    return make_client(server, redis_url=REDIS_URL, cache_key=KEY, key_prefix=redis_prefix, **overrides)


def test_second_identical_call_is_a_cache_hit(server, make_client, redis_prefix):
    client = _cached_client(make_client, server, redis_prefix)
    first = client.generate(make_request())

    second = client.generate(make_request(call_id="another-call", run_id="another-run"))

    assert len(server.requests) == 1
    assert not first.cached and first.cost_usd > 0
    assert second.cached
    assert second.cost_usd == Decimal(0)
    assert (second.input_tokens, second.output_tokens) == (0, 0)
    assert second.output == first.output
    assert isinstance(second.output, PlanAnswer)
    assert second.model == MODELS[provider_of(server)]


@pytest.mark.parametrize(
    "change",
    [
        {"data": {"company": {"name": "Other"}, "objectives": ["x"]}},
        {"prompt_version": "v2"},
        {"prompt": "reviewer"},
    ],
)
def test_different_requests_do_not_share_entries(server, make_client, redis_prefix, change):
    client = _cached_client(make_client, server, redis_prefix)
    client.generate(make_request())
    client.generate(make_request(**change))
    assert len(server.requests) == 2


def test_tampered_entry_is_ignored_and_logged(server, make_client, redis_prefix, redis_client, caplog):
    client = _cached_client(make_client, server, redis_prefix)
    client.generate(make_request())
    (key,) = list(redis_client.scan_iter(match=f"{redis_prefix}:cache:*"))
    stored = redis_client.get(key).decode()
    redis_client.set(key, stored.replace("planner for Acme Widgets", "planner for Evil Corp"))

    with caplog.at_level(logging.WARNING, logger="services.llm.cache"):
        response = client.generate(make_request())

    assert not response.cached
    assert response.output.summary == "planner for Acme Widgets"
    assert len(server.requests) == 2
    assert "bad signature" in caplog.text


def test_entry_signed_with_another_key_is_ignored(server, make_client, redis_prefix, redis_client):
    request = make_request()
    forger = ResponseCache(redis_client, secret=b"another-signing-key", ttl_seconds=60, prefix=redis_prefix)
    key = forger.key_for(MODELS[provider_of(server)], request)
    forger.put(key, {"output": {"summary": "forged", "milestones": []}})
    client = _cached_client(make_client, server, redis_prefix)

    response = client.generate(request)

    assert not response.cached
    assert response.output.summary != "forged"


def test_unparsable_entry_is_ignored(server, make_client, redis_prefix, redis_client):
    client = _cached_client(make_client, server, redis_prefix)
    client.generate(make_request())
    (key,) = list(redis_client.scan_iter(match=f"{redis_prefix}:cache:*"))
    redis_client.set(key, b"\xff\xfe garbage")

    response = client.generate(make_request())

    assert not response.cached
    assert len(server.requests) == 2


def test_without_a_key_nothing_is_cached(server, make_client, redis_prefix, redis_client):
    client = make_client(server, redis_url=REDIS_URL, cache_key=None, key_prefix=redis_prefix)
    client.generate(make_request())
    second = client.generate(make_request())

    assert not second.cached
    assert len(server.requests) == 2
    assert list(redis_client.scan_iter(match=f"{redis_prefix}:cache:*")) == []


def test_entries_expire(server, make_client, redis_prefix, redis_client):
    client = _cached_client(make_client, server, redis_prefix, cache_ttl_seconds=120)
    client.generate(make_request())
    (key,) = list(redis_client.scan_iter(match=f"{redis_prefix}:cache:*"))
    assert 0 < redis_client.ttl(key) <= 120
