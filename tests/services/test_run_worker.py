"""The run worker in-process, on SQLite and PostgreSQL with the real Redis (database 13).

Crashes and signals on real worker processes are in tests/e2e; here: what one job does, what the
watch pass recovers, and RQ executing a job through `perform_run`.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
import redis
from rq.job import Job
from sqlalchemy import update

from agents.state import Brief
from services.db import db, utcnow
from services.events import events_after
from services.holdings import holdings
from services.models import Run, RunStatus, User
from services.runs import RunService
from services.runs.host import RunHost
from services.runs.queue import RunQueue
from services.runs.wiring import build_run_wiring
from services.worker import RunWorker, run_worker
from tests.services.llm_support import CountingLLM
from tests.support.api import brief
from tests.support.isolation import redis_url
from tests.support.wiring import rewire

pytestmark = pytest.mark.redis
REDIS_URL = redis_url(13)


@pytest.fixture
def run_queue() -> Iterator[RunQueue]:
    connection = redis.Redis.from_url(REDIS_URL)
    queue = RunQueue(connection, name=f"test-worker-{uuid.uuid4().hex[:8]}")
    yield queue
    queue.queue.delete(delete_jobs=True)
    for key in connection.scan_iter(match="catalyst:runs:pending:*"):
        connection.delete(key)


def make_host(app, run_queue: RunQueue, service=None, **options) -> RunHost:
    return RunHost(app, service or holdings(app).runs, run_queue, **options)


def another_process(app) -> RunService:
    """A second run service on the same database, as another worker process has."""
    with app.app_context():
        engine = db.engine
    wiring = build_run_wiring(holdings(app).settings, engine)
    return RunService(wiring, publish=None, spawn=lambda fn, *a: None, context=app.app_context)


def create_run(app, make_user, **extra) -> str:
    user = make_user("executive")
    with app.app_context():
        service = holdings(app).runs
        return service.create(db.session.get(User, user.id), Brief.model_validate(brief(**extra))).id


def run_row(app, run_id: str) -> Run:
    with app.app_context():
        run = db.session.get(Run, run_id)
        db.session.expunge(run)
        return run


def events(app, run_id: str) -> list[dict]:
    with app.app_context():
        return events_after(db.engine, run_id)


def job_reasons(run_queue: RunQueue) -> list[str]:
    jobs = [Job.fetch(job_id, connection=run_queue.connection) for job_id in run_queue.queue.job_ids]
    return [job.meta["reason"] for job in jobs]


def test_a_job_executes_its_run_once(app, make_user, run_queue):
    host = make_host(app, run_queue)
    run_id = create_run(app, make_user)
    assert host.perform(run_id) == "executed"
    run = run_row(app, run_id)
    assert (run.status, run.owner) == (RunStatus.completed, None)
    assert host.perform(run_id) == "skipped", "a duplicate job is a no-op"


def test_a_job_dequeued_while_draining_goes_back_to_the_queue(app, make_user, run_queue):
    host = make_host(app, run_queue)
    run_id = create_run(app, make_user)
    host.drain.start()
    assert host.perform(run_id) == "deferred"
    assert run_row(app, run_id).status == RunStatus.queued
    assert job_reasons(run_queue) == ["deferred"]


def test_a_drained_run_is_released_and_the_next_worker_finishes_it(app, make_user, run_queue):
    host = make_host(app, run_queue)
    calls: Counter = Counter()
    rewire(host.service, client=lambda config, run_id: CountingLLM(calls, drain_after="branding", drain=host.drain))
    run_id = create_run(app, make_user)
    assert host.perform(run_id) == "released"
    run = run_row(app, run_id)
    assert (run.status, run.owner) == (RunStatus.running, None)
    assert job_reasons(run_queue) == ["released"]
    done_before = {e["agent"] for e in events(app, run_id) if e["type"] == "agent.completed"}
    assert "cfo" in done_before

    other = another_process(app)
    rewire(other, client=lambda config, run_id: CountingLLM(calls))
    assert make_host(app, run_queue, other).perform(run_id) == "executed"
    assert run_row(app, run_id).status == RunStatus.completed
    log = events(app, run_id)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    completed = Counter(e.get("agent") for e in log if e["type"] == "agent.completed")
    assert all(count == 1 for count in completed.values()), completed
    for agent in done_before:
        assert calls[agent] == 1, f"{agent} ran again: {calls}"
    other.executor.close()


def dead_owner(service) -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    host, pidns, _pid, _nonce = service.owner.split("|")
    return f"{host}|{pidns}|{child.pid}|deadbeef"


def orphan(app, run_id: str, owner: str, recoveries: int = 0) -> None:
    with app.app_context():
        db.session.execute(
            update(Run)
            .where(Run.id == run_id)
            .values(status=RunStatus.running, owner=owner, heartbeat_at=utcnow(), started_at=utcnow(),
                    recoveries=recoveries)  # fmt: skip
        )
        db.session.commit()


def test_the_watch_enqueues_orphans_and_fails_crash_loops(app, make_user, run_queue):
    host = make_host(app, run_queue, poll_seconds=0.0)
    orphaned = create_run(app, make_user, name="Orphaned")
    looping = create_run(app, make_user, name="Looping")
    orphan(app, orphaned, dead_owner(host.service))
    orphan(app, looping, dead_owner(host.service), recoveries=3)

    host.tick()
    assert run_row(app, orphaned).owner is None and run_row(app, orphaned).recoveries == 1
    assert job_reasons(run_queue) == ["recovered"]
    failed = run_row(app, looping)
    assert (failed.status, failed.error["code"]) == (RunStatus.failed, "crash_loop")

    assert host.perform(orphaned) == "executed"
    assert run_row(app, orphaned).status == RunStatus.completed


def test_the_watch_enqueues_runs_that_wait_without_a_job(app, make_user, run_queue):
    host = make_host(app, run_queue, poll_seconds=0.0)
    create_run(app, make_user)
    host.tick()
    assert job_reasons(run_queue) == ["sweep"]
    host.tick()
    assert job_reasons(run_queue) == ["sweep"], "a run with a waiting job is left alone"


def test_rq_executes_the_job_through_perform_run(app, make_user, run_queue):
    host = make_host(app, run_queue, poll_seconds=60.0)
    run_id = create_run(app, make_user)
    job_id = run_queue.enqueue(run_id)
    connection = redis.Redis.from_url(REDIS_URL)
    worker = RunWorker([run_queue.name], connection=connection, host=host, grace_seconds=5)
    with app.app_context():
        assert run_worker(worker, burst=True)
    assert run_row(app, run_id).status == RunStatus.completed
    job = Job.fetch(job_id, connection=run_queue.connection)
    assert (job.get_status(), job.return_value()) == ("finished", "executed")
