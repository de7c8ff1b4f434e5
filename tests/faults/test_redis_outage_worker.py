"""A run worker survives a Redis outage, idle or while its job finishes, and works on afterwards.

Real processes: `python app.py` (RUN_EXECUTOR=queue), `flask --app app worker`, and a private
redis-server that the test stops for OUTAGE_SECONDS. The restarted Redis is empty (no
persistence), as after a flush or a failover to a fresh replica: the `runs` table is the truth and
the worker's sweep enqueues what waits. Runs started while Redis is down could not be enqueued.
"""

from __future__ import annotations

import signal
import time

import pytest

from tests.faults.conftest import QueueStack
from tests.support.polling import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.slow]

OUTAGE_SECONDS = 20
FAST = "0.03"  # the offline provider's delay per call: a run takes about half a second
MIDRUN = "1.0"  # a run takes several seconds, so Redis can go while it runs and come back after it ends


def finishes(stack: QueueStack, run_id: str, timeout: float = 90) -> None:
    def done() -> bool:
        stack.assert_workers_alive()
        return stack.run_row(run_id)["status"] == "completed"

    wait_for(done, timeout, f"run {run_id} to complete")


def test_worker_survives_an_idle_outage_and_takes_runs_after(queue_stack) -> None:
    stack: QueueStack = queue_stack(OFFLINE_PACE_SECONDS=FAST)
    finishes(stack, stack.start_run("Before"))  # the worker is up and dequeuing

    stack.redis.stop()
    time.sleep(OUTAGE_SECONDS / 2)
    during = stack.start_run("During")  # cannot be enqueued: the sweep must find it
    time.sleep(OUTAGE_SECONDS / 2)
    stack.assert_workers_alive()
    assert stack.run_row(during)["status"] == "queued"
    stack.redis.start()

    finishes(stack, during)
    finishes(stack, stack.start_run("After"))
    stack.assert_workers_alive()

    # Stopped while Redis is away, it still drains and exits cleanly (its Redis record expires).
    stack.redis.stop()
    time.sleep(2)
    worker = stack.workers[0]
    worker.signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0, worker.output()


def test_worker_survives_a_job_finishing_during_an_outage(queue_stack) -> None:
    stack: QueueStack = queue_stack(OFFLINE_PACE_SECONDS=MIDRUN)
    first = stack.start_run("Midway")
    wait_for(lambda: stack.run_row(first)["last_seq"] >= 3, 60, "the run to be under way")

    stack.redis.stop()
    down_since = time.monotonic()
    assert stack.run_row(first)["status"] == "running", "the run ended before Redis went away"
    during = stack.start_run("During")
    # The job ends while Redis is away: RQ's bookkeeping after it (result, registries) fails.
    wait_for(lambda: stack.run_row(first)["status"] == "completed", 90, "the run to complete in the outage")
    time.sleep(max(2.0, OUTAGE_SECONDS - (time.monotonic() - down_since)))
    stack.assert_workers_alive()
    stack.redis.start()

    finishes(stack, during)
    finishes(stack, stack.start_run("After"))
    stack.assert_workers_alive()
