"""Benchmark: what a request costs inside the app, without a network, against a bare Flask app.

The Flask test client calls the WSGI app directly, so this measures the app's own work only:
`GET /api/runs?per_page=50` (bearer token, 50 runs listed) and `GET /dashboard` (session cookie),
on a SQLite file and on PostgreSQL, seeded by bench/http_seed.py as bench/http_api.py is. The
baseline is bench/hello_app.py's bare Flask app through the same test client, measured between
the scenarios, so the machine's load weighs on both. Each figure is the median of `--rounds`
rounds of `--requests` requests after a warm-up; the statements a request sends are counted once.
The API's rate limit is raised (its refusals are not the path measured). The last line is one JSON
object; its headline is `/api/runs` on SQLite in milliseconds a request (issue 15: at most 1 ms).

    .venv/bin/python bench/in_process.py [--requests 500] [--rounds 5] [--backends sqlite,postgres]
"""

from gevent import monkey

monkey.patch_all()  # as the app is served: gevent's sockets and locks

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.headline import headline_line  # noqa: E402
from bench.http_seed import EMAIL, seed  # noqa: E402
from tests.support.server import PASSWORD, SECRET_KEY, reset_postgres_database  # noqa: E402

PG_NAME = "catalyst_bench_in_process"
RUNS = 50


def catalyst(backend: str, tmp: Path) -> tuple[Any, dict[str, str], Any]:
    """The seeded app, the bearer header of its executive and a test client logged in as them."""
    from app import create_app
    from config.settings import load_settings

    url = f"sqlite:///{tmp / 'bench.db'}" if backend == "sqlite" else reset_postgres_database(PG_NAME)
    seeded = seed(url, tmp / "instance", RUNS - 1)  # and one executed run: 50 in the list
    app = create_app(load_settings(
        app_env="development", database_url=url, instance_path=tmp / "instance", secret_key=SECRET_KEY,
        log_level="WARNING", api_rate_limit="1000000/minute", login_rate_limit="1000/minute",
    ))  # fmt: skip
    browser = app.test_client()
    login = browser.get("/login").get_data(as_text=True)
    token = login.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    answer = browser.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    if answer.status_code != 302:
        raise RuntimeError(f"login answered {answer.status_code}")
    return app, {"Authorization": f"Bearer {seeded.token}"}, browser


def timed(call: Callable[[], Any], requests: int, rounds: int) -> float:
    """Median over rounds of the milliseconds one call takes."""
    for _ in range(requests // 5):
        call()
    figures = []
    for _ in range(rounds):
        began = time.perf_counter()
        for _ in range(requests):
            call()
        figures.append((time.perf_counter() - began) / requests * 1000)
    return statistics.median(figures)


def statements(engine: Any, call: Callable[[], Any]) -> int:
    sent: list[str] = []

    def count(*_args: Any) -> None:
        sent.append("")

    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def checked(response: Any, expect: str) -> Any:
    if response.status_code != 200 or expect not in response.get_data(as_text=True):
        raise RuntimeError(f"answered {response.status_code} without {expect!r}")
    return response


def scenarios(api: Any, bearer: dict[str, str], browser: Any) -> dict[str, Callable[[], Any]]:
    return {
        "api_runs": lambda: checked(api.get(f"/api/runs?per_page={RUNS}", headers=bearer), '"total":50'),
        "dashboard": lambda: checked(browser.get("/dashboard"), "Recent runs"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    from bench.hello_app import app as hello_app
    from services.db import db

    hello = hello_app.test_client()
    results: dict[str, Any] = {}
    for backend in args.backends.split(","):
        app, bearer, browser = catalyst(backend, Path(tempfile.mkdtemp(prefix=f"catalyst-bench-{backend}-")))
        with app.app_context():
            engine = db.engine
        for name, call in scenarios(app.test_client(), bearer, browser).items():
            baseline = timed(lambda: hello.get("/"), args.requests, args.rounds)
            value = timed(call, args.requests, args.rounds)
            results[f"{backend}.{name}"] = {"ms": round(value, 3), "hello_ms": round(baseline, 3),
                                            "ratio": round(value / baseline, 2),
                                            "statements": statements(engine, call)}  # fmt: skip
            row = results[f"{backend}.{name}"]
            print(f"{backend:9} {name:10} {row['ms']:7.3f} ms  hello {row['hello_ms']:.3f} ms  "
                  f"{row['ratio']:5.1f}x  {row['statements']} statements", flush=True)  # fmt: skip
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    first = results.get("sqlite.api_runs") or next(iter(results.values()))
    print(headline_line({"metric": "in-process GET /api/runs?per_page=50 (SQLite), ms a request",
                      "value": first["ms"], "baseline": first["hello_ms"], "ratio": first["ratio"], "unit": "ms",
                      "target_ms": 1.0, "scenarios": results}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
