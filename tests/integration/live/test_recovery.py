"""Crash recovery and the concurrency limit, on real server processes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripted import ok, slow
from tests.support.polling import wait_for
from tests.support.server import Client, example_brief

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]
SPECIALISTS = {"branding", "legal", "webdev", "martech", "content", "campaigns"}


def events_of(client: Client, run_id: str) -> list[dict]:
    return client.get_json(f"/api/runs/{run_id}/events?limit=1000")["events"]


def test_sigkill_mid_run_then_restart_completes_without_repeating_agents(sqlite_deployment_factory):
    with FakeOpenAIServer() as llm:
        # Planner at once; the first specialist call answers after 0.3 s, the others take 4 s.
        llm.script(ok(), slow(0.3), *[slow(4.0) for _ in range(5)])
        deployment = sqlite_deployment_factory(
            LLM_PROVIDER="openai",
            LLM_MODEL="gpt-4o-mini",
            OPENAI_API_KEY="test-key",
            OPENAI_BASE_URL=llm.base_url,
            LLM_MAX_RETRIES="0",
        )
        server = deployment.api_server
        client = deployment.login("exec")
        run_id = client.post_json("/api/runs", example_brief()).json()["id"]

        def finished_specialists() -> set[str]:
            done = {e.get("agent") for e in events_of(client, run_id) if e["type"] == "agent.completed"}
            return done & SPECIALISTS

        done_before = wait_for(finished_specialists, 30, "a specialist to finish")
        server.kill()
        assert len(done_before) < len(SPECIALISTS), "the run must be killed mid-execution"

        server.start()  # same database and port; recovers the run it finds orphaned
        client = deployment.login("exec")
        wait_for(lambda: client.get_json(f"/api/runs/{run_id}")["status"] == "completed", 60, "the run to complete")

        events = events_of(client, run_id)
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        completed = Counter(e.get("agent") for e in events if e["type"] == "agent.completed")
        assert all(count == 1 for count in completed.values()), completed
        assert set(completed) >= SPECIALISTS | {"cfo", "reviewer", "reporter"}
        assert [e["data"].get("after") for e in events if e["type"] == "run.resumed"] == ["restart"]
        calls = Counter(FakeOpenAIServer.schema_name(seen) for seen in llm.requests)
        for agent in done_before | {"planner"}:
            assert calls[agent] == 1, f"{agent} ran again after the restart: {calls}"
        run = client.get_json(f"/api/runs/{run_id}")
        assert run["has_report"] and run["error"] is None


def test_twenty_runs_with_a_limit_of_five_run_five_at_a_time(sqlite_deployment_factory):
    deployment = sqlite_deployment_factory(MAX_CONCURRENT_RUNS="5", OFFLINE_PACE_SECONDS="0.1")
    client = deployment.login("exec")
    ids = [client.post_json("/api/runs", example_brief(name=f"Load {n}")).json()["id"] for n in range(20)]

    queued = client.get_json("/api/runs?status=queued&per_page=100")
    assert queued["total"] >= 1  # how many still wait here depends on the machine's speed
    positions = sorted(r["queue_position"] for r in queued["items"])
    assert positions == list(range(1, len(positions) + 1))

    running_seen = []

    def all_completed() -> bool:
        running_seen.append(client.get_json("/api/runs?status=running")["total"])
        return client.get_json("/api/runs?status=completed")["total"] == 20

    wait_for(all_completed, 120, "20 runs to complete", every=0.1)
    assert max(running_seen) <= 5

    spans = []
    for run_id in ids:
        run = client.get_json(f"/api/runs/{run_id}")
        spans.append((datetime.fromisoformat(run["started_at"]), datetime.fromisoformat(run["finished_at"])))
    moments = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans], key=lambda m: (m[0], m[1]))
    level = peak = 0
    for _, step in moments:
        level += step
        peak = max(peak, level)
    assert peak == 5, f"observed {peak} runs at once"
    # Fifteen runs had to wait for a slot: each started only after an earlier run had finished.
    first_finish = min(end for _, end in spans)
    assert sum(start >= first_finish for start, _ in spans) >= 15
