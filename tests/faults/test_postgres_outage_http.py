"""PostgreSQL goes away under a running server: every request that needs it answers 503 + Retry-After.

Before the fix a bearer-token POST answered 400 `csrf_failed` (the failed token lookup looked like
"no token", so CSRF applied), which tells a client its request is wrong and not to retry; other
requests answered 500. A private cluster is stopped here, never the shared server on :5432.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.postgres_cluster import PrivatePostgres, seed_catalyst
from tests.support.server import CatalystServer, example_brief

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[PrivatePostgres, CatalystServer, dict]]:
    with PrivatePostgres(tmp_path) as pg:
        database, accounts = seed_catalyst(pg, tmp_path, {"exec": ("executive", "Acme")})
        server = CatalystServer(database, tmp_path, env={"OFFLINE_PACE_SECONDS": "0.01"})
        server.start(timeout=60)
        try:
            yield pg, server, accounts
        finally:
            server.stop()


def assert_storage_unavailable(response: requests.Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:500])
    assert int(response.headers["Retry-After"]) > 0
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "storage_unavailable"
    assert body["error"]["message"]


def test_requests_during_an_outage_answer_503_with_retry_after(stack) -> None:
    pg, server, accounts = stack
    bearer = {"Authorization": f"Bearer {accounts['exec'].token}"}
    api = server.base_url + "/api"
    browser = server.login(accounts["exec"].email)
    assert requests.post(api + "/runs", json=example_brief(), headers=bearer, timeout=15).status_code == 201

    pg.stop()  # fast shutdown: the server's pooled connections are terminated

    # The reported fault: a bearer POST must not fall through to CSRF.
    for _ in range(3):  # pooled connections die one by one; each attempt must answer the same
        assert_storage_unavailable(requests.post(api + "/runs", json=example_brief(), headers=bearer, timeout=30))
    assert_storage_unavailable(requests.get(api + "/runs", headers=bearer, timeout=30))
    assert_storage_unavailable(requests.post(api + "/tokens", json={"name": "x"}, headers=bearer, timeout=30))
    # A browser session (SQL-backed here): JSON for the API, a plain page for HTML, never 400/500.
    assert_storage_unavailable(browser.post_json("/api/runs", example_brief()))
    page = browser.get(server.base_url + "/dashboard", timeout=30, allow_redirects=False)
    assert page.status_code == 503, (page.status_code, page.text[:300])
    assert "Retry-After" in page.headers
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in page.text
    assert "Traceback" not in page.text
    # Liveness never touches the database.
    assert requests.get(server.base_url + "/health", timeout=15).status_code == 200
    ready = requests.get(server.base_url + "/health/ready", timeout=30)
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"]["reason"] == "connection"

    pg.start()  # same port: the server recovers on its own
    deadline = time.monotonic() + 60
    while True:
        response = requests.post(api + "/runs", json=example_brief(), headers=bearer, timeout=30)
        if response.status_code == 201 or time.monotonic() > deadline:
            break
        assert_storage_unavailable(response)
        time.sleep(0.5)
    assert response.status_code == 201, response.text[:500]
    assert server.process is not None and server.process.poll() is None
    assert "csrf" not in server.output().lower()
