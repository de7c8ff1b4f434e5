"""The organisation's room: every dashboard of the org hears of a new run and of its status changes,
and nobody of another organisation does (Flask-SocketIO's test client, SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from services.holdings import holdings
from tests.support.api import JsonClient, brief
from web.extensions import socketio

SUMMARY_KEYS = {"run_id", "company", "status", "reason", "created_by", "created_at", "budget_usd"}


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def summaries(sock) -> list[dict]:
    return [item["args"][0] for item in sock.get_received() if item["name"] == "run.summary"]


def dashboard_socket(app, email: str):
    api = JsonClient(app.test_client()).login(email)
    sock = socketio.test_client(app, flask_test_client=api.client)
    assert sock.is_connected()
    sock.get_received()  # whatever connecting sent
    return api, sock


def test_a_colleagues_new_run_reaches_every_dashboard_of_the_org_only(app, make_user):
    starter, colleague = make_user("executive"), make_user("member")
    outsider = make_user("admin", org="Globex")
    api, _own = dashboard_socket(app, starter.email)
    _, watching = dashboard_socket(app, colleague.email)
    _, foreign = dashboard_socket(app, outsider.email)

    run_id = api.post("/api/runs", brief(name="Northwind")).get_json()["id"]

    created = summaries(watching)
    assert [s["run_id"] for s in created] == [run_id]
    assert set(created[0]) == SUMMARY_KEYS
    assert created[0]["company"] == "Northwind" and created[0]["status"] == "queued"
    assert created[0]["created_by"] == starter.email.split("@")[0]  # no name set: the address' local part
    assert summaries(foreign) == []

    api.post(f"/api/runs/{run_id}/cancel")
    assert [(s["run_id"], s["status"]) for s in summaries(watching)] == [(run_id, "cancelled")]
    assert summaries(foreign) == []


def test_a_socket_that_lost_access_gets_no_org_events(app, make_user):
    from services import accounts
    from tests.conftest import with_user

    starter, colleague = make_user("executive"), make_user("member")
    api, _ = dashboard_socket(app, starter.email)
    _, watching = dashboard_socket(app, colleague.email)
    with_user(app, colleague.id, lambda u: accounts.set_active(u, False))
    holdings(app).socket_access.ttl = 0  # re-check now, not after the cache's seconds
    api.post("/api/runs", brief(name="Northwind"))
    if watching.is_connected():  # the refusal may already have closed it (then nothing can arrive)
        assert summaries(watching) == []
    socketio.sleep(0.5)
    assert not watching.is_connected()
