"""Benchmark: 100 runs started at once, executed inline by one app process and by two queue workers.

Each mode starts from an empty PostgreSQL database (`catalyst_bench_concurrency`) and Redis index 11
(the Socket.IO message queue; in queue mode the job queue too). inline: one gunicorn process (the
shipped gunicorn.conf.py) executes every run, MAX_CONCURRENT_RUNS = the number of runs, so all are in
flight together. queue: the same app process with RUN_EXECUTOR=queue and two `flask --app app worker`
processes (one run at a time each). The offline provider answers each LLM call after `--pace` seconds,
a stand-in for a model's wait that concurrency can overlap. The runs are created at once through
`POST /api/runs` (bearer token), all 100 in flight at once (`--clients`; before the fix of one
connection per request, 30 at once ran a process's pool dry); 20 python-socketio clients watch 5 runs each from the
moment they exist (`watch` with `after_seq`, as the browser does).

Measured per mode: completed runs per minute (first create to last `finished_at`); live delivery
latency (arrival minus the event's `ts`, stamped just before it is stored; one machine clock); peak
RSS (VmHWM) of the app and worker processes; and losses: each stored log (`GET /api/runs/<id>/events`)
must be seq 1..last_seq, and each watcher must hold exactly those events of its runs. The baseline,
measured in the same invocation: the same runs one after another in this process by the workflow
alone (offline, no pace, in-memory sink, ledger and checkpointer, as bench/workflow.py): the engine's
own CPU-bound rate (`sequential_paced_runs_per_minute` adds the pace back). Last line: one JSON object.

    .venv/bin/python bench/concurrency.py [--runs 100] [--watchers 20] [--per-watcher 5] [--pace 0.05]
"""

from gevent import monkey

monkey.patch_all()  # first, as in app.py: seeding imports the app, and the clients are many

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
import requests  # noqa: E402
from rq import Worker  # noqa: E402

from bench.headline import headline_line  # noqa: E402
from bench.latency import epoch, percentile  # noqa: E402
from tests.deploy.processes import ServerProcess, gunicorn_process  # noqa: E402
from tests.support.server import Database, base_env, example_brief, free_port, seed_database  # noqa: E402
from tests.support.watch import RunWatcher  # noqa: E402

PG_NAME = "catalyst_bench_concurrency"
REDIS_URL = "redis://127.0.0.1:6379/11"  # bench/http_api.py uses 10; the suite 0, 5-8 and 13-15
WORKER_COMMAND = [sys.executable, "-m", "flask", "--app", "app", "worker", "--poll-seconds", "0.5"]
FINISHED = ("completed", "failed", "cancelled")
# The limits guard a server from clients; here the clients are the load being measured.
LIMITS = {"API_RATE_LIMIT": "1000000/minute", "SOCKET_EVENT_LIMIT": "100000/10 seconds",
          "SOCKET_EVENT_LIMIT_PER_USER": "100000/10 seconds"}  # fmt: skip


class TimedWatcher(RunWatcher):
    """The suite's watch-protocol client, also keeping each live event with its wall-clock arrival
    (RunWatcher times arrivals with perf_counter, which cannot be compared with the event's `ts`)."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(base_url, token=token)
        self.live: list[tuple[dict[str, Any], float]] = []
        self.runs: list[str] = []
        self.sending = threading.Lock()  # one watch call at a time on this socket

    def call(self, event: str, data: Any, timeout: float = 60.0) -> dict[str, Any]:
        return super().call(event, data, timeout)  # a loaded server may take more than 10 s to answer

    def _on_event(self, event: dict[str, Any]) -> None:
        self.live.append((event, time.time()))
        super()._on_event(event)

    def follow(self, run_id: str) -> None:
        with self.sending:
            self.runs.append(run_id)
            self.watch(run_id)


@dataclass
class ModeResult:
    """What one mode measured; `problems` says in words what went wrong, if anything."""

    created: int = 0
    completed: int = 0
    wall_seconds: float = 0.0
    runs_per_minute: float = 0.0
    delivery_p50_ms: float = float("nan")
    delivery_p99_ms: float = float("nan")
    delivery_max_ms: float = float("nan")
    deliveries: int = 0
    events_stored: int = 0
    events_lost: int = 0
    duplicates: int = 0
    replay_overlap: int = 0
    peak_rss_mb: float = 0.0
    peak_rss_max_mb: float = 0.0
    processes: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's worker is a child of its arbiter)."""
    found = [pid]
    for each in found:  # the list grows while it is walked: children's children come next
        for children in Path(f"/proc/{each}/task").glob("*/children"):
            try:
                found += [int(child) for child in children.read_text().split()]
            except OSError:
                continue  # the thread ended meanwhile
    return found


