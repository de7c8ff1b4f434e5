"""Watching runs over real Socket.IO connections to real server processes."""

from __future__ import annotations

import random
import threading
import time

import pytest
import requests
import socketio

from tests.integration.live.conftest import Deployment
from tests.support.server import example_brief
from tests.support.watch import RunWatcher, WatchRefused

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def start_run(deployment: Deployment, **brief) -> str:
    client = deployment.login("exec")
    response = client.post_json("/api/runs", example_brief(**brief))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def stored_events(deployment: Deployment, run_id: str) -> list[dict]:
    client = deployment.login("member", deployment.watch_server)
    events, after = [], 0
    while True:
        page = client.get_json(f"/api/runs/{run_id}/events?after_seq={after}&limit=1000")
        events += page["events"]
        after = page["last_seq"]
        if not page["more"]:
            return events


def cookie_watcher(deployment: Deployment, name: str = "member") -> RunWatcher:
    session = deployment.login(name, deployment.watch_server)
    return RunWatcher(deployment.watch_server.base_url, cookie=session.cookie_header()).connect()


def token_watcher(deployment: Deployment, name: str = "exec2") -> RunWatcher:
    return RunWatcher(deployment.watch_server.base_url, token=deployment.accounts[name].token).connect()


def test_two_watchers_see_identical_ordered_events(deployment):
    first, second = cookie_watcher(deployment), token_watcher(deployment)
    try:
        run_id = start_run(deployment)
        first.watch(run_id)
        second.watch(run_id)
        first.wait_finished(run_id)
        second.wait_finished(run_id)
        stored = stored_events(deployment, run_id)
        assert [e["seq"] for e in stored] == list(range(1, len(stored) + 1))
        assert stored[-1]["type"] == "run.completed"
        assert first.delivered[run_id] == second.delivered[run_id] == stored
        assert not first.held[run_id] and not second.held[run_id]
    finally:
        first.disconnect()
        second.disconnect()


