"""The rate-limit store (services/throttle.py): fixed windows for the API's count, on real Redis and
in memory, and a Redis that is down leaves the limit in force from memory instead of failing."""

from __future__ import annotations

import uuid

import pytest
import redis

from services import throttle as throttle_module
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


def _shared_count(namespace: str) -> int:
    """What the API's counters of `namespace` hold in Redis, all callers together."""
    client = redis.Redis.from_url(REDIS_URL)
    return sum(int(client.get(key) or 0) for key in client.scan_iter(f"*{namespace}-fixed*"))


@pytest.mark.parametrize("storage", [REDIS_URL, None], ids=["redis", "memory"])
def test_a_leased_count_refuses_exactly_past_the_limit_in_one_process(storage):
    throttle = Throttle(storage, namespace=f"test-{uuid.uuid4().hex}")  # 90/minute: leases of 3
    verdicts = [throttle.count("90/minute", "api", "user:1") for _ in range(95)]
    assert [verdict.allowed for verdict in verdicts] == [True] * 90 + [False] * 5
    assert 1 <= verdicts[-1].retry_after <= 60


def test_a_process_takes_hits_from_the_shared_count_a_lease_at_a_time():
    namespace = f"test-{uuid.uuid4().hex}"
    throttle = Throttle(REDIS_URL, namespace=namespace)
    assert throttle.count("300/minute", "api", "user:1").allowed
    assert _shared_count(namespace) == throttle_module.LEASE_MAX  # ten hits taken at once
    for _ in range(throttle_module.LEASE_MAX - 1):
        assert throttle.count("300/minute", "api", "user:1").allowed
    assert _shared_count(namespace) == throttle_module.LEASE_MAX  # spent here, without asking Redis
    assert throttle.count("300/minute", "api", "user:1").allowed
    assert _shared_count(namespace) == 2 * throttle_module.LEASE_MAX


def test_a_lapsed_lease_is_not_spent(monkeypatch):
    namespace = f"test-{uuid.uuid4().hex}"
    throttle = Throttle(REDIS_URL, namespace=namespace)
    monkeypatch.setattr(throttle_module, "LEASE_SECONDS", 0.0)
    for _ in range(3):
        assert throttle.count("300/minute", "api", "user:1").allowed
    assert _shared_count(namespace) == 3 * throttle_module.LEASE_MAX


def test_processes_sharing_a_count_never_allow_more_than_the_limit_together():
    """Three processes' throttles on one Redis, a caller's requests dealt among them: no more than the
    limit gets through, and no fewer than the leases the other two may hold unspent allow."""
    namespace = f"test-{uuid.uuid4().hex}"
    processes = [Throttle(REDIS_URL, namespace=namespace) for _ in range(3)]
    allowed = sum(processes[i % 3].count("300/minute", "api", "user:1").allowed for i in range(400))
    assert 300 - 2 * (throttle_module.LEASE_MAX - 1) <= allowed <= 300
    assert processes[0].count("300/minute", "api", "user:2").allowed  # a caller of its own


@pytest.mark.parametrize("storage", [REDIS_URL, None], ids=["redis", "memory"])
def test_concurrent_requests_of_one_caller_share_a_lease_instead_of_taking_one_each(storage):
    """Taking a lease waits on the store; callers that all found the lease empty each took ten hits,
    so 60 concurrent requests used up a 300 limit and a burst was answered 429 (test_pool_deadlock)."""
    import gevent

    namespace = f"test-{uuid.uuid4().hex}"
    throttle = Throttle(storage, namespace=namespace)
    burst = [gevent.spawn(throttle.count, "300/minute", "api", "user:1") for _ in range(60)]
    gevent.joinall(burst, raise_error=True)
    assert all(job.value.allowed for job in burst)
    if storage:
        assert _shared_count(namespace) == 60  # six leases of ten, none taken twice