def peak_rss_mb(label: str, pid: int) -> dict[str, float]:
    """VmHWM (the peak resident set) of a process and of each of its descendants, in MiB."""
    peaks = {}
    for number, each in enumerate(_tree(pid)):
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        peaks[label if number == 0 else f"{label}/{each}"] = round(kb / 1024, 1)
    return peaks


def start_workers(count: int, env: dict[str, str], tmp: Path) -> list[ServerProcess]:
    """`flask --app app worker` processes, returned once each is registered with RQ."""
    workers = [ServerProcess(WORKER_COMMAND, None, tmp / f"worker-{n}.log", env=env, cwd=ROOT).start()
               for n in range(1, count + 1)]  # fmt: skip
    connection, deadline = redis.Redis.from_url(REDIS_URL), time.monotonic() + 60
    while time.monotonic() < deadline:
        registered = {w.pid for w in Worker.all(connection=connection)}
        if all(w.process is not None and w.process.pid in registered for w in workers):
            return workers
        for worker in workers:
            if worker.process is not None and worker.process.poll() is not None:
                raise RuntimeError(f"a worker exited:\n{worker.output()}")
        time.sleep(0.1)
    raise TimeoutError("the workers did not register with RQ")


def create_and_watch(base: str, token: str, args: argparse.Namespace, watchers: list[TimedWatcher],
                     result: ModeResult) -> list[str]:  # fmt: skip
    """POST every run, `--clients` at a time; a run's watcher (if it has one) watches it once it exists."""
    headers = {"Authorization": f"Bearer {token}"}

    def one(n: int) -> str | None:
        response = requests.post(f"{base}/api/runs", json=example_brief(name=f"Bench {n}"),
                                 headers=headers, timeout=60)  # fmt: skip
        if response.status_code != 201:
            result.problems.append(f"POST /api/runs answered {response.status_code}: {response.text[:200].strip()}")
            return None
        run_id = response.json()["id"]
        if n // args.per_watcher < len(watchers):
            watchers[n // args.per_watcher].follow(run_id)
        return run_id

    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        return [run_id for run_id in pool.map(one, range(args.runs)) if run_id]


def wait_finished(database: Database, runs: int, timeout: float) -> int:
    """Poll the database (not the app: the poll must not add load) until every run has ended."""
    deadline, done = time.monotonic() + timeout, 0
    with psycopg.connect(database.url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            done = conn.execute("select count(*) from runs where status = any(%s)", (list(FINISHED),)).fetchone()[0]
            if done >= runs:
                break
            time.sleep(0.1)
    return done


def stored_log(session: requests.Session, base: str, run_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The run and every stored event of it, paged as a client reads them."""
    run = session.get(f"{base}/api/runs/{run_id}", timeout=30).json()
    events, after = [], 0
    while True:
        page = session.get(f"{base}/api/runs/{run_id}/events", params={"after_seq": after, "limit": 1000}, timeout=30)
        body = page.json()
        events.extend(body["events"])
        after = body["last_seq"]
        if not body["more"]:
            return run, events


def check(result: ModeResult, base: str, token: str, run_ids: list[str], watchers: list[TimedWatcher],
          started: float) -> None:  # fmt: skip
    """Stored logs gap-free, every watcher got exactly them; latency of live deliveries; the rate."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        logs = dict(zip(run_ids, pool.map(lambda run_id: stored_log(session, base, run_id), run_ids), strict=True))
    finished = []
    for run_id, (run, events) in logs.items():
        seqs = [e["seq"] for e in events]
        result.events_stored += len(events)
        if seqs != list(range(1, run["last_seq"] + 1)):
            result.events_lost += len(set(range(1, run["last_seq"] + 1)) - set(seqs))
            result.problems.append(f"run {run_id}: stored seqs {seqs[:3]}..{seqs[-3:]} of last_seq {run['last_seq']}")
        if run["status"] == "completed":
            result.completed += 1
            finished.append(epoch(run["finished_at"]))
        else:
            result.problems.append(f"run {run_id} ended {run['status']}")
    latencies = []
    for watcher in watchers:
        live_seqs = Counter((e["run_id"], e["seq"]) for e, _ in watcher.live)
        live_duplicates = sum(count - 1 for count in live_seqs.values())
        result.duplicates += live_duplicates
        # RunWatcher drops every repeat; those not live twice are the replay meeting the live stream.
        result.replay_overlap += watcher.duplicates - live_duplicates
        for run_id in watcher.runs:
            stored = [(e["seq"], e["type"], e["ts"]) for e in logs[run_id][1]]
            got = [(e["seq"], e["type"], e["ts"]) for e in watcher.delivered.get(run_id, [])]
            if got != stored:
                result.events_lost += len(set(stored) - set(got))
                result.problems.append(f"watcher of {run_id}: {len(got)} delivered, {len(stored)} stored")
        seen: set[tuple[str, int]] = set()
        for event, arrived in watcher.live:
            if (event["run_id"], event["seq"]) not in seen:
                seen.add((event["run_id"], event["seq"]))
                latencies.append((arrived - epoch(event["ts"])) * 1000)
    result.deliveries = len(latencies)
    ordered = sorted(latencies)
    result.delivery_p50_ms = round(percentile(ordered, 0.50), 2)
    result.delivery_p99_ms = round(percentile(ordered, 0.99), 2)
    result.delivery_max_ms = round(max(latencies, default=float("nan")), 2)
    if finished:
        result.wall_seconds = round(max(finished) - started, 3)
        result.runs_per_minute = round(result.completed / result.wall_seconds * 60, 1)


def watcher_count(args: argparse.Namespace) -> int:
    """Watchers with at least one run to follow (`--per-watcher` runs each, in creation order)."""
    return min(args.watchers, -(-args.runs // args.per_watcher))


def run_mode(name: str, args: argparse.Namespace, tmp: Path) -> ModeResult:
    """Fresh database and Redis index, the processes of the mode, the runs, the checks."""
    result = ModeResult()
    tmp = tmp / name
    tmp.mkdir(exist_ok=True)
    redis.Redis.from_url(REDIS_URL).flushdb()
    database, accounts = seed_database(tmp, "postgres", {"bench": ("executive", "Bench")}, pg_name=PG_NAME)
    token = accounts["bench"].token
    env = base_env(database, REDIS_URL=REDIS_URL, LLM_PROVIDER="offline", OFFLINE_PACE_SECONDS=str(args.pace),
                   RUN_EXECUTOR=name, MAX_CONCURRENT_RUNS=str(min(args.runs, 200)), SHUTDOWN_GRACE_SECONDS="2",
                   **LIMITS)  # fmt: skip
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = gunicorn_process("app:create_app()", port, tmp / "app.log", env=env)
    processes: list[tuple[str, ServerProcess]] = [("app", app)]
    watchers: list[TimedWatcher] = []
    try:
        app.start()
        app.wait_until_serving()
        requests.get(f"{base}/api/runs", headers={"Authorization": f"Bearer {token}"}, timeout=30).raise_for_status()
        if name == "queue":
            processes += [(f"worker{n}", w) for n, w in enumerate(start_workers(args.workers, env, tmp), 1)]
        with ThreadPoolExecutor(max_workers=max(watcher_count(args), 1)) as pool:
            watchers = list(pool.map(lambda _: TimedWatcher(base, token).connect(timeout=30),
                                     range(watcher_count(args))))  # fmt: skip
        started = time.time()
        run_ids = create_and_watch(base, token, args, watchers, result)
        result.created = len(run_ids)
        print(f"{name}: {len(run_ids)} of {args.runs} runs created in {time.time() - started:.2f} s", flush=True)
        done = wait_finished(database, len(run_ids), args.timeout)
        if done < len(run_ids):
            result.problems.append(f"only {done} of {len(run_ids)} runs ended within {args.timeout:.0f} s")
        last_deliveries = time.monotonic() + 15
        while time.monotonic() < last_deliveries and not all(w.finished(r) for w in watchers for r in w.runs):
            time.sleep(0.05)
        for label, process in processes:  # each started, so each has its process
            result.processes.update(peak_rss_mb(label, process.process.pid))
        check(result, base, token, run_ids, watchers, started)
    finally:
        for watcher in watchers:
            watcher.disconnect()
        for _label, process in reversed(processes):
            process.stop()
    # Each process's own peak; their sum bounds what the mode held at once.
    result.peak_rss_mb = round(sum(result.processes.values()), 1)
    result.peak_rss_max_mb = max(result.processes.values(), default=0.0)
    for label, process in processes:
        result.problems += log_problems(label, process.output())
    return result


def log_problems(label: str, text: str) -> list[str]:
    """Errors and warnings a process logged: each event with its exception's last line (the log's
    sanitiser writes a newline as the text \\x0a); gunicorn's own lines and tracebacks are plain."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        try:
            record = json.loads(line)
            level, last = str(record.get("level", "")).lower(), record.get("exception", "").split("\\x0a")[-1]
            said = f"{record.get('event')} {record.get('run_id', '')} {last}"
        except (ValueError, AttributeError):
            level, said = ("error" if "Traceback" in line or "[ERROR]" in line else ""), line
        if level in ("warning", "error", "critical"):
            found.setdefault(level, []).append(said)
    return [f"{label}: {len(lines)} {level} lines, first: {lines[0][:400]}" for level, lines in found.items()]


def baseline(runs: int) -> dict[str, float]:
    """The same runs one after another by the workflow alone: no server, no database, no pace."""
    from agents.checkpoint import open_checkpointer
    from agents.memory import MemoryEventSink, MemoryLedger
    from agents.offline import OfflineLLMClient
    from agents.workflow import Workflow

    calls = Counter[str]()

    class CountingClient(OfflineLLMClient):
        def generate(self, request: Any) -> Any:
            calls["llm"] += 1
            return super().generate(request)

    with open_checkpointer(":memory:") as checkpointer:
        for n in range(-1, runs):  # run -1 warms up: imports, prompt files, catalogue
            if n == 0:
                calls.clear()
                began = time.perf_counter()
            outcome = Workflow(CountingClient(), MemoryEventSink(), MemoryLedger(), checkpointer).start(
                uuid.uuid4().hex, example_brief(name=f"Bench {n}"))
            if outcome.status != "completed":
                raise RuntimeError(f"baseline run ended {outcome.status}: {outcome.error}")
        seconds = time.perf_counter() - began
    return {"runs_per_minute": round(runs / seconds * 60, 1), "seconds": round(seconds, 3),
            "llm_calls_per_run": calls["llm"] / runs}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--clients", type=int, default=100, help="POST /api/runs requests in flight at once (default: all at once)")
    parser.add_argument("--watchers", type=int, default=20)
    parser.add_argument("--per-watcher", type=int, default=5, help="runs each watcher follows")
    parser.add_argument("--workers", type=int, default=2, help="worker processes in queue mode")
    parser.add_argument("--pace", type=float, default=0.05, help="offline seconds per LLM call")
    parser.add_argument("--timeout", type=float, default=150, help="seconds a mode may take to end its runs")
    parser.add_argument("--logs", help="keep the processes' logs in this (existing) folder")
    args = parser.parse_args()

    base = baseline(args.runs)
    print(f"baseline: {args.runs} runs one after another, workflow alone: {base['seconds']:.2f} s, "
          f"{base['runs_per_minute']:.1f} runs/min, {base['llm_calls_per_run']:.0f} LLM calls per run", flush=True)
    modes: dict[str, ModeResult] = {}
    with tempfile.TemporaryDirectory(prefix="catalyst-bench-concurrency-") as tmp:
        for name in ("inline", "queue"):
            modes[name] = result = run_mode(name, args, Path(args.logs or tmp))
            print(f"{name}: {result.completed}/{args.runs} completed in {result.wall_seconds:.2f} s = "
                  f"{result.runs_per_minute:.1f} runs/min; delivery p50 {result.delivery_p50_ms:.1f} ms "
                  f"p99 {result.delivery_p99_ms:.1f} ms max {result.delivery_max_ms:.1f} ms "
                  f"({result.deliveries} live deliveries); {result.events_stored} events stored, "
                  f"{result.events_lost} lost, {result.duplicates} duplicates, {result.replay_overlap} "
                  f"replay/live overlaps; peak RSS {result.peak_rss_mb:.1f} MiB total "
                  f"{json.dumps(result.processes)}", flush=True)  # fmt: skip
            for problem, count in Counter(result.problems).most_common(10):
                print(f"  problem ({count}x): {problem}", flush=True)
    figures = ("runs_per_minute", "wall_seconds", "created", "completed", "delivery_p50_ms", "delivery_p99_ms", "deliveries",
               "peak_rss_mb", "peak_rss_max_mb", "events_stored", "events_lost", "duplicates", "replay_overlap")
    print(headline_line({
        "metric": "concurrent_runs_per_minute_inline",
        "value": modes["inline"].runs_per_minute,
        "baseline": base["runs_per_minute"],
        "ratio": round(modes["inline"].runs_per_minute / base["runs_per_minute"], 3),
        "unit": "runs/min",
        "queue_ratio": round(modes["queue"].runs_per_minute / base["runs_per_minute"], 3),
        "modes": {name: {k: v for k, v in asdict(r).items() if k in figures} | {"problems": len(r.problems)}
                  for name, r in modes.items()},
        "baseline_kind": "the same runs one after another in one process, workflow alone (offline, no pace)",
        "baseline_seconds": base["seconds"], "llm_calls_per_run": base["llm_calls_per_run"],
        "sequential_paced_runs_per_minute": round(60 / (base["seconds"] / args.runs + base["llm_calls_per_run"] * args.pace), 1),
        "runs": args.runs, "clients": args.clients, "watchers": watcher_count(args), "per_watcher": args.per_watcher, "workers": args.workers,
        "pace_seconds": args.pace, "max_concurrent_runs": min(args.runs, 200),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
