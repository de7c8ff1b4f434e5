"""The RQ job queue of the queue executor, on the real Redis (database 13, a queue of its own)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
import redis
from rq import Queue
from rq.job import Job

from services.runs import RunService
from services.runs.queue import JOB_FUNCTION, RunQueue, pending_key
from services.runs.wiring import job_queue
from tests.support.isolation import redis_url

pytestmark = pytest.mark.redis
REDIS_URL = redis_url(13)


@pytest.fixture
def connection() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def run_queue(connection: redis.Redis) -> Iterator[RunQueue]:
    queue = RunQueue(connection, name=f"test-runs-{uuid.uuid4().hex[:8]}")
    yield queue
    queue.queue.empty()
    queue.queue.delete(delete_jobs=True)
    for key in connection.scan_iter(match="catalyst:runs:pending:test-*"):
        connection.delete(key)


def run() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def test_a_run_is_enqueued_once_while_its_job_waits(run_queue, connection):
    run_id = run()
    job_id = run_queue.enqueue(run_id)
    assert job_id is not None and job_id.startswith(f"{run_id}-")
    assert run_queue.enqueue(run_id) is None, "a second job while one is pending"
    assert run_queue.queue.job_ids == [job_id]

    job = Job.fetch(job_id, connection=connection)
    assert job.func_name == JOB_FUNCTION
    assert job.args == (run_id,)
    assert job.timeout == -1, "runs are not killed by a job timeout"
    assert job.meta["run_id"] == run_id
    assert connection.get(pending_key(run_id)) == job_id.encode()


def test_a_started_job_lets_the_next_change_enqueue_again(run_queue):
    run_id = run()
    first = run_queue.enqueue(run_id)
    run_queue.taken(run_id, "someone-elses-job")
    assert run_queue.enqueue(run_id) is None, "the marker belongs to the first job"
    run_queue.taken(run_id, first)
    second = run_queue.enqueue(run_id, reason="approved")
    assert second not in (None, first)
    assert run_queue.queue.job_ids == [first, second]


def test_unqueued_lists_runs_whose_job_is_not_waiting(run_queue):
    waiting, lost, never = run(), run(), run()
    run_queue.enqueue(waiting)
    lost_job = run_queue.enqueue(lost)
    run_queue.queue.remove(lost_job)  # dequeued by a worker that died before claiming it
    assert run_queue.unqueued([waiting, lost, never]) == [lost, never]
    assert run_queue.unqueued([]) == []

    run_queue.notify(lost, reason="sweep", replace_marker=True)
    assert run_queue.unqueued([waiting, lost]) == []
    assert len(run_queue.queue.job_ids) == 2


def test_notify_survives_redis_being_down():
    queue = RunQueue.from_url("redis://127.0.0.1:1/0", name="unreachable")
    queue.notify(run())  # logged, not raised: the workers' watch enqueues the run later
    with pytest.raises(redis.ConnectionError):
        queue.enqueue(run())


def test_jobs_land_in_the_named_rq_queue(run_queue, connection):
    run_queue.enqueue(run())
    assert Queue(run_queue.name, connection=connection).count == 1


def test_the_queue_executor_plugs_into_the_run_service(connection):
    assert job_queue(SimpleNamespace(run_executor="inline", redis_url=REDIS_URL)) is None
    assert job_queue(SimpleNamespace(run_executor="queue", redis_url=None)) is None
    woken = []
    inline = SimpleNamespace(
        wiring=SimpleNamespace(queue=None, announce=None), scheduler=SimpleNamespace(wake=lambda: woken.append(1))
    )
    RunService._queued(inline, run(), "queued")
    assert woken == [1], "without a job queue the scheduler's wake-up stays"

    queue = job_queue(SimpleNamespace(run_executor="queue", redis_url=REDIS_URL))
    service = SimpleNamespace(wiring=SimpleNamespace(queue=queue, announce=None), scheduler=None)
    run_id = run()
    try:
        RunService._queued(service, run_id, "approved")  # as RunService calls it after its commit
        (job_id,) = queue.queue.job_ids
        assert Job.fetch(job_id, connection=connection).meta == {"run_id": run_id, "reason": "approved"}
    finally:
        queue.queue.delete(delete_jobs=True)
        connection.delete(pending_key(run_id))
