"""Benchmark: live event delivery to 50 watchers, Catalyst's full event path against a bare Flask-SocketIO.

1. Record: a real `python app.py` (offline provider, small pace) executes a few runs while 50
   python-socketio clients watch them; this gives realistic events and timing, and the end-to-end
   latency of a real run (reported as `real_run_*`, the server also runs the workflow meanwhile).
2. Catalyst: the real app (create_app: auth, namespace, watch protocol) replays the recorded
   events on a run through its `RunEventSink`: seq under a row lock, stored and committed, then
   emitted to the run's room; 50 clients connected with API tokens watch it.
3. Baseline: a bare Flask-SocketIO gevent server with 50 clients in one room emits the same events
   with the same timing.
Latency is client arrival minus the event's `ts` (stamped before storing in Catalyst, before
emitting in the baseline), on one machine clock, in one run. The last line is one JSON object
(headline: Catalyst replay p99 against the bare p99).

    .venv/bin/python bench/fanout.py [--watchers 50] [--runs 4] [--database sqlite|postgres]
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gevent  # noqa: E402
import requests  # noqa: E402
import socketio  # noqa: E402

from tests.support.server import (  # noqa: E402
    Account,
    CatalystServer,
    Database,
    base_env,
    example_brief,
    free_port,
    seed_database,
)

CATALYST_REPLAY_SERVER = """
from gevent import monkey
monkey.patch_all()
import json, os, sys, time
from app import create_app
from services.db import db
from services.events import RunEventSink
from web.sockets import publish_event

app = create_app()

def replay(run_id, schedule):
    with app.app_context():
        sink = RunEventSink(db.engine, run_id, publish_event)
        start = time.time()
        for item in schedule:
            delay = start + item["offset"] - time.time()
            if delay > 0:
                time.sleep(delay)
            event = item["event"]
            sink.emit(event["type"], event["data"], phase=event.get("phase"), agent=event.get("agent"))

@app.get("/bench/replay/<run_id>")
def start_replay(run_id):
    with open(os.environ["BENCH_SCHEDULE"]) as handle:
        schedule = json.load(handle)
    app.extensions["socketio"].start_background_task(replay, run_id, schedule)
    return {"ok": True}

app.extensions["socketio"].run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_output=False)
"""

BARE_SERVER = """
from gevent import monkey
monkey.patch_all()
import json, os, sys, time
from datetime import datetime, timezone
from flask import Flask
from flask_socketio import SocketIO, join_room

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")

@socketio.on("connect")
def connect(auth=None):
    join_room("run")

def replay(schedule):
    start = time.time()
    for item in schedule:
        delay = start + item["offset"] - time.time()
        if delay > 0:
            socketio.sleep(delay)
        socketio.emit("event", dict(item["event"], ts=datetime.now(timezone.utc).isoformat()), to="run")

@app.get("/bench/replay/<run_id>")
def start_replay(run_id):
    with open(os.environ["BENCH_SCHEDULE"]) as handle:
        socketio.start_background_task(replay, json.load(handle))
    return {"ok": True}

@app.get("/health")
def health():
    return {"ok": True}

