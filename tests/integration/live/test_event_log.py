"""The event log on SQLite and PostgreSQL: gap-free seqs under concurrency, dedupe, store-then-publish."""

from __future__ import annotations

import subprocess
import sys
import threading
from decimal import Decimal

import gevent
import pytest
from sqlalchemy import text

from services.db import db
from services.events import RunEventSink, UnknownRun, events_after
from services.models import Run
from tests.support.server import REPO_ROOT


@pytest.fixture
def run_id(app, make_user) -> str:
    user = make_user("executive")
    with app.app_context():
        run = Run(org_id=user.org_id, created_by_id=user.id, brief={}, company_name="Acme", budget_usd=Decimal("5000"),
                  ai_cap_usd=Decimal("5"))  # fmt: skip
        db.session.add(run)
        db.session.commit()
        return run.id


def test_seqs_are_gap_free_and_published_in_stored_order(app, run_id):
    published: list[dict] = []
    with app.app_context():
        engine = db.engine

        def publish(rid: str, event: dict) -> None:
            # Published only once stored: another connection already sees it.
            with engine.connect() as conn:
                seen = conn.execute(text("select count(*) from run_events where run_id = :r and seq = :s"),
                                    {"r": rid, "s": event["seq"]}).scalar()  # fmt: skip
            assert seen == 1
            published.append(event)

        sinks = [RunEventSink(engine, run_id, publish) for _ in range(6)]

        def agent(n: int) -> None:
            for step in range(25):
                sinks[n].emit("agent.progress", {"step": step, "cost": Decimal("1.50")}, agent=f"a{n}", key=f"p:{n}:{step}")

        gevent.joinall([gevent.spawn(agent, n) for n in range(6)], raise_error=True)
        stored = events_after(engine, run_id, 0, 1000)
    assert [e["seq"] for e in stored] == list(range(1, 151))
    assert published == stored  # same events, same order, same data as stored
    assert stored[0]["data"]["cost"] == "1.50"  # money stays exact, as a string
    with app.app_context():
        assert db.session.get(Run, run_id).last_seq == 150


def test_processes_racing_on_one_run_get_unique_gap_free_seqs(app, run_id, backend):
    """Without the per-process lock, only the database keeps seqs unique (several processes)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    script = (
        "import sys\n"
        "from sqlalchemy import create_engine\n"
        "import services.models\n"
        "from services.events import RunEventSink\n"
        "engine = create_engine(sys.argv[1], connect_args={'timeout': 30} if sys.argv[1].startswith('sqlite') else {})\n"
        "sink = RunEventSink(engine, sys.argv[2])\n"
        "for n in range(60):\n"
        "    sink.emit('agent.progress', {'n': n}, key=f'{sys.argv[3]}:{n}')\n"
        "    sink.emit('agent.progress', {'n': n}, key=f'{sys.argv[3]}:{n}')  # a re-emit is dropped\n"
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", script, url, run_id, f"w{n}"], cwd=REPO_ROOT,
                         stderr=subprocess.PIPE, text=True)  # fmt: skip
        for n in range(3)
    ]
    for worker in workers:
        assert worker.wait(timeout=120) == 0, worker.stderr.read()
    with app.app_context():
        stored = events_after(db.engine, run_id, 0, 1000)
    assert [e["seq"] for e in stored] == list(range(1, 181))
    assert len({(e["data"]["n"]) for e in stored}) == 60


def test_duplicate_key_is_dropped_without_using_a_seq(app, run_id):
    published = []
    with app.app_context():
        sink = RunEventSink(db.engine, run_id, lambda rid, event: published.append(event))
        first = sink.emit("agent.started", {}, agent="legal", key="agent.started:legal")
        again = sink.emit("agent.started", {"other": 1}, agent="legal", key="agent.started:legal")
        unkeyed = [sink.emit("budget.updated", {"n": n}) for n in range(2)]
        assert first["seq"] == 1 and again is None
        assert [e["seq"] for e in unkeyed] == [2, 3]  # events without a key are never deduplicated
        assert [e["seq"] for e in published] == [1, 2, 3]
        assert db.session.get(Run, run_id).last_seq == 3


def test_a_failing_publisher_does_not_lose_the_event(app, run_id):
    def broken(rid: str, event: dict) -> None:
        raise ConnectionError("message queue down")

    with app.app_context():
        event = RunEventSink(db.engine, run_id, broken).emit("run.started", {})
        assert event["seq"] == 1
        assert events_after(db.engine, run_id) == [event]  # replay delivers it later


def test_unknown_run_is_refused(app):
    with app.app_context(), pytest.raises(UnknownRun):
        RunEventSink(db.engine, "f" * 32).emit("run.started", {})


def test_replay_pages(app, run_id):
    with app.app_context():
        sink = RunEventSink(db.engine, run_id)
        for n in range(10):
            sink.emit("agent.progress", {"n": n})
        assert [e["seq"] for e in events_after(db.engine, run_id, 3, 4)] == [4, 5, 6, 7]
        assert events_after(db.engine, run_id, 10) == []
        assert events_after(db.engine, "nope") == []


def test_publish_order_holds_under_one_process_lock(app, run_id):
    """Publishing happens under the run's lock: a watcher of this process never sees seq 5 before 4."""
    order: list[int] = []
    lock = threading.Lock()
    with app.app_context():
        engine = db.engine

        def publish(rid: str, event: dict) -> None:
            gevent.sleep(0)  # invite another emitter to overtake
            with lock:
                order.append(event["seq"])

        sinks = [RunEventSink(engine, run_id, publish) for _ in range(4)]
        jobs = [gevent.spawn(lambda s=s: [s.emit("agent.progress", {}) for _ in range(20)]) for s in sinks]
        gevent.joinall(jobs, raise_error=True)
    assert order == sorted(order) == list(range(1, 81))
