"""Draining a process: runs stop at their next LLM call, keep what finished, and are released."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from types import SimpleNamespace

import pytest

from agents.memory import MemoryLedger
from agents.state import Brief
from agents.workflow import Workflow
from services.db import db
from services.events import RunEventSink, events_after
from services.holdings import holdings
from services.models import Run, RunStatus, User
from services.runs.drain import Drain, DrainingLLM, ShutdownRequested
from tests.services.llm_support import CountingLLM
from tests.support.api import brief
from web.shutdown import close_transports


def test_a_draining_llm_refuses_new_calls_without_looking_like_a_failure():
    calls: Counter = Counter()
    drain = Drain()
    llm = DrainingLLM(CountingLLM(calls), drain)
    request = SimpleNamespace(agent="cfo")
    drain.start()
    with pytest.raises(ShutdownRequested):
        llm.generate(request)
    assert calls == Counter(), "the call never reached the provider"
    assert not issubclass(ShutdownRequested, Exception), "no `except Exception` may swallow it"


def test_a_drained_run_keeps_finished_work_and_resumes_elsewhere(app, make_user):
    user = make_user("executive")
    service = holdings(app).runs
    drain = service.wiring.drain
    calls: Counter = Counter()
    service.wiring = replace(
        service.wiring, client=lambda config, run_id: CountingLLM(calls, drain_after="cfo", drain=drain)
    )
    with app.app_context():
        run_id = service.create(db.session.get(User, user.id), Brief.model_validate(brief())).id
        service.scheduler.drain()  # executes in this greenlet; the planner's call starts the drain
        run = db.session.get(Run, run_id)
        assert (run.status, run.owner, run.error) == (RunStatus.running, None, None), "released, not failed"
        types = [e["type"] for e in events_after(db.engine, run_id)]
        assert "run.failed" not in types and "run.cancelled" not in types
        finished = {(e["type"], e.get("agent")) for e in events_after(db.engine, run_id)}
        assert ("agent.completed", "cfo") in finished

        # Another process continues from the checkpoint.
        sink = RunEventSink(db.engine, run_id)
        saver = service.executor.checkpointer()
        outcome = Workflow(CountingLLM(calls), sink, MemoryLedger(), saver).resume(run_id)
        assert outcome.status == "completed"
        events = events_after(db.engine, run_id)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    completed = Counter(e.get("agent") for e in events if e["type"] == "agent.completed")
    assert completed["cfo"] == 1 and all(count == 1 for count in completed.values()), completed
    assert calls["cfo"] == 1, "the planner finished before the drain and did not run again"
    service.stop()


def test_stop_runs_on_an_idle_process_releases_nothing(app):
    service = holdings(app).runs
    assert service.stop_draining(0.1) == []
    assert service.wiring.drain.active


class FakeTransport:
    def __init__(self) -> None:
        self.closed_with: dict | None = None

    def close(self, **kwargs: bool) -> None:
        self.closed_with = kwargs


def test_transports_are_dropped_without_a_close_packet():
    transports = [FakeTransport(), FakeTransport()]
    server = SimpleNamespace(eio=SimpleNamespace(sockets={"a": transports[0], "b": transports[1]}))
    assert close_transports(server) == 2
    assert all(t.closed_with == {"wait": False, "abort": True} for t in transports)
    assert close_transports(None) == 0
