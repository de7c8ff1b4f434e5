"""A request never holds two pool connections at once.

It did: the events API, the dashboard and the report read the event log and the AI ledger on a
connection of their own while the request's session held another. With every request waiting for
its second connection the pool ran dry, and at 64 connections those pages answered nothing for
30 s (found by bench/http_api.py). Each request here counts the connections it has out at once.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from services.db import db
from tests.support.api import JsonClient, brief, execute_queued


@contextmanager
def most_connections_out(app):
    """Yields a list whose one value ends as the most connections checked out at the same time."""
    with app.app_context():
        engine = db.engine
    out, most = [0], [0]

    def checkout(*_args) -> None:
        out[0] += 1
        most[0] = max(most[0], out[0])

    def checkin(*_args) -> None:
        out[0] -= 1

    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)
    try:
        yield most
    finally:
        event.remove(engine, "checkout", checkout)
        event.remove(engine, "checkin", checkin)


@pytest.fixture
def finished_run(app, client, make_user):
    api = JsonClient(client).login(make_user("admin").email)
    run = api.post("/api/runs", brief(agents=["legal"])).get_json()
    execute_queued(app)
    assert api.get(f"/api/runs/{run['id']}").get_json()["status"] == "completed"
    return api, run["id"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/runs/{run}/events",
        "/api/runs",
        "/api/runs/{run}",
        "/api/admin/budget",
        "/dashboard",
        "/runs/{run}",
        "/runs/{run}/report",
    ],
)
def test_each_request_uses_one_connection_at_a_time(app, finished_run, path):
    api, run_id = finished_run
    with most_connections_out(app) as most:
        response = api.client.get(path.format(run=run_id))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert most[0] == 1, f"GET {path} held {most[0]} connections at once"


def test_creating_a_run_uses_one_connection_at_a_time(app, client, make_user):
    """The dashboards' `run.summary` is read after the create's commit: not beside a reload of the run."""
    api = JsonClient(client).login(make_user("executive").email)
    with most_connections_out(app) as most:
        response = api.post("/api/runs", brief())
    assert response.status_code == 201
    assert most[0] == 1, f"POST /api/runs held {most[0]} connections at once"
