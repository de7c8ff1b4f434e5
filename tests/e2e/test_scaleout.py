"""Scale-out end to end: nginx, two app processes, run workers, Redis and PostgreSQL, for real.

Runs execute in worker processes (RUN_EXECUTOR=queue), their events reach watchers on any app
process through the Redis message queue, and a worker or app process that dies or is stopped
never costs a run an event or a repeated agent.
"""

from __future__ import annotations

import signal
from collections import Counter

import pytest
import socketio

from tests.e2e.conftest import GRACE_SECONDS, SPECIALISTS, Stack, other_port, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(240)]


def ended_in(processes, run_id: str) -> list:
    """The processes whose log says they finished the run."""
    line = f'"event": "run ended", "run_id": "{run_id}", "status": "completed"'
    return [process for process in processes if line in process.output()]


def started_agents(stack: Stack, run_id: str) -> set[str]:
    return {e["agent"] for e in stack.events(run_id) if e["type"] == "agent.started"}


def assert_gap_free_once_each(stack: Stack, run_id: str) -> list[dict]:
    """The stored log is 1..N and every agent completed exactly once; returns the log."""
    events = stack.events(run_id)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    completed = Counter(e["agent"] for e in events if e["type"] == "agent.completed")
    assert set(completed) >= {"cfo", *SPECIALISTS, "reviewer", "reporter"}, completed
    assert all(count == 1 for count in completed.values()), completed
    return events


def test_a_watcher_on_one_process_gets_every_event_of_a_run_started_on_the_other(stack: Stack):
    stack.llm.delays.update({name: 0.15 for name in ("planner", *SPECIALISTS, "reviewer", "reporter")})
    watched_port = stack.upstream_for_us()
    api_port = other_port(stack, watched_port)
    watcher = stack.watcher()
    try:
        run_id = stack.start_run(api_port, "Through the proxy")
        watcher.watch(run_id)
        watcher.wait_finished(run_id, timeout=60)
        stack.wait_status(run_id, "completed")
        stored = assert_gap_free_once_each(stack, run_id)
        assert watcher.seqs(run_id) == [e["seq"] for e in stored]
        assert watcher.types(run_id) == [e["type"] for e in stored]
        assert stack.through_proxy(f"/api/runs/{run_id}").json()["status"] == "completed"
    finally:
        watcher.disconnect()
    enqueued = f'"run enqueued", "run_id": "{run_id}"'
    assert enqueued in stack.web[api_port].output(), "the API process put the run on the job queue"
    assert len(ended_in(stack.workers, run_id)) == 1, "one worker executed the run"
    assert not ended_in(stack.web.values(), run_id), "app processes never execute runs in queue mode"