def test_reconnecting_watchers_end_with_every_event_once(deployment):
    """20 watchers, each dropping its connection at a random point and coming back with its last seq."""
    rng = random.Random(20261121)
    runs = [start_run(deployment, name=f"Reconnect {n}") for n in range(20)]
    watchers = [token_watcher(deployment, rng.choice(["exec", "exec2", "member", "admin"])) for _ in runs]
    drop_after = [rng.randint(1, 45) for _ in runs]
    errors: list[BaseException] = []

    def follow(watcher: RunWatcher, run_id: str, drop_at: int) -> None:
        try:
            watcher.watch(run_id)
            watcher.wait_until(lambda: len(watcher.seqs(run_id)) >= drop_at or watcher.finished(run_id), 60, "drop point")
            watcher.disconnect()
            time.sleep(rng.uniform(0, 0.3))  # events keep coming while it is away
            watcher.reconnect([run_id])
            watcher.wait_finished(run_id)
        except BaseException as exc:  # noqa: BLE001 - reported below with the run
            errors.append(exc)

    threads = [threading.Thread(target=follow, args=args) for args in zip(watchers, runs, drop_after, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert not errors, errors
        reconnected_mid_run = 0
        for watcher, run_id, drop_at in zip(watchers, runs, drop_after, strict=True):
            stored = stored_events(deployment, run_id)
            assert watcher.delivered[run_id] == stored, run_id
            assert watcher.seqs(run_id) == list(range(1, len(stored) + 1))
            assert not watcher.held[run_id]
            reconnected_mid_run += drop_at < len(stored)
        assert reconnected_mid_run >= 15  # most drops happened while the run was still going
    finally:
        for watcher in watchers:
            watcher.disconnect()


def test_other_organisation_and_anonymous_are_refused(deployment):
    run_id = start_run(deployment)
    outsider = token_watcher(deployment, "outsider")
    try:
        with pytest.raises(WatchRefused) as refused:
            outsider.watch(run_id)
        assert refused.value.code == "not_found"
        with pytest.raises(WatchRefused) as unknown:
            outsider.watch("0" * 32)
        assert unknown.value.code == "not_found"  # an unknown id answers exactly alike
        assert outsider.call("cancel", {"run_id": run_id})["error"]["code"] == "not_found"
    finally:
        outsider.disconnect()
    base = deployment.watch_server.base_url
    with pytest.raises(socketio.exceptions.ConnectionError):
        RunWatcher(base).connect()
    with pytest.raises(socketio.exceptions.ConnectionError):
        RunWatcher(base, token="cat_not-a-real-token").connect()
    with pytest.raises(socketio.exceptions.ConnectionError):
        RunWatcher(base, cookie="catalyst_session=forged").connect()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_cross_origin_handshake_is_refused(deployment, transport):
    base = deployment.watch_server.base_url
    token = deployment.accounts["member"].token
    # The server answers the handshake with 400 (over WebSocket the client reports it as an empty
    # packet, a ValueError, rather than a ConnectionError).
    with pytest.raises((socketio.exceptions.ConnectionError, ValueError)):
        RunWatcher(base, token=token, origin="http://evil.example", transports=(transport,)).connect()
    refused = requests.get(
        f"{base}/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://evil.example"}, timeout=5
    )
    assert refused.status_code == 400
    if transport == "websocket":
        RunWatcher(base, token=token, origin=base, transports=(transport,)).connect().disconnect()
    else:  # a polling client's disconnect waits out a long-poll; the handshake alone says enough
        handshake = requests.get(f"{base}/socket.io/?EIO=4&transport=polling", headers={"Origin": base}, timeout=5)
        assert handshake.status_code == 200 and '"sid"' in handshake.text


def test_flood_is_rate_limited_and_bad_payloads_get_error_acks(deployment):
    run_id = start_run(deployment)
    watcher = token_watcher(deployment, "flood")
    try:
        for payload in (None, "run", 7, [1], {"run_id": 5}, {"run_id": run_id, "after_seq": -1}, {"run_id": ""}):
            ack = watcher.call("watch", payload)
            assert ack["ok"] is False and ack["error"]["code"] == "validation_failed", payload
        assert watcher.call("approve", {"run_id": run_id, "decision": "sure"})["error"]["code"] == "validation_failed"
        acks = [watcher.call("watch", {"run_id": run_id, "after_seq": 10**6}) for _ in range(110)]
        codes = [a["error"]["code"] for a in acks if not a["ok"]]
        assert "rate_limited" in codes
        limited = next(a for a in acks if not a["ok"])
        assert limited["error"]["retry_after"] >= 1
        assert watcher.client.connected  # refused events, never a dropped connection
    finally:
        watcher.disconnect()


def test_watcher_counts_follow_joins_and_leaves(deployment):
    run_id = start_run(deployment, budget="1000")  # pauses for approval: stays around
    first, second = token_watcher(deployment, "member"), token_watcher(deployment, "exec2")
    try:
        first.watch(run_id)
        second.watch(run_id)
        first.wait_until(lambda: 2 in first.watcher_counts.get(run_id, []), 10, "count 2")
        assert first.call("unwatch", {"run_id": run_id})["ok"]
        second.wait_until(lambda: second.watcher_counts[run_id][-1] == 1, 10, "count back to 1")
    finally:
        first.disconnect()
        second.disconnect()


def test_approve_and_cancel_over_the_socket(deployment):
    run_id = start_run(deployment, budget="1000")
    member, executive = token_watcher(deployment, "member"), token_watcher(deployment, "exec")
    try:
        executive.watch(run_id)
        executive.wait_until(lambda: "run.paused" in executive.types(run_id), 60, "the approval pause")
        refused = member.call("approve", {"run_id": run_id, "decision": "approve"})
        assert refused["error"]["code"] == "forbidden"
        ack = executive.call("approve", {"run_id": run_id, "decision": "approve", "note": "go"})
        assert ack["ok"] and ack["status"] in ("queued", "running")
        executive.wait_finished(run_id)
        assert executive.types(run_id)[-1] == "run.completed"
        assert executive.call("cancel", {"run_id": run_id})["error"]["code"] == "run_finished"
    finally:
        member.disconnect()
        executive.disconnect()


def test_logout_everywhere_disconnects_the_users_sockets(deployment):
    session = deployment.login("admin", deployment.api_server)
    watcher = RunWatcher(deployment.watch_server.base_url, cookie=session.cookie_header()).connect()
    bystander = token_watcher(deployment, "member")
    try:
        dashboard = session.get(session.url("/dashboard"))
        assert dashboard.status_code == 200
        response = session.post(session.url("/logout-everywhere"), data={"csrf_token": session.csrf}, allow_redirects=False)
        assert response.status_code == 302
        assert watcher.disconnected.wait(10), "the logged-out user's socket stayed open"
        assert bystander.client.connected
    finally:
        watcher.disconnect()
        bystander.disconnect()
