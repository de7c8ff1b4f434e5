"""Benchmark: Catalyst's pages and API through nginx + gunicorn, against a bare Flask, on both databases.

Both apps are served the same way, on loopback: one gunicorn process with the shipped
gunicorn.conf.py (gevent-websocket worker) behind an nginx rendered from the shipped template
(TLS, keep-alive upstream). Catalyst runs with Redis, the offline provider and the queue executor,
on PostgreSQL in production mode and then on a SQLite file; production refuses SQLite
(config/settings.py), so that variant runs with APP_ENV=development and FORCE_HTTPS=1, which
serves the same request path (secure cookies, HSTS, the same hashing and templates). Seeded
(bench/http_seed.py): an executive with an API token, finished runs, and one run executed for real
with its report and event log. Scenarios: `GET /api/runs` and `GET /api/runs/<id>/events` (bearer
token), `GET /dashboard`, the run's live page `GET /runs/<id>` and its report `GET
/runs/<id>/report` (session cookie); the baseline (bench/hello_app.py) answers `GET /`, measured at
every connection count of every backend, next to the scenarios it is compared with. Each scenario
keeps N keep-alive HTTPS connections busy for a fixed time after a warm-up (bench/http_load.py);
throughput is completed 200s per second, latency is per request, every other answer is an error,
counted and shown. Each row also says what a request cost the app's worker in CPU time (from
/proc, warm-up included), which the machine's other load moves far less than req/s. The API and
login rate limits are raised (the limiter's refusals are not the path being measured). The client runs on the same machine as the servers, for both apps alike.
The last line printed is one JSON object (headline: `GET /api/runs` p99 at 16 connections on
PostgreSQL against hello's p99).

    .venv/bin/python bench/http_api.py [--seconds 5] [--connections 16,64] [--backends postgres,sqlite]
"""

import sys
from pathlib import Path

# This file is named like the standard library's `http` package: keep its folder off the path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

from gevent import monkey  # noqa: E402

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack, nullcontext  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.headline import headline_line  # noqa: E402
from bench.http_load import load  # noqa: E402
from bench.http_seed import check, seed, session_cookie  # noqa: E402
from tests.deploy.nginx_tools import NginxLayout, NginxProcess, free_port, render_config  # noqa: E402
from tests.deploy.processes import gunicorn_process  # noqa: E402
from tests.support.server import SECRET_KEY, reset_postgres_database  # noqa: E402

PG_NAME = "catalyst_bench_http"
REDIS_URL = "redis://127.0.0.1:6379/10"
BACKENDS = ("postgres", "sqlite")
MODES = {"postgres": "production", "sqlite": "development (production refuses SQLite), FORCE_HTTPS=1"}
SCENARIOS = ("api_runs", "dashboard", "run_page", "report_page", "api_events")
COMMON = {"LOG_LEVEL": "WARNING", "SHUTDOWN_GRACE_SECONDS": "2"}


@dataclass(frozen=True)
class Served:
    """An app behind its nginx, and its gunicorn master's pid (its worker is the master's child)."""

    layout: NginxLayout
    master_pid: int


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) the master's worker processes have used so far, from /proc.

    Divided by the requests answered meanwhile, it is what a request costs the worker: a figure the
    machine's other load disturbs far less than req/s, which the client and nginx share two cores for.
    """
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return total / tick


def serve(stack: ExitStack, tmp: Path, name: str, app_spec: str, env: dict[str, str]) -> Served:
    """gunicorn for `app_spec` behind its own nginx; both stop when `stack` closes.

    When the benchmark fails while they run, the tail of the app's log is printed first: it is
    deleted with the temporary directory, and it holds the reason.
    """
    port = free_port()
    process = stack.enter_context(gunicorn_process(app_spec, port, tmp / f"{name}.log", env={**COMMON, **env}))

    def show_log_on_failure(kind: type[BaseException] | None, *_details: object) -> None:
        if kind is not None:
            print(f"--- last lines of the {name} log:\n" + "\n".join(process.output().splitlines()[-40:]),
                  file=sys.stderr)  # fmt: skip

    stack.push(show_log_on_failure)
    process.wait_until_serving()
    nginx = stack.enter_context(NginxProcess(render_config(tmp / f"nginx-{name}", upstreams=[f"127.0.0.1:{port}"])))
    assert process.process is not None  # started by gunicorn_process
    return Served(nginx.layout, process.process.pid)


def catalyst_env(backend: str, database_url: str, instance: Path) -> dict[str, str]:
    """The environment of the Catalyst process: production's, but for what SQLite cannot have."""
    env = {
        "APP_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
        "LLM_PROVIDER": "offline", "RUN_EXECUTOR": "queue", "INSTANCE_PATH": str(instance),
        "API_RATE_LIMIT": "1000000/minute", "LOGIN_LIMIT_PER_IP": "1000/minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "1000/minute",
        "PROXY_FIX_X_FOR": "1", "PROXY_FIX_X_PROTO": "1", "PROXY_FIX_X_HOST": "1",
    }  # fmt: skip
    if backend == "sqlite":
        env.update(APP_ENV="development", FORCE_HTTPS="1")
    return env