socketio.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_output=False)
"""


def _ts(event: dict[str, Any]) -> float:
    return datetime.fromisoformat(event["ts"]).timestamp()


class Watcher:
    """One socket that records when each live event arrives."""

    def __init__(self, url: str, auth: dict[str, str] | None) -> None:
        self.client = socketio.Client(reconnection=False)
        self.arrivals: list[tuple[dict[str, Any], float]] = []
        self.client.on("event", lambda event: self.arrivals.append((event, time.time())))
        self.client.connect(url, auth=auth, transports=["websocket"], wait_timeout=20)

    def watch(self, run_id: str) -> None:
        ack = self.client.call("watch", {"run_id": run_id, "after_seq": 0}, timeout=20)
        assert ack["ok"], ack

    def close(self) -> None:
        self.client.disconnect()


def connect_all(url: str, count: int, auth: dict[str, str] | None) -> list[Watcher]:
    jobs = [gevent.spawn(Watcher, url, auth) for _ in range(count)]
    gevent.joinall(jobs, raise_error=True)
    return [job.value for job in jobs]


def watch_all(watchers: list[Watcher], run_id: str) -> None:
    gevent.joinall([gevent.spawn(w.watch, run_id) for w in watchers], raise_error=True)


def summarise(watchers: list[Watcher]) -> dict[str, float]:
    latencies, first, last = [], float("inf"), 0.0
    for watcher in watchers:
        for event, arrived in watcher.arrivals:
            latencies.append((arrived - _ts(event)) * 1000)
            first, last = min(first, arrived), max(last, arrived)
    latencies.sort()
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "deliveries": len(latencies),
        "per_second": len(latencies) / max(last - first, 1e-9),
    }


def wait_for_deliveries(watchers: list[Watcher], expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while sum(len(w.arrivals) for w in watchers) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)


def schedule_of(recorded: list[dict]) -> list[dict]:
    """The recorded events with their offsets; runs follow each other as they did."""
    schedule, clock = [], 0.0
    by_run: dict[str, list[dict]] = {}
    for event in recorded:
        by_run.setdefault(event["run_id"], []).append(event)
    for events in by_run.values():
        base = _ts(events[0])
        for event in events:
            schedule.append({"offset": clock + _ts(event) - base, "event": event})
        clock = schedule[-1]["offset"] + 0.3
    return schedule


# --- 1. record a real run ------------------------------------------------------------------------------


def record_real_runs(server: CatalystServer, token: str, watchers_count: int, runs: int) -> tuple[dict, list[dict]]:
    headers = {"Authorization": f"Bearer {token}"}
    watchers = connect_all(server.base_url, watchers_count, {"token": token})
    recorded: list[dict] = []
    try:
        for n in range(runs):
            response = requests.post(f"{server.base_url}/api/runs", json=example_brief(name=f"Bench {n}"),
                                     headers=headers, timeout=10)  # fmt: skip
            run_id = response.json()["id"]
            watch_all(watchers, run_id)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                run = requests.get(f"{server.base_url}/api/runs/{run_id}", headers=headers, timeout=10).json()
                if run["status"] in ("completed", "failed", "cancelled"):
                    break
                time.sleep(0.05)
            time.sleep(0.3)  # the last deliveries
            page = requests.get(f"{server.base_url}/api/runs/{run_id}/events?limit=1000", headers=headers, timeout=10)
            recorded.extend(page.json()["events"])
        return summarise(watchers), recorded
    finally:
        for watcher in watchers:
            watcher.close()


# --- 2. and 3. replay through Catalyst's event path and through a bare server ----------------------------


def replay(url: str, run_id: str, schedule: list[dict], watchers_count: int, auth: dict[str, str] | None) -> dict:
    watchers = connect_all(url, watchers_count, auth)
    try:
        if auth is not None:
            watch_all(watchers, run_id)
        requests.get(f"{url}/bench/replay/{run_id}", timeout=10).raise_for_status()
        wait_for_deliveries(watchers, len(schedule) * watchers_count, schedule[-1]["offset"] + 30)
        return summarise(watchers)
    finally:
        for watcher in watchers:
            watcher.close()


def start_process(script: str, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env={**env, "PORT": str(port)},
                                   stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start:\n{log.read_text()}")


def new_paused_run(database_url: str, org_id: int) -> str:
    """A run row to replay events on (paused, so no scheduler would pick it up)."""
    from decimal import Decimal

    from sqlalchemy import create_engine, insert

    from services.models import Run, RunStatus

    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    run_id = uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(insert(Run.__table__).values(
            id=run_id, org_id=org_id, status=RunStatus.paused, brief={}, company_name="Replay", budget_usd=Decimal("5000"),
            ai_cap_usd=Decimal("5"), policy="approve", provider="offline", model="offline", cancel_requested=False,
            last_seq=0, recoveries=0, created_at=datetime.now(UTC), updated_at=datetime.now(UTC),
        ))  # fmt: skip
    engine.dispose()
    return run_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--pace", type=float, default=0.05, help="offline seconds per LLM call")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite",
                        help="Catalyst's database: the embedded default or PostgreSQL on 127.0.0.1")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        database, accounts = seed_database(tmp, args.database, {"bench": ("executive", "Bench")}, pg_name="catalyst_bench_fanout")
        account = accounts["bench"]
        limits = {"SOCKET_EVENT_LIMIT": "100000/minute", "API_RATE_LIMIT": "100000/minute", "LOG_LEVEL": "WARNING"}
        server = CatalystServer(database, tmp, env={"OFFLINE_PACE_SECONDS": str(args.pace), **limits}, name="bench").start()
        try:
            real, recorded = record_real_runs(server, account.token, args.watchers, args.runs)
        finally:
            server.stop()
        schedule = schedule_of(recorded)
        schedule_path = tmp / "schedule.json"
        schedule_path.write_text(json.dumps(schedule))

        env = base_env(database, RUN_EXECUTOR="queue", BENCH_SCHEDULE=str(schedule_path), **limits)
        port = free_port()
        process = start_process(CATALYST_REPLAY_SERVER, env, port, tmp / "catalyst-replay.log")
        try:
            run_id = new_paused_run(database.url, org_id=1 if args.database == "sqlite" else _org_of(database, account))
            catalyst = replay(f"http://127.0.0.1:{port}", run_id, schedule, args.watchers, {"token": account.token})
        finally:
            process.terminate()
            process.wait(timeout=20)

        port = free_port()
        process = start_process(BARE_SERVER, {**os.environ, "BENCH_SCHEDULE": str(schedule_path)}, port, tmp / "bare.log")
        try:
            bare = replay(f"http://127.0.0.1:{port}", "bare", schedule, args.watchers, None)
        finally:
            process.terminate()
            process.wait(timeout=20)

    for name, result in (("real run", real), ("catalyst", catalyst), ("bare", bare)):
        print(f"{name:9}: p50 {result['p50']:8.2f} ms  p99 {result['p99']:8.2f} ms  "
              f"{result['per_second']:7.0f} deliveries/s  ({result['deliveries']} deliveries)")  # fmt: skip
    print(json.dumps({
        "metric": "event_delivery_p99_latency",
        "value": round(catalyst["p99"], 3),
        "baseline": round(bare["p99"], 3),
        "ratio": round(catalyst["p99"] / bare["p99"], 3),
        "unit": "ms",
        "p50": round(catalyst["p50"], 3),
        "baseline_p50": round(bare["p50"], 3),
        "deliveries_per_s": round(catalyst["per_second"], 1),
        "baseline_deliveries_per_s": round(bare["per_second"], 1),
        "real_run_p50": round(real["p50"], 3),
        "real_run_p99": round(real["p99"], 3),
        "watchers": args.watchers,
        "events": len(schedule),
        "database": args.database,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }))  # fmt: skip


def _org_of(database: Database, account: Account) -> int:
    import psycopg

    with psycopg.connect(database.url) as conn:
        return conn.execute("select org_id from users where id = %s", (account.id,)).fetchone()[0]


if __name__ == "__main__":
    main()
