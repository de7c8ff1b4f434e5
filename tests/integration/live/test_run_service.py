"""The run service and scheduler in-process on SQLite and PostgreSQL: queue, recovery, cancel, failure."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select, update

from agents.ports import LLMError
from agents.state import Brief
from services.db import db, utcnow
from services.events import events_after
from services.models import Run, RunStatus, User
from tests.integration.live import in_process
from tests.support.api import brief
from tests.support.wiring import rewire, with_policy, wrap_provider

service = in_process.service  # the fixtures, shared by the in-process run-service tests
executive = in_process.executive


def create(app, service, user, **extra) -> str:
    with app.app_context():
        return service.create(db.session.get(User, user.id), Brief.model_validate(brief(**extra))).id


def state(app, run_id: str) -> Run:
    with app.app_context():
        run = db.session.get(Run, run_id)
        db.session.expunge(run)
        return run


def types(app, run_id: str) -> list[str]:
    with app.app_context():
        return [e["type"] for e in events_after(db.engine, run_id)]


def orphan(app, run_id: str, owner: str, heartbeat_age: float = 0.0, recoveries: int = 0) -> None:
    """Make the run look as if `owner` was executing it (and maybe died)."""
    with app.app_context():
        db.session.execute(
            update(Run)
            .where(Run.id == run_id)
            .values(status=RunStatus.running, owner=owner, started_at=utcnow(), recoveries=recoveries,
                    heartbeat_at=utcnow() - timedelta(seconds=heartbeat_age))  # fmt: skip
        )
        db.session.commit()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def owner_like_us(service, pid: int) -> str:
    host, pidns, _pid, _nonce = service.owner.split("|")
    return f"{host}|{pidns}|{pid}|0badc0de"


def test_fifo_queue_positions_and_order(app, service, executive):
    ids = [create(app, service, executive, name=f"Run {n}") for n in range(3)]
    with app.app_context():
        assert [service.queue_position(db.session.get(Run, i)) for i in ids] == [1, 2, 3]
        assert service.scheduler.drain() == ids
    assert all(state(app, i).status == RunStatus.completed for i in ids)


def test_tick_executes_queued_runs_in_free_slots(app, service, executive):
    run_id = create(app, service, executive)
    with app.app_context():
        service.scheduler.tick()
    run = state(app, run_id)
    assert run.status == RunStatus.completed and run.owner is None and run.report_markdown
    assert run.started_at <= run.finished_at


def test_run_of_a_dead_process_on_this_host_is_recovered(app, service, executive):
    run_id = create(app, service, executive)
    orphan(app, run_id, owner_like_us(service, dead_pid()))
    with app.app_context():
        service.scheduler.tick()
    run = state(app, run_id)
    assert run.status == RunStatus.completed and run.recoveries == 1


def test_a_live_owner_keeps_its_run_until_its_heartbeat_is_stale(app, service, executive):
    run_id = create(app, service, executive)
    orphan(app, run_id, owner_like_us(service, os.getppid()))  # alive, fresh heartbeat
    with app.app_context():
        service.scheduler.tick()
    assert state(app, run_id).status == RunStatus.running
    orphan(app, run_id, "elsewhere|123|42|cafe", heartbeat_age=5)  # another host, fresh
    with app.app_context():
        service.scheduler.tick()
    assert state(app, run_id).status == RunStatus.running
    orphan(app, run_id, "elsewhere|123|42|cafe", heartbeat_age=service.scheduler.stale_after_seconds + 5)
    with app.app_context():
        service.scheduler.tick()
    assert state(app, run_id).status == RunStatus.completed


def test_a_run_that_keeps_crashing_its_process_is_failed(app, service, executive):
    run_id = create(app, service, executive)
    orphan(app, run_id, owner_like_us(service, dead_pid()), recoveries=service.scheduler.max_recoveries)
    with app.app_context():
        service.scheduler.tick()
    run = state(app, run_id)
    assert run.status == RunStatus.failed and run.error["code"] == "crash_loop"
    assert types(app, run_id)[-1] == "run.failed"


class CancelAfterFirstCall:
    """Answers offline, and after the first call asks for a cancel the way another process would."""

    def __init__(self, inner, engine, run_id):
        self.inner, self.engine, self.run_id, self.calls = inner, engine, run_id, 0

    def generate(self, request):
        self.calls += 1
        if self.calls == 2:
            with self.engine.begin() as conn:
                conn.execute(update(Run.__table__).where(Run.__table__.c.id == self.run_id).values(cancel_requested=True))
        return self.inner.generate(request)


def test_cancel_of_a_running_run_is_cooperative(app, service, executive):
    wrap_provider(service, lambda client, run_id: CancelAfterFirstCall(client, service.engine, run_id))
    run_id = create(app, service, executive)
    with app.app_context():
        service.scheduler.drain()
    run = state(app, run_id)
    assert run.status == RunStatus.cancelled and run.finished_at is not None
    seen = types(app, run_id)
    assert seen[-1] == "run.cancelled" and "run.completed" not in seen


class FailingSpecialist:
    def __init__(self, inner):
        self.inner = inner

    def generate(self, request):
        if request.agent == "legal":
            raise LLMError("provider said no", code="provider_error")
        return self.inner.generate(request)


def test_llm_failure_fails_the_run_visibly(app, service, executive):
    wrap_provider(service, lambda client, run_id: FailingSpecialist(client))
    run_id = create(app, service, executive)
    with app.app_context():
        service.scheduler.drain()
    run = state(app, run_id)
    assert run.status == RunStatus.failed and run.error["code"] == "provider_error"
    assert "agent.failed" in types(app, run_id) and types(app, run_id)[-1] == "run.failed"


def test_a_broken_hook_fails_the_run_instead_of_the_scheduler(app, service, executive):
    def broken(run, ai_ledger):
        raise RuntimeError("no ledger today")

    rewire(service, ledger=broken)
    run_id = create(app, service, executive)
    with app.app_context():
        service.scheduler.drain()
    run = state(app, run_id)
    assert run.status == RunStatus.failed and "no ledger today" in run.error["message"]
    assert types(app, run_id) == ["run.failed"]


def test_hooks_choose_policy_and_cap(app, service, executive):
    with_policy(
        service,
        overrun_policy=lambda org_id: "trim",
        resolve_ai_cap=lambda org_id, requested: requested or __import__("decimal").Decimal("1.25"),
    )
    run_id = create(app, service, executive, budget="1000")
    run = state(app, run_id)
    assert run.policy == "trim" and str(run.ai_cap_usd) == "1.250000"
    with app.app_context():
        service.scheduler.drain()
    assert state(app, run_id).status == RunStatus.completed  # trimmed instead of pausing


def test_a_terminal_event_is_published_only_once_its_status_is_recorded(app, service, executive):
    """Whatever a watcher does on `run.completed` or `run.paused` sees that state (no cancel
    accepted after completion, no 409 on an approve sent right after the pause)."""
    seen: list[tuple[str, str]] = []
    engine = service.engine

    def publish(run_id: str, event: dict) -> None:
        if event["type"] in ("run.completed", "run.paused", "run.failed", "run.cancelled"):
            with engine.connect() as conn:
                status = conn.execute(select(Run.status).where(Run.id == run_id)).scalar()
            seen.append((event["type"], status.value))

    service.executor.publish = publish
    done = create(app, service, executive)
    paused = create(app, service, executive, budget="2500")  # over budget: waits for an approval
    with app.app_context():
        service.scheduler.drain()
    assert state(app, done).status == RunStatus.completed
    assert state(app, paused).status == RunStatus.paused
    assert sorted(seen) == [("run.completed", "completed"), ("run.paused", "paused")]