def measure_backend(backend: str, tmp: Path, hello: Served, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Seed and serve Catalyst on one database; every connection count: hello, then each scenario."""
    tmp = tmp / backend
    tmp.mkdir()
    instance = tmp / "instance"
    database_url = reset_postgres_database(PG_NAME) if backend == "postgres" else f"sqlite:///{tmp / 'catalyst.db'}"
    seeded = seed(database_url, instance, args.runs)
    print(f"[{backend}] seeded {args.runs} runs and run {seeded.run_id} ({seeded.events} events)", flush=True)
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        proxy = serve(stack, tmp, "catalyst", "app:create_app()", catalyst_env(backend, database_url, instance))
        port, certificate = proxy.layout.https_port, proxy.layout.certificate
        api = {"Authorization": f"Bearer {seeded.token}", "Accept": "application/json"}
        page = {"Cookie": session_cookie(port, certificate)}
        run = f"/runs/{seeded.run_id}"
        targets = {
            "hello": (hello, "/", {}, "hello"),
            "api_runs": (proxy, "/api/runs", api, '"items"'),
            "dashboard": (proxy, "/dashboard", page, "Bench Report Co"),
            "run_page": (proxy, run, page, "Bench Report Co"),
            "report_page": (proxy, f"{run}/report", page, "report-structured"),
            "api_events": (proxy, f"/api{run}/events", api, '"events"'),
        }
        for served, path, headers, expect in targets.values():
            check(served.layout.https_port, path, headers, served.layout.certificate, expect)
        for connections in args.connections:
            for scenario in ("hello", *args.scenarios):
                served, path, headers, _expect = targets[scenario]
                cpu_before = worker_cpu_seconds(served.master_pid)
                result = load(served.layout.https_port, path, headers, connections=connections, seconds=args.seconds,
                              warmup=args.warmup, name=scenario)  # fmt: skip
                cpu = worker_cpu_seconds(served.master_pid) - cpu_before
                summary = result.summary()
                summary["worker_cpu_ms"] = round(cpu * 1000 / result.answered, 3) if result.answered else None
                rows.append({"backend": backend, "connections": connections, "scenario": scenario, **summary})
                print(f"[{backend} c={connections}] {scenario:11s} {json.dumps(summary)}", flush=True)
    return rows


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return round(numerator / denominator, 2) if numerator and denominator else None


def with_ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row against the hello measured with it: hello's req/s over its own, its p99 over hello's."""
    hello = {(r["backend"], r["connections"]): r for r in rows if r["scenario"] == "hello"}
    for row in rows:
        base = hello[row["backend"], row["connections"]]
        row["rps_ratio"] = _ratio(base["rps"], row["rps"])
        row["p99_ratio"] = _ratio(row["p99_ms"], base["p99_ms"])
        row["cpu_ratio"] = _ratio(row["worker_cpu_ms"], base["worker_cpu_ms"])
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """One line per backend × connections × scenario."""

    def number(value: float | None, digits: int = 2) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    head = ("backend", "conns", "scenario", "requests", "errors", "req/s", "p50 ms", "p99 ms", "max ms",
            "hello rps / rps", "p99 / hello p99", "worker cpu ms", "cpu / hello cpu")  # fmt: skip
    lines = [head] + [
        (r["backend"], str(r["connections"]), r["scenario"], str(r["requests"]),
         str(r["errors"]) + (f" {r['error_kinds']}" if r["errors"] else ""), number(r["rps"], 1),
         number(r["p50_ms"]), number(r["p99_ms"]), number(r["max_ms"]), number(r["rps_ratio"]),
         number(r["p99_ratio"]), number(r["worker_cpu_ms"], 3), number(r["cpu_ratio"]))
        for r in rows
    ]  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in lines)  # fmt: skip