def test_approve_and_cancel_reach_the_worker_whichever_process_receives_them(stack: Stack):
    ports = list(stack.web)
    # An overrun pauses the run for approval; the approval, sent to the other process, queues it
    # again with the decision and a worker continues it.
    paused = stack.start_run(ports[0], "Approved", budget="1000")
    stack.wait_status(paused, "paused", timeout=30)
    decision = {"decision": "approve", "note": "ok"}
    approved = stack.direct(ports[1], "POST", f"/api/runs/{paused}/approve", json=decision)
    assert approved.status_code == 200, approved.text
    stack.wait_status(paused, "completed", timeout=60)
    events = assert_gap_free_once_each(stack, paused)
    assert [e["type"] for e in events].count("approval.decided") == 1

    # A cancel lands in the database; the worker executing the run stops it at its next boundary.
    stack.llm.delays.update({name: 3.0 for name in SPECIALISTS})
    running = stack.start_run(ports[0], "Cancelled")
    wait_for(lambda: started_agents(stack, running) >= set(SPECIALISTS), 30, "every specialist to be working")
    worker = stack.worker_holding(running)
    cancelled = stack.direct(ports[1], "POST", f"/api/runs/{running}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    stack.wait_status(running, "cancelled", timeout=30)
    assert stack.events(running)[-1]["type"] == "run.cancelled"
    assert f'"event": "run ended", "run_id": "{running}", "status": "cancelled"' in worker.output()


def test_a_worker_killed_mid_run_is_detected_and_another_resumes_from_the_checkpoint(stack: Stack):
    # The first specialist answers quickly, the other five take long enough to kill the worker.
    stack.llm.delays.update({"branding": 0.2, **{name: 6.0 for name in SPECIALISTS if name != "branding"}})
    port = next(iter(stack.web))
    run_id = stack.start_run(port, "Killed worker")
    wait_for(lambda: "branding" in stack.completed_agents(run_id), 30, "the first specialist to finish")
    victim = stack.worker_holding(run_id)
    done_before = stack.completed_agents(run_id)
    victim.process.send_signal(signal.SIGKILL)
    victim.process.wait(timeout=10)
    stack.llm.delays.clear()  # the resumed specialists answer at once

    stack.wait_status(run_id, "completed", timeout=60)
    assert_gap_free_once_each(stack, run_id)
    assert len(done_before & set(SPECIALISTS)) < len(SPECIALISTS), "the kill must land mid-execution"
    calls = stack.llm.calls()
    for agent in done_before:
        prompt = "planner" if agent == "cfo" else agent
        assert calls.get(prompt) == 1, f"{agent} finished before the kill and ran again: {calls}"
    resumed = [e["data"].get("after") for e in stack.events(run_id) if e["type"] == "run.resumed"]
    assert resumed == ["restart"]
    assert stack.run_row(run_id)["recoveries"] == 1
    survivors = stack.live_workers()
    assert ended_in(survivors, run_id), "another worker finished it"
    recovered = f'"recovering a run whose worker is gone", "run_id": "{run_id}"'
    assert any(recovered in worker.output() for worker in survivors)
    stack.start_worker()  # back to two live workers


def test_sigterm_to_a_busy_worker_hands_the_run_on_within_the_grace_period(stack: Stack):
    stack.llm.delays.update({name: 2.0 for name in SPECIALISTS})
    run_id = stack.start_run(next(iter(stack.web)), "Stopped worker")
    wait_for(lambda: started_agents(stack, run_id) >= set(SPECIALISTS), 30, "every specialist to be working")
    worker = stack.worker_holding(run_id)
    worker.signal(signal.SIGTERM)
    assert worker.wait(timeout=GRACE_SECONDS + 60) == 0, worker.output()[-3000:]
    # It drained at the run's next LLM call, not at the end of the grace period.
    assert "the run did not stop within the grace period" not in worker.output()
    row = stack.run_row(run_id)
    assert row["status"] in ("running", "completed") and row["error"] is None

    stack.wait_status(run_id, "completed", timeout=60)
    assert_gap_free_once_each(stack, run_id)
    calls = stack.llm.calls()
    for specialist in SPECIALISTS:
        assert calls[specialist] == 1, f"{specialist} was in flight at SIGTERM and ran again: {calls}"
    assert "run released for another worker" in worker.output()
    assert ended_in(stack.live_workers(), run_id), "another worker finished it"
    assert stack.run_row(run_id)["recoveries"] == 0, "handed on, not recovered as an orphan"

    idle = next(w for w in stack.live_workers())
    idle.signal(signal.SIGTERM)
    assert idle.wait(timeout=60) == 0
    assert "stop requested while idle" in idle.output(), "an idle worker stops at once, waiting for nothing"
    stack.start_worker()


def test_sigterm_to_an_app_process_moves_its_watchers_to_the_other_without_a_gap(stack: Stack):
    assert stack.live_workers(), "a worker executes the run"
    stack.llm.delays.update({"planner": 1.0, **{name: 1.5 for name in SPECIALISTS}, "reviewer": 1.0})
    watched_port = stack.upstream_for_us()
    survivor = other_port(stack, watched_port)
    watcher = stack.watcher()
    try:
        run_id = stack.start_run(survivor, "Stopped app process")
        watcher.watch(run_id)
        watcher.wait_until(lambda: "phase.started" in watcher.types(run_id), 30, "the run to be under way")

        stopped = stack.web[watched_port]
        stopped.signal(signal.SIGTERM)
        watcher.wait_until(watcher.disconnected.is_set, GRACE_SECONDS + 5, "the socket to drop")
        # A dropped transport, not a Socket.IO disconnect: browsers reconnect by themselves.
        assert watcher.disconnect_reasons[:1] == [socketio.Client.reason.TRANSPORT_ERROR]
        seen_before = watcher.seqs(run_id)[-1]

        # What a browser does on a dropped transport: connect again (nginx picks the live
        # process) and watch from the last seq it has.
        watcher.reconnect([run_id])
        assert stack.upstream_for_us() == survivor
        watcher.wait_finished(run_id, timeout=60)
        assert stopped.wait(timeout=GRACE_SECONDS + 60) == 0, stopped.output()[-3000:]
        assert "Worker graceful timeout" not in stopped.output(), "gunicorn did not wait out its timeout"

        stored = assert_gap_free_once_each(stack, run_id)
        assert watcher.seqs(run_id) == [e["seq"] for e in stored], "caught up with no gap and no duplicate"
        assert 0 < seen_before < len(stored), "the socket dropped mid-run"
    finally:
        watcher.disconnect()

