"""A socket does not outlive the credential it connected with (issue 12, finding 4).

A real `python app.py` executes a paced run while watchers follow it. (a) The user logs out of the
web session the watcher connected with: the watcher is disconnected and receives nothing more. (b)
A watcher connected with an API token whose token is revoked (the API's DELETE /api/tokens/<id>,
which closes no socket itself): it stops receiving events within the access check's few seconds
and is disconnected. A bystander watching the same run keeps receiving, and the run keeps
producing events meanwhile, so "nothing more" is not just the run having ended.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from tests.support.server import Account, CatalystServer, Client, example_brief, seed_database
from tests.support.watch import RunWatcher

pytestmark = pytest.mark.slow

ACCOUNTS = {"exec": ("executive", "Acme"), "member": ("member", "Acme"), "bystander": ("member", "Acme")}
# Slow enough that a run is still producing events for well over ten seconds.
SERVER_ENV = {"OFFLINE_PACE_SECONDS": "1.0", "LOG_LEVEL": "WARNING"}
ACCESS_RECHECK_SECONDS = 2.0  # web.socket_access.ACCESS_TTL_SECONDS


@dataclass
class Live:
    server: CatalystServer
    accounts: dict[str, Account]

    def api(self, name: str) -> requests.Session:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {self.accounts[name].token}"
        return http

    def stored_seq(self, run_id: str) -> int:
        """The run's last stored seq (the log over HTTP, page by page)."""
        last, api = 0, self.api("exec")
        while True:
            url = f"{self.server.base_url}/api/runs/{run_id}/events"
            page = api.get(url, params={"after_seq": last}, timeout=10)
            page.raise_for_status()
            body = page.json()
            last = body["last_seq"]
            if not body["more"]:
                return last

    def start_run(self, session: Client) -> str:
        response = session.post_json("/api/runs", example_brief(name="Paced"))
        assert response.status_code == 201, response.text
        return response.json()["id"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("after-logout")
    database, accounts = seed_database(tmp, "sqlite", ACCOUNTS)
    with CatalystServer(database, tmp, env=SERVER_ENV, name="logout") as server:
        yield Live(server, accounts)


def following(watcher: RunWatcher, run_id: str, events: int = 3) -> None:
    watcher.watch(run_id)
    watcher.wait_until(lambda: len(watcher.types(run_id)) >= events, 30, f"{events} events")


def assert_cut_off(live: Live, watchers: list[RunWatcher], bystander: RunWatcher, run_id: str,
                   within: float) -> None:  # fmt: skip
    """Each watcher is disconnected within `within` seconds and gets nothing after, while the run
    goes on and the bystander keeps hearing it."""
    deadline = time.monotonic() + within
    for watcher in watchers:
        assert watcher.disconnected.wait(max(0.0, deadline - time.monotonic())), "a socket stayed open"
    delivered = [len(watcher.types(run_id)) for watcher in watchers]
    stored_then, heard_then = live.stored_seq(run_id), len(bystander.types(run_id))
    time.sleep(ACCESS_RECHECK_SECONDS + 1.0)
    after = [len(watcher.types(run_id)) for watcher in watchers]
    assert after == delivered, "events arrived after the cut-off"
    assert live.stored_seq(run_id) > stored_then, "the run stopped producing events: the test proves nothing"
    assert len(bystander.types(run_id)) > heard_then, "the bystander stopped hearing the run"


def test_logout_ends_the_sessions_sockets(live: Live) -> None:
    session = live.server.login(live.accounts["exec"].email)
    run_id = live.start_run(session)
    watcher = RunWatcher(live.server.base_url, cookie=session.cookie_header()).connect()
    cookie = session.cookie_header()
    polling = RunWatcher(live.server.base_url, cookie=cookie, transports=("polling",)).connect()
    bystander = RunWatcher(live.server.base_url, token=live.accounts["bystander"].token).connect()
    try:
        for client in (watcher, polling, bystander):
            following(client, run_id)
        form = {"csrf_token": session.csrf}
        response = session.post(session.url("/logout"), data=form, allow_redirects=False)
        assert response.status_code == 302
        assert_cut_off(live, [watcher, polling], bystander, run_id, within=5)
    finally:
        for client in (watcher, polling, bystander):
            client.disconnect()


def test_revoked_token_stops_the_stream(live: Live) -> None:
    owner = live.server.login(live.accounts["member"].email)
    created = owner.post_json("/api/tokens", {"name": "watch-only"})
    assert created.status_code == 201, created.text
    token = created.json()
    plain = token["token"]
    starter = live.server.login(live.accounts["exec"].email)
    run_id = live.start_run(starter)
    watcher = RunWatcher(live.server.base_url, token=plain).connect()
    bystander = RunWatcher(live.server.base_url, token=live.accounts["bystander"].token).connect()
    try:
        following(watcher, run_id)
        following(bystander, run_id)
        revoked = owner.delete(owner.url(f"/api/tokens/{token['id']}"), headers={"X-CSRFToken": owner.csrf},
                               timeout=10)  # fmt: skip
        assert revoked.status_code in (200, 204), revoked.text
        revoked_at = time.monotonic()
        assert_cut_off(live, [watcher], bystander, run_id, within=ACCESS_RECHECK_SECONDS + 4)
        assert time.monotonic() - revoked_at < ACCESS_RECHECK_SECONDS + 8
    finally:
        watcher.disconnect()
        bystander.disconnect()
