"""An Engine.IO session id is not a credential (issue 12, finding 3).

Through the shipped nginx config in front of a real `python app.py`: a client on HTTP long-polling
(which carries `sid` in the query string) leaves no sid in nginx's access log, and another HTTP
client that learnt the sid anyway cannot speak for that socket: an `approve` packet posted with
the victim's sid, without the victim's credential or with another user's, is refused and the run
stays paused; the victim's socket carries on untouched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import socketio

from tests.deploy.nginx_tools import NginxLayout, NginxProcess, render_config
from tests.support.server import Account, CatalystServer, Client, example_brief, seed_database
from tests.support.watch import RunWatcher

pytestmark = pytest.mark.slow

ACCOUNTS = {
    "exec": ("executive", "Acme"),
    "colleague": ("executive", "Acme"),
    "outsider": ("admin", "Globex"),
}
SERVER_ENV = {
    "OFFLINE_PACE_SECONDS": "0.01",
    "PROXY_FIX_X_FOR": "1",
    "PROXY_FIX_X_PROTO": "1",
    "PROXY_FIX_X_HOST": "1",
    "LOG_LEVEL": "WARNING",
}


class PollingWatcher(RunWatcher):
    """The watch-protocol client on long-polling only, over https through nginx (self-signed)."""

    certificate = ""

    def connect(self, timeout: float = 10.0) -> PollingWatcher:
        http = requests.Session()
        http.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
        http.verify = self.certificate
        client = socketio.Client(reconnection=False, http_session=http)
        client.on("event", self._on_event)
        client.on("watchers", self._on_watchers)
        client.on("disconnect", lambda *args: self.disconnected.set())
        headers = {"Cookie": self.cookie} if self.cookie else {}
        client.connect(
            self.base_url,
            headers=headers,
            auth={"token": self.token} if self.token else None,
            transports=["polling"],
            wait_timeout=timeout,
        )
        self.client = client
        return self

    @property
    def sid(self) -> str:
        assert self.client is not None
        return self.client.eio.sid


@dataclass
class Proxied:
    server: CatalystServer
    layout: NginxLayout
    proxy: NginxProcess
    accounts: dict[str, Account]

    def url(self, path: str = "") -> str:
        return self.proxy.https_url(path)

    def login(self, name: str) -> Client:
        client = Client(self.url())
        client.verify = str(self.layout.certificate)
        client.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
        client.headers["Referer"] = self.url("/")  # CSRF over https checks the referrer
        return client.login(self.accounts[name].email)

    def watcher(self, **credential: str) -> PollingWatcher:
        watcher = PollingWatcher(self.url(), transports=("polling",), **credential)
        watcher.certificate = str(self.layout.certificate)
        return watcher.connect()

    def access_log(self) -> list[dict[str, Any]]:
        text = self.layout.access_log.read_text() if self.layout.access_log.exists() else ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def replay(self, sid: str, body: str, **kwargs: Any) -> requests.Response:
        """A polling POST naming someone else's session, as a stranger would send it."""
        url = self.url(f"/socket.io/?EIO=4&transport=polling&sid={sid}")
        headers = {"Content-Type": "text/plain;charset=UTF-8", **kwargs.pop("headers", {})}
        return self.stranger().post(url, data=body.encode(), headers=headers, timeout=10, **kwargs)

    def stranger(self) -> requests.Session:
        """A plain HTTP client with no cookies of anyone."""
        http = requests.Session()
        http.trust_env = False
        http.verify = str(self.layout.certificate)
        return http


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    tmp = tmp_path_factory.mktemp("sid-replay")
    database, accounts = seed_database(tmp, "sqlite", ACCOUNTS)
    with CatalystServer(database, tmp, env=SERVER_ENV, name="sid") as server:
        layout = render_config(tmp / "nginx", upstreams=[f"127.0.0.1:{server.port}"])
        with NginxProcess(layout) as proxy:
            yield Proxied(server, layout, proxy, accounts)


def paused_run(proxied: Proxied, session: Client) -> str:
    response = session.post_json("/api/runs", example_brief(budget="1000"))  # over budget: asks for approval
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]
    deadline = time.monotonic() + 60
    while session.get_json(f"/api/runs/{run_id}")["status"] != "paused":
        assert time.monotonic() < deadline, "the run never paused for approval"
        time.sleep(0.1)
    return run_id


