"""Benchmark: dashboard and API requests through nginx + gunicorn, Catalyst against a bare Flask.

Both apps are served the same way, on loopback: one gunicorn process with the shipped
gunicorn.conf.py (gevent-websocket worker) behind an nginx rendered from the shipped template
(TLS, keep-alive upstream). Catalyst runs in production mode on PostgreSQL and Redis with runs
seeded, and answers `GET /api/runs` (bearer token) and `GET /dashboard` (session cookie); the
baseline (bench/hello_app.py) answers `GET /`. Each scenario keeps N keep-alive HTTPS connections
busy for a fixed time after a warm-up; throughput is completed requests per second, latency is
per request. The API rate limit is raised for the run (the limiter's refusals are not the path
being measured). Same machine, same run; the last line printed is one JSON object.

    .venv/bin/python bench/http_api.py [--seconds 8] [--connections 16] [--runs 60]
"""

import sys
from pathlib import Path

# This file is named like the standard library's `http` package: keep its folder off the path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

from gevent import monkey  # noqa: E402

monkey.patch_all()

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import ssl  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from decimal import Decimal  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gevent  # noqa: E402
import requests  # noqa: E402

from tests.deploy.nginx_tools import NginxProcess, free_port, render_config  # noqa: E402
from tests.deploy.processes import gunicorn_process  # noqa: E402
from tests.support.server import PASSWORD, SECRET_KEY, reset_postgres_database  # noqa: E402

PG_NAME = "catalyst_bench_http"
REDIS_URL = "redis://127.0.0.1:6379/10"
EMAIL = "bench@acme.example.com"


@dataclass
class Result:
    """What one scenario measured."""

    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")

    def summary(self) -> dict[str, float]:
        return {
            "requests": len(self.latencies_ms),
            "errors": self.errors,
            "rps": round(len(self.latencies_ms) / self.seconds, 1),
            "p50_ms": round(self.percentile(0.50), 2),
            "p99_ms": round(self.percentile(0.99), 2),
        }


