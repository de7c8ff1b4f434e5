"""Benchmark: live event delivery to 50 and to 500 watchers, Catalyst's event path against bare Flask-SocketIO.

Two cases, each served by the shipped gunicorn.conf.py (one gevent-websocket worker a process):
- 50 watchers: one web process on SQLite, no message queue (the single-process profile);
- 500 watchers: two web processes on PostgreSQL and Socket.IO's Redis message queue (REDIS_URL, as
  production scales out), the watchers split evenly across both, every event emitted by the first
  process and reaching both through Redis.
In each case both servers are up side by side, each with its own watchers (the same client code,
the same number of sockets and client processes):
- Catalyst (bench/fanout_apps.py `catalyst`: the real app). Real runs first: runs created over the
  API execute in the app (offline provider, `--pace` seconds a call) while every watcher follows
  them with the watch protocol (replay in the ack, then live). Then replays: the events recorded
  by the first case's real runs, with their timing, on a paused run through the app's
  `RunEventSink` (seq under the row lock, stored, committed, then published to the run's room).
- The baseline (`bare`: Flask-SocketIO set up the same way: same server, processes, Redis queue
  on its own channel) emits the same events with the same timing to a room its watchers joined.
Replays take turns, Catalyst and bare, `--rounds` times each in alternating order (C B, B C, ...),
so the machine's changing load (other processes on the same 2 cores) weighs on both alike; the
figures pool every round.

Latency is a watcher's arrival time minus the event's `ts` (Catalyst stamps it before storing, the
bare server before emitting), on one machine clock, in one run; p50/p95/p99/max over every live
delivery. Replays also give it from the moment the event was stored (Catalyst: its commit; the bare
server stores nothing, so its `ts`): the delivery alone, the "ratio from stored", beside the
headline that counts Catalyst's store too. Every watcher must get every event exactly once and in seq order: lost (neither live
nor in the watch ack), duplicated (live twice) and out-of-order deliveries are counted, checked
against the stored log for real runs. The clients are raw WebSockets in gevent processes of at
most `--per-client-process` sockets (bench/fanout_clients.py); each replay also reports the CPU
seconds the web processes and the client processes used, to show which side was busy. The last
line is one JSON object; its headline is Catalyst's replay p99 at 500 watchers over the bare
server's, with the 50-watcher ratio and the real-run figures as extra keys.

    .venv/bin/python bench/fanout.py [--sizes 50 500] [--runs 2] [--rounds 3] [--pace 0.05] [--database auto]
"""

from gevent import monkey

monkey.patch_all()  # first: seeding imports the app, which patches anyway

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
import requests  # noqa: E402

from bench.fanout_figures import Figures, delivery_figures, line, pooled  # noqa: E402
from bench.fanout_processes import Clients, Deployment, cpu_seconds, new_paused_run, org_of  # noqa: E402
from bench.headline import headline_line  # noqa: E402
from tests.support.server import base_env, example_brief, seed_database  # noqa: E402

PG_NAME = "catalyst_bench_fanout"
REDIS_URL = "redis://127.0.0.1:6379/15"  # the message queue of the 500-watcher case (this bench's index)
FINISHED = ("completed", "failed", "cancelled")
# The limits guard a server from clients; here the clients are the load being measured.
LIMITS = {"SOCKET_EVENT_LIMIT": "100000/10 seconds", "SOCKET_EVENT_LIMIT_PER_USER": "1000000/10 seconds",
          "API_RATE_LIMIT": "100000/minute", "LOG_LEVEL": "WARNING"}  # fmt: skip


def _ts(event: dict[str, Any]) -> float:
    return datetime.fromisoformat(event["ts"]).timestamp()


