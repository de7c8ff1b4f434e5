"""A burst of concurrent requests on the embedded default never starves the connection pool (issue 12 item 5).

Each request held a pooled SQLAlchemy connection while the SQL session store checked out a second
one to save the session: with the pool full of requests waiting for their second connection, 40
concurrent requests answered 37 x 500 after 30-75 s and `/login` froze. A real `python app.py` on
SQLite without Redis (sessions in SQL) takes 200 concurrent requests here: signed-in page views and
the API reads their scripts make, anonymous `/login` views and bearer-token API reads. Every one is
answered (before the fix: 503/500 after the pool timeout), and `/login` still answers afterwards.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import gevent.event
import gevent.pool
import pytest
import requests

from tests.support.server import CatalystServer, seed_database

pytestmark = pytest.mark.timeout(280)

CONCURRENT = 200
BROWSERS = 12
# Generous, only so that a starved server fails the test instead of hanging it.
REQUEST_TIMEOUT = 120


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[CatalystServer, dict]]:
    database, accounts = seed_database(
        tmp_path, "sqlite", {"exec": ("executive", "Acme"), "member": ("member", "Acme")}
    )
    with CatalystServer(database, tmp_path) as running:
        yield running, accounts


def _requests(server: CatalystServer, accounts: dict) -> list[tuple[str, dict[str, str]]]:
    """(path, headers) for every request of the burst, interleaved so that all kinds overlap."""
    emails = [accounts["exec" if i % 2 else "member"].email for i in range(BROWSERS)]
    cookies = [server.login(email).cookie_header() for email in emails]
    bearer = [f"Bearer {accounts[name].token}" for name in ("exec", "member")]
    kinds = [
        lambda i: ("/dashboard", {"Cookie": cookies[i % BROWSERS]}),
        lambda i: ("/api/runs", {"Cookie": cookies[i % BROWSERS]}),  # what the dashboard's script fetches
        lambda i: ("/api/me", {"Cookie": cookies[i % BROWSERS]}),
        lambda i: ("/login", {}),
        lambda i: ("/api/runs", {"Cookie": cookies[i % BROWSERS]}),
        lambda i: ("/api/runs", {"Authorization": bearer[i % 2]}),
        lambda i: ("/runs", {"Cookie": cookies[i % BROWSERS]}),
        lambda i: ("/api/me", {"Authorization": bearer[i % 2]}),
    ]
    return [kinds[i % len(kinds)](i) for i in range(CONCURRENT)]


def test_concurrent_requests_are_all_answered_and_login_stays_responsive(server) -> None:
    running, accounts = server
    burst = _requests(running, accounts)

    go = gevent.event.Event()

    def fetch(item: tuple[str, dict[str, str]]) -> tuple[str, int | str]:
        """Connect first, then send on the signal: the server sees all 200 requests at once."""
        path, headers = item
        conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.connect()
            go.wait()
            conn.request("GET", path, headers={**headers, "Connection": "close"})
            response = conn.getresponse()
            response.read()
            return path, response.status
        except OSError as exc:  # timeouts included
            return path, type(exc).__name__
        finally:
            conn.close()

    pool = gevent.pool.Pool(CONCURRENT)
    jobs = [pool.spawn(fetch, item) for item in burst]
    gevent.sleep(1)  # every connection is open and accepted
    go.set()
    pool.join()
    results = [job.value for job in jobs]

    failures = [(path, status) for path, status in results if status != 200]
    log_tail = running.output()[-3000:]
    assert not failures, f"{len(failures)} of {CONCURRENT} failed: {failures[:20]}\n{log_tail}"

    # Afterwards the server is not wedged: the login page and a fresh login still work.
    assert requests.get(running.base_url + "/login", timeout=15).status_code == 200
    browser = running.login(accounts["exec"].email)
    assert browser.get(running.base_url + "/dashboard", timeout=15).status_code == 200