def load(
    port: int, path: str, headers: dict[str, str], *, connections: int, seconds: float, warmup: float,
    name: str,
) -> Result:
    """Keep `connections` HTTPS keep-alive connections busy with GET `path`; record each request."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the proxy's certificate is self-signed
    result = Result(name)
    start = time.perf_counter()
    measure_from, until = start + warmup, start + warmup + seconds

    def client() -> None:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        while True:
            began = time.perf_counter()
            if began >= until:
                break
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
                ok = False
            ended = time.perf_counter()
            if began >= measure_from and ended <= until:
                if ok:
                    result.latencies_ms.append((ended - began) * 1000)
                else:
                    result.errors += 1
        conn.close()

    gevent.joinall([gevent.spawn(client) for _ in range(connections)], raise_error=True)
    result.seconds = seconds
    return result


def seed(database_url: str, instance: Path, runs: int) -> str:
    """Migrate, create an executive with an API token and `runs` finished runs; returns the token."""
    from flask_migrate import upgrade

    from app import create_app
    from config.settings import load_settings
    from services import accounts, users
    from services.db import db, utcnow
    from services.models import Run, RunStatus

    app = create_app(load_settings(app_env="test", database_url=database_url, instance_path=instance,
                                   secret_key=SECRET_KEY, log_level="WARNING"))  # fmt: skip
    with app.app_context():
        upgrade(revision="heads")
        user = accounts.create_user(email=EMAIL, role="executive", org_name="Acme", password=PASSWORD).user
        _token, plain = users.create_token(user, "bench")
        now = utcnow()
        for n in range(runs):
            brief = {"company": {"name": f"Bench {n}", "industry": "Technology", "location": "Austin, TX"},
                     "objectives": ["Launch product"], "budget_usd": "5000", "timeline_days": 90}  # fmt: skip
            db.session.add(Run(
                org_id=user.org_id, created_by_id=user.id, status=RunStatus.completed, brief=brief,
                company_name=f"Bench {n}", budget_usd=Decimal("5000"), ai_cap_usd=Decimal("5"),
                queued_at=now, created_at=now, started_at=now, finished_at=now,
            ))  # fmt: skip
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return plain


def session_cookie(port: int, certificate: Path) -> str:
    """Log in through the proxy as a browser does; returns the Cookie header."""
    session = requests.Session()
    verify = str(certificate)  # per request: REQUESTS_CA_BUNDLE would override a session setting
    base = f"https://127.0.0.1:{port}"
    page = session.get(f"{base}/login", verify=verify, timeout=10).text
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = session.post(f"{base}/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
                            headers={"Referer": f"{base}/login", "Origin": base},  # checked over https
                            allow_redirects=False, verify=verify, timeout=10)  # fmt: skip
    if response.status_code != 302:
        raise RuntimeError(f"login through the proxy failed: {response.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def check(port: int, path: str, headers: dict[str, str], certificate: Path) -> None:
    url = f"https://127.0.0.1:{port}{path}"
    response = requests.get(url, headers=headers, verify=str(certificate), timeout=10)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=1.5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=60, help="runs seeded (the API lists 20 per page)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="catalyst-bench-http-") as tmp, ExitStack() as stack:
        tmp_path = Path(tmp)
        database_url = reset_postgres_database(PG_NAME)
        token = seed(database_url, tmp_path / "instance", args.runs)
        common = {"LOG_LEVEL": "WARNING", "SHUTDOWN_GRACE_SECONDS": "2"}
        catalyst_port, hello_port = free_port(), free_port()
        catalyst = gunicorn_process("app:create_app()", catalyst_port, tmp_path / "catalyst.log", env={
            **common, "APP_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL, "LLM_PROVIDER": "offline", "RUN_EXECUTOR": "queue",
            "INSTANCE_PATH": str(tmp_path / "instance"), "API_RATE_LIMIT": "1000000/minute",
            "PROXY_FIX_X_FOR": "1", "PROXY_FIX_X_PROTO": "1", "PROXY_FIX_X_HOST": "1",
        })  # fmt: skip
        hello = gunicorn_process("bench.hello_app:app", hello_port, tmp_path / "hello.log", env=common)
        for process in (catalyst, hello):
            stack.enter_context(process)
            process.wait_until_serving()
        proxies = {}
        for name, port in (("catalyst", catalyst_port), ("hello", hello_port)):
            layout = render_config(tmp_path / f"nginx-{name}", upstreams=[f"127.0.0.1:{port}"])
            proxies[name] = stack.enter_context(NginxProcess(layout)).layout

        api_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        catalyst_proxy = proxies["catalyst"]
        page_headers = {"Cookie": session_cookie(catalyst_proxy.https_port, catalyst_proxy.certificate)}
        scenarios = [
            ("hello", proxies["hello"], "/", {}),
            ("api_runs", catalyst_proxy, "/api/runs", api_headers),
            ("dashboard", catalyst_proxy, "/dashboard", page_headers),
        ]
        results: dict[str, dict[str, float]] = {}
        for name, proxy, path, headers in scenarios:
            check(proxy.https_port, path, headers, proxy.certificate)
            result = load(proxy.https_port, path, headers, connections=args.connections, seconds=args.seconds,
                          warmup=args.warmup, name=name)  # fmt: skip
            results[name] = result.summary()
            print(f"{name:10s} {json.dumps(results[name])}", flush=True)

    hello_p99, api_p99 = results["hello"]["p99_ms"], results["api_runs"]["p99_ms"]
    print(json.dumps({
        "metric": "api_runs_p99_ms",
        "value": api_p99,
        "baseline": hello_p99,
        "ratio": round(api_p99 / hello_p99, 2),
        "unit": "ms",
        "throughput_rps": {name: r["rps"] for name, r in results.items()},
        "throughput_ratio": {
            name: round(results["hello"]["rps"] / result["rps"], 2)
            for name, result in results.items()
            if name != "hello"
        },
        "p50_ms": {name: r["p50_ms"] for name, r in results.items()},
        "p99_ms": {name: r["p99_ms"] for name, r in results.items()},
        "dashboard_p99_ratio": round(results["dashboard"]["p99_ms"] / hello_p99, 2),
        "errors": {name: r["errors"] for name, r in results.items()},
        "connections": args.connections,
        "seconds": args.seconds,
        "path": "nginx (TLS) -> gunicorn (gevent-websocket, 1 worker) on loopback",
    }))  # fmt: skip


if __name__ == "__main__":
    main()