def approve_packet(run_id: str) -> str:
    """One Engine.IO message (4) holding a Socket.IO event (2) with an ack id (7)."""
    return "427" + json.dumps(["approve", {"run_id": run_id, "decision": "approve", "note": "replayed"}])


def wait_logged(proxied: Proxied, predicate: Any, timeout: float = 10.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        lines = proxied.access_log()
        if predicate(lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_polling_sid_is_not_logged_and_cannot_be_replayed(proxied: Proxied) -> None:
    victim = proxied.login("exec")
    run_id = paused_run(proxied, victim)
    watcher = proxied.watcher(cookie=victim.cookie_header())
    try:
        watcher.watch(run_id)
        assert "run.paused" in watcher.types(run_id)
        sid = watcher.sid

        lines = wait_logged(proxied, lambda ls: any(
            line["method"] == "POST" and line["uri"].startswith("/socket.io/") for line in ls))  # fmt: skip
        socket_lines = [line for line in lines if line["uri"].startswith("/socket.io/")]
        assert any(line["method"] == "POST" for line in socket_lines), lines
        raw_log = proxied.layout.access_log.read_text()
        assert "sid=" not in raw_log and sid not in raw_log and "EIO=" not in raw_log

        colleague = proxied.login("colleague")  # may approve runs of the same organisation
        outsider = proxied.login("outsider")
        colleague_token = proxied.accounts["colleague"].token
        strangers = {
            "no credential": {},
            "another user's session": {"headers": {"Cookie": colleague.cookie_header()}},
            "another org's session": {"headers": {"Cookie": outsider.cookie_header()}},
            "another user's token": {"headers": {"Authorization": f"Bearer {colleague_token}"}},
        }
        for who, kwargs in strangers.items():
            replayed = proxied.replay(sid, approve_packet(run_id), **kwargs)
            assert replayed.status_code in (400, 403), f"{who}: {replayed.status_code} {replayed.text[:200]}"
            # Nor may a stranger read the victim's packets with a poll.
            stolen = proxied.stranger().get(proxied.url(f"/socket.io/?EIO=4&transport=polling&sid={sid}"),
                                            timeout=10, **kwargs)  # fmt: skip
            assert stolen.status_code in (400, 403), f"{who} polled: {stolen.status_code}"

        time.sleep(1.0)  # what a replayed approval would have set in motion
        assert victim.get_json(f"/api/runs/{run_id}")["status"] == "paused"
        assert not {"approval.decided", "run.resumed"} & set(watcher.types(run_id))
        # The victim's socket was not touched: it still answers as its owner.
        assert watcher.client is not None and watcher.client.connected
        again = watcher.call("watch", {"run_id": run_id, "after_seq": watcher.last_seq[run_id]})
        assert again["ok"] and again["status"] == "paused"
    finally:
        watcher.disconnect()


def test_a_token_socket_on_polling_is_bound_to_its_client(proxied: Proxied) -> None:
    """A client that authenticates in the CONNECT packet sends no credential with its polls: its
    session is bound to the cookie its handshake was given."""
    owner = proxied.login("exec")
    run_id = paused_run(proxied, owner)
    watcher = proxied.watcher(token=proxied.accounts["exec"].token)
    try:
        watcher.watch(run_id)
        sid = watcher.sid
        for kwargs in ({}, {"headers": {"Authorization": f"Bearer {proxied.accounts['colleague'].token}"}},
                       {"headers": {"Cookie": owner.cookie_header()}}):  # fmt: skip
            replayed = proxied.replay(sid, approve_packet(run_id), **kwargs)
            assert replayed.status_code in (400, 403), f"{kwargs}: {replayed.status_code} {replayed.text[:100]}"
        time.sleep(1.0)
        assert owner.get_json(f"/api/runs/{run_id}")["status"] == "paused"
        assert watcher.client is not None and watcher.client.connected
        assert watcher.call("watch", {"run_id": run_id, "after_seq": watcher.last_seq[run_id]})["ok"]
        assert "sid=" not in proxied.layout.access_log.read_text()
    finally:
        watcher.disconnect()


def test_the_log_keeps_paths(proxied: Proxied) -> None:
    """Query strings are dropped, paths are kept (operators still see what was asked for)."""
    proxied.stranger().get(proxied.url("/login?next=/runs/secret-reset-token"), timeout=10)
    lines = wait_logged(proxied, lambda ls: any(line["uri"] == "/login" for line in ls))
    assert any(line["uri"] == "/login" for line in lines)
    assert "secret-reset-token" not in proxied.layout.access_log.read_text()
