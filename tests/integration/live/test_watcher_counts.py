"""Watcher counts when a crowd joins one run (Flask-SocketIO's test client, SQLite and PostgreSQL).

Each join used to send the new count to everyone already watching: 500 sockets joining sent a
quarter of a million `watchers` messages, queued ahead of the run's own events. Counts now go out
at most once per interval per run, and the last one sent is the total.
"""

from __future__ import annotations

import time

import pytest

from services.holdings import holdings
from tests.support.api import JsonClient, brief
from web.extensions import socketio

CROWD = 30


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def counts_heard(sock, run_id: str) -> list[int]:
    return [
        message["args"][0]["count"]
        for message in sock.get_received()
        if message["name"] == "watchers" and message["args"][0]["run_id"] == run_id
    ]


def test_a_crowd_joining_at_once_hears_a_few_counts_ending_with_the_total(app, make_user):
    api = JsonClient(app.test_client()).login(make_user("executive").email)
    run_id = api.post("/api/runs", brief()).get_json()["id"]
    observer = socketio.test_client(app, flask_test_client=api.client)
    assert observer.emit("watch", {"run_id": run_id}, callback=True)["watchers"] == 1
    crowd = [socketio.test_client(app, flask_test_client=api.client) for _ in range(CROWD)]
    acks = [sock.emit("watch", {"run_id": run_id}, callback=True) for sock in crowd]
    assert [ack["watchers"] for ack in acks] == list(range(2, CROWD + 2))  # each join's ack counts at once

    heard = counts_heard(observer, run_id)
    deadline = time.monotonic() + 30
    while (not heard or heard[-1] != CROWD + 1) and time.monotonic() < deadline:
        socketio.sleep(0.05)  # the interval's last count goes out from a background task
        heard += counts_heard(observer, run_id)
    assert heard and heard[-1] == CROWD + 1
    assert heard == sorted(heard)
    # One message per join would be CROWD + 1 of them.
    assert len(heard) < CROWD + 1

    for sock in crowd:
        sock.disconnect()
    deadline = time.monotonic() + 30
    while (not heard or heard[-1] != 1) and time.monotonic() < deadline:
        socketio.sleep(0.05)
        heard += counts_heard(observer, run_id)
    assert heard[-1] == 1  # the leaves are told too, ending with the observer alone
