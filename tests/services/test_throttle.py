"""The rate-limit store (services/throttle.py): fixed windows for the API's count, on real Redis and
in memory, and a Redis that is down leaves the limit in force from memory instead of failing."""

from __future__ import annotations

import uuid

import pytest

from services.throttle import Throttle
from tests.conftest import REDIS_URL

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.mark.parametrize("storage", [REDIS_URL, None], ids=["redis", "memory"])
def test_count_refuses_past_the_limit_and_says_when_the_window_ends(storage):
    throttle, caller = Throttle(storage, namespace=f"test-{uuid.uuid4().hex}"), "user:1"
    verdicts = [throttle.count("3/minute", "api", caller) for _ in range(4)]
    assert [verdict.allowed for verdict in verdicts] == [True, True, True, False]
    assert 1 <= verdicts[-1].retry_after <= 60
    assert throttle.count("3/minute", "api", "user:2").allowed  # each caller has a window of its own


def test_count_and_hit_keep_apart_in_redis(caplog):
    """The API's fixed window and a moving one of the same limit and keys are different counts,
    both kept in Redis (a shared key would hold the wrong kind of value for one of them)."""
    throttle = Throttle(REDIS_URL, namespace=f"test-{uuid.uuid4().hex}")
    assert [throttle.count("2/minute", "k").allowed for _ in range(3)] == [True, True, False]
    assert [throttle.hit("2/minute", "k").allowed for _ in range(3)] == [True, True, False]
    assert "using memory" not in caplog.text


def test_a_store_that_is_down_still_limits_from_memory(caplog):
    throttle = Throttle(DOWN, namespace=f"test-{uuid.uuid4().hex}")
    assert [throttle.count("2/minute", "api", "user:1").allowed for _ in range(3)] == [True, True, False]
    assert "rate limit storage unavailable, using memory" in caplog.text