def headline(rows: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """`api_runs_p99_ms` on PostgreSQL at 16 connections (else the first measured) against hello's p99."""
    backend = "postgres" if "postgres" in args.backends else args.backends[0]
    connections = 16 if 16 in args.connections else args.connections[0]
    found = {r["scenario"]: r for r in rows if (r["backend"], r["connections"]) == (backend, connections)}
    value, baseline = found.get("api_runs", {}).get("p99_ms"), found["hello"]["p99_ms"]
    results: dict[str, Any] = {}
    for r in rows:
        numbers = {k: v for k, v in r.items() if k not in ("backend", "connections", "scenario")}
        results.setdefault(r["backend"], {}).setdefault(str(r["connections"]), {})[r["scenario"]] = numbers
    return {
        "metric": "api_runs_p99_ms",
        "value": value,
        "baseline": baseline,
        "ratio": _ratio(value, baseline),
        "unit": "ms",
        "headline_at": {"backend": backend, "connections": connections},
        "errors": sum(r["errors"] for r in rows),
        "results": results,
        "modes": {name: MODES[name] for name in args.backends},
        "seconds": args.seconds,
        "warmup": args.warmup,
        "runs_seeded": args.runs,
        "path": "nginx (TLS) -> gunicorn (gevent-websocket, 1 worker) on loopback; client on the same machine",
    }


def parse_args() -> argparse.Namespace:
    def listed(choices: tuple[str, ...]) -> Any:
        def parse(text: str) -> list[str]:
            names = [name.strip() for name in text.split(",") if name.strip()]
            unknown = sorted(set(names) - set(choices))
            if unknown or not names:
                raise argparse.ArgumentTypeError(f"choose from {', '.join(choices)}; got {text!r}")
            return names

        return parse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each")
    parser.add_argument("--connections", type=lambda text: [int(n) for n in text.split(",")], default=[16, 64],
                        help="comma-separated connection counts (default 16,64)")  # fmt: skip
    parser.add_argument("--backends", type=listed(BACKENDS), default=list(BACKENDS))
    parser.add_argument("--scenarios", type=listed(SCENARIOS), default=list(SCENARIOS))
    parser.add_argument("--runs", type=int, default=60, help="finished runs seeded (the API lists 20 per page)")
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it (the servers' logs)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    began = time.monotonic()
    if args.keep:
        args.keep.mkdir(parents=True)
    work = nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory(prefix="catalyst-bench-http-")
    with work as tmp, ExitStack() as stack:
        tmp_path = Path(tmp)
        hello = serve(stack, tmp_path, "hello", "bench.hello_app:app", {})
        rows = [row for backend in args.backends for row in measure_backend(backend, tmp_path, hello, args)]
    rows = with_ratios(rows)
    print(f"\nnginx (TLS) -> gunicorn, 1 worker; {args.seconds:g} s per scenario after {args.warmup:g} s warm-up; "
          f"ratios: hello's req/s over the row's, the row's p99 over hello's (same backend and connections)")  # fmt: skip
    for backend in args.backends:
        print(f"{backend}: APP_ENV={MODES[backend]}")
    print(table(rows))
    errors = sum(r["errors"] for r in rows)
    print(f"errors (answers other than 200, failed connections): {errors}; took {time.monotonic() - began:.0f} s")
    print(headline_line(headline(rows, args)))


if __name__ == "__main__":
    main()