def schedule_of(recorded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The recorded events with their offsets from the first; runs follow each other as they did."""
    schedule: list[dict[str, Any]] = []
    clock = 0.0
    by_run: dict[str, list[dict[str, Any]]] = {}
    for event in recorded:
        by_run.setdefault(event["run_id"], []).append(event)
    for events in by_run.values():
        base = _ts(events[0])
        for event in events:
            schedule.append({"offset": clock + _ts(event) - base, "event": event})
        clock = schedule[-1]["offset"] + 0.3
    return schedule


def stored_log(base: str, token: str, run_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A run and every event stored for it, paged as a client reads them."""
    headers = {"Authorization": f"Bearer {token}"}
    run = requests.get(f"{base}/api/runs/{run_id}", headers=headers, timeout=30).json()
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        body = requests.get(f"{base}/api/runs/{run_id}/events", params={"after_seq": after, "limit": 1000},
                            headers=headers, timeout=30).json()  # fmt: skip
        events.extend(body["events"])
        after = body["last_seq"]
        if not body["more"]:
            return run, events


def real_runs(deployment: Deployment, clients: Clients, token: str, runs: int, tmp: Path) -> tuple[Figures, list[dict]]:
    """Runs executing in the app, each watched by every client from just after its creation."""
    base = deployment.urls[0]
    headers = {"Authorization": f"Bearer {token}"}
    expected: dict[str, list[int]] = {}
    recorded: list[dict[str, Any]] = []
    problems: list[str] = []
    clients.ask("reset")
    for n in range(runs):
        response = requests.post(f"{base}/api/runs", json=example_brief(name=f"Fanout {n}"), headers=headers, timeout=30)
        response.raise_for_status()
        run_id = response.json()["id"]
        clients.ask("watch", run_id=run_id)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = requests.get(f"{base}/api/runs/{run_id}", headers=headers, timeout=30).json()["status"]
            if status in FINISHED:
                break
            time.sleep(0.1)
        if not clients.quiet(seconds=1.0, timeout=60):
            problems.append(f"run {run_id}: deliveries still arriving 60 s after it ended")
        run, events = stored_log(base, token, run_id)
        seqs = [event["seq"] for event in events]
        if run["status"] != "completed":
            problems.append(f"run {run_id} ended {run['status']}")
        if seqs != list(range(1, run["last_seq"] + 1)):
            problems.append(f"run {run_id}: stored seqs are not 1..{run['last_seq']}")
        expected[run_id] = seqs
        recorded.extend(events)
    figures = delivery_figures(clients.dump(tmp / "real.json"), expected)
    figures.problems += problems
    return figures, recorded


def replay(deployment: Deployment, clients: Clients, run_id: str, schedule: list[dict[str, Any]], dump: Path) -> Figures:
    """The schedule emitted by the first process to the run's room, which every watcher joined."""
    clients.ask("reset")
    clients.ask("watch", run_id=run_id)
    # Joins announce themselves to the room (Catalyst: `watchers`); the replay starts on a quiet line.
    clients.quiet(seconds=1.0, timeout=120)
    server_cpu, client_cpu = cpu_seconds(deployment.pids()), cpu_seconds(clients.pids())
    began = time.time()
    requests.get(f"{deployment.urls[0]}/bench/replay/{run_id}", timeout=30).raise_for_status()
    problems = []
    if not clients.quiet(seconds=1.5, after=began + schedule[-1]["offset"], timeout=schedule[-1]["offset"] + 90):
        problems.append("deliveries still arriving 90 s after the replay's end")
    server_cpu, client_cpu = cpu_seconds(deployment.pids()) - server_cpu, cpu_seconds(clients.pids()) - client_cpu
    figures = delivery_figures(clients.dump(dump), {run_id: list(range(1, len(schedule) + 1))})
    figures.problems += problems
    figures.server_cpu_seconds, figures.client_cpu_seconds = server_cpu, client_cpu
    return figures


def run_case(watchers: int, args: argparse.Namespace, tmp: Path, schedule: list[dict[str, Any]] | None) -> dict[str, Any]:
    """One size: both servers up side by side, Catalyst's real runs, then replays taking turns."""
    processes = 1 if watchers <= args.single_process_up_to else 2
    redis_url = REDIS_URL if processes > 1 else None
    # As each profile ships: one process embedded (SQLite), several on PostgreSQL (docs/deployment.md).
    backend = args.database if args.database != "auto" else ("sqlite" if processes == 1 else "postgres")
    groups = -(-watchers // args.per_client_process)
    label = f"{watchers} watchers, {processes} web process{'es' if processes > 1 else ''}, {backend}" + (
        ", Redis message queue" if redis_url else "") + f"; clients in {groups} process{'es' if groups > 1 else ''}"
    print(f"== {label}", flush=True)
    case_dir = tmp / f"w{watchers}"
    case_dir.mkdir()
    database, accounts = seed_database(case_dir, backend, {"bench": ("executive", "Bench")}, pg_name=PG_NAME)
    account = accounts["bench"]
    schedule_path = case_dir / "schedule.json"
    queue = {"REDIS_URL": redis_url} if redis_url else {}
    env = base_env(database, OFFLINE_PACE_SECONDS=str(args.pace), RUN_EXECUTOR="inline", SHUTDOWN_GRACE_SECONDS="2",
                   BENCH_SCHEDULE=str(schedule_path), **queue, **LIMITS)  # fmt: skip
    bare_env = {**queue, "BENCH_CHANNEL": "catalyst-bench-fanout-bare", "BENCH_SCHEDULE": str(schedule_path),
                "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}  # fmt: skip
    if redis_url:
        redis.Redis.from_url(redis_url).flushdb()
    with ExitStack() as stack:
        catalyst = stack.enter_context(Deployment("bench.fanout_apps:catalyst()", processes, env, case_dir / "catalyst"))
        bare = stack.enter_context(Deployment("bench.fanout_apps:bare()", processes, bare_env, case_dir / "bare", clean=True))
        catalyst_clients = stack.enter_context(Clients(catalyst.urls, watchers, groups, account.token, case_dir / "cc"))
        bare_clients = stack.enter_context(Clients(bare.urls, watchers, groups, None, case_dir / "bc"))
        real, recorded = real_runs(catalyst, catalyst_clients, account.token, args.runs, case_dir)
        print(line("real run", real), flush=True)
        schedule = schedule or schedule_of(recorded)
        schedule_path.write_text(json.dumps(schedule))
        rounds: dict[str, list[Figures]] = {"catalyst": [], "bare": []}
        for n in range(args.rounds):
            # Turns alternate (C B, B C, ...) so a change in the machine's load weighs on both alike.
            for name in ("catalyst", "bare") if n % 2 == 0 else ("bare", "catalyst"):
                if name == "catalyst":
                    run_id = new_paused_run(database.url, org_of(database.url, account.id))
                    figures = replay(catalyst, catalyst_clients, run_id, schedule, case_dir / f"catalyst-{n}.json")
                else:
                    figures = replay(bare, bare_clients, f"bare-{n}", schedule, case_dir / f"bare-{n}.json")
                rounds[name].append(figures)
                print(line(f"{name} {n + 1}", figures), flush=True)
        problems = catalyst.log_problems() + bare.log_problems()
    ours, theirs = pooled(rounds["catalyst"]), pooled(rounds["bare"])
    print(line("catalyst", ours), flush=True)
    print(line("bare", theirs), flush=True)
    for problem in [*real.problems, *ours.problems, *theirs.problems, *problems][:20]:
        print(f"  problem: {problem}", flush=True)
    ratio = ours.p99 / theirs.p99 if theirs.p99 else float("nan")
    from_stored = ours.stored_p99 / theirs.stored_p99 if theirs.stored_p99 else float("nan")
    per_round = [round(c.p99 / b.p99, 3) for c, b in zip(rounds["catalyst"], rounds["bare"], strict=True)]
    print(f"   p99 ratio {ratio:.3f} (Catalyst replay / bare, all rounds); per round {per_round}", flush=True)
    print(f"   p99 ratio from stored {from_stored:.3f} (the delivery alone: Catalyst's store not counted)",
          flush=True)
    return {"watchers": watchers, "web_processes": processes, "message_queue": bool(redis_url), "database": backend,
            "client_processes": groups, "real_run": real.summary(), "catalyst": ours.summary(),
            "bare": theirs.summary(), "ratio": round(ratio, 3), "ratio_from_stored": round(from_stored, 3),
            "round_ratios": per_round, "events": len(schedule),
            "server_problems": len(problems), "schedule": schedule}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500], help="watcher counts, one case each")
    parser.add_argument("--runs", type=int, default=2, help="real runs per case (the first case's are replayed)")
    parser.add_argument("--rounds", type=int, default=3, help="replays per server per case, taking turns")
    parser.add_argument("--pace", type=float, default=0.05, help="offline seconds per LLM call")
    parser.add_argument("--per-client-process", type=int, default=125, help="watcher sockets per client process")
    parser.add_argument("--single-process-up-to", type=int, default=100,
                        help="cases up to this many watchers run one web process without a message queue")  # fmt: skip
    parser.add_argument("--database", choices=["auto", "postgres", "sqlite"], default="auto",
                        help="auto: SQLite for one web process, PostgreSQL (127.0.0.1) for several")  # fmt: skip
    parser.add_argument("--logs", help="keep the processes' logs and dumps in this (existing) folder")
    args = parser.parse_args()
    began = time.monotonic()
    cases: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="catalyst-bench-fanout-") as tmp_name:
        tmp = Path(args.logs or tmp_name)
        schedule = None
        for watchers in args.sizes:
            cases.append(run_case(watchers, args, tmp, schedule))
            schedule = cases[-1].pop("schedule")
    head = cases[-1]
    errors = sum(case[kind]["lost"] + case[kind]["duplicates"] + case[kind]["out_of_order"]
                 for case in cases for kind in ("real_run", "catalyst", "bare"))  # fmt: skip
    print(headline_line({
        "metric": f"event_delivery_p99_latency_{head['watchers']}_watchers",
        "value": head["catalyst"]["p99"],
        "baseline": head["bare"]["p99"],
        "ratio": head["ratio"],
        "unit": "ms",
        "errors": errors,
        **{f"ratio_{case['watchers']}": case["ratio"] for case in cases},
        **{f"ratio_from_stored_{case['watchers']}": case["ratio_from_stored"] for case in cases},
        **{f"real_run_p99_{case['watchers']}": case["real_run"]["p99"] for case in cases},
        "cases": cases,
        "pace_seconds": args.pace,
        "wall_seconds": round(time.monotonic() - began, 1),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
