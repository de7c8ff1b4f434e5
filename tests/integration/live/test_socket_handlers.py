"""Socket handlers in-process (Flask-SocketIO's test client) on SQLite and PostgreSQL: who may do what."""

from __future__ import annotations

import pytest

from services import accounts, users
from services.db import db
from services.holdings import holdings
from services.models import ApiToken, User
from tests.conftest import with_user
from tests.support.api import JsonClient, brief
from web.extensions import socketio


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def socket_for(app, flask_client=None, token: str | None = None):
    return socketio.test_client(app, flask_test_client=flask_client, auth={"token": token} if token else None)


def ack(client, event: str, data=None) -> dict:
    return client.emit(event, data, callback=True)


def new_run(app, make_user, org: str = "Acme") -> tuple[JsonClient, str]:
    api = JsonClient(app.test_client()).login(make_user("executive", org=org).email)
    return api, api.post("/api/runs", brief()).get_json()["id"]


def test_cookie_socket_watches_its_organisations_runs_only(app, make_user):
    api, run_id = new_run(app, make_user)
    api.post(f"/api/runs/{run_id}/cancel")  # one stored event: run.cancelled
    sock = socket_for(app, api.client)
    assert sock.is_connected()
    watched = ack(sock, "watch", {"run_id": run_id})
    assert watched["ok"] and watched["status"] == "cancelled" and watched["watchers"] == 1
    assert [e["type"] for e in watched["events"]] == ["run.cancelled"] and watched["last_seq"] == 1
    assert ack(sock, "watch", {"run_id": run_id, "after_seq": 1})["events"] == []
    _, foreign = new_run(app, make_user, org="Globex")
    assert ack(sock, "watch", {"run_id": foreign})["error"]["code"] == "not_found"
    assert ack(sock, "unwatch", {"run_id": run_id})["ok"]


def test_anonymous_and_bad_tokens_are_refused(app):
    assert not socket_for(app).is_connected()
    assert not socket_for(app, token="cat_nope").is_connected()
    assert not socket_for(app, token=12345).is_connected()  # type: ignore[arg-type]


def test_malformed_payloads_get_error_acks(app, make_user):
    api, run_id = new_run(app, make_user)
    sock = socket_for(app, api.client)
    for payload in (None, "x", 3, [], {"run_id": None}, {"run_id": "a" * 40}, {"run_id": run_id, "after_seq": "many"}):
        reply = ack(sock, "watch", payload)
        assert reply == {"ok": False, "error": reply["error"]} and reply["error"]["code"] == "validation_failed"
    assert ack(sock, "cancel", {"nothing": 1})["error"]["code"] == "validation_failed"
    extra_args = sock.emit("watch", {"run_id": run_id}, "surplus", 42, callback=True)
    assert extra_args["ok"]  # surplus arguments are ignored, not a crash
    assert ack(sock, "explode", {})["error"]["code"] == "unknown_event"
    assert sock.is_connected()


def test_member_cannot_approve_or_cancel(app, make_user):
    _, run_id = new_run(app, make_user)
    member = JsonClient(app.test_client()).login(make_user("member").email)
    sock = socket_for(app, member.client)
    assert ack(sock, "cancel", {"run_id": run_id})["error"]["code"] == "forbidden"
    assert ack(sock, "approve", {"run_id": run_id, "decision": "approve"})["error"]["code"] == "forbidden"


def test_deactivated_user_is_refused_and_disconnected(app, make_user):
    user = make_user("executive")
    api = JsonClient(app.test_client()).login(user.email)
    run_id = api.post("/api/runs", brief()).get_json()["id"]
    sock = socket_for(app, api.client)
    assert ack(sock, "watch", {"run_id": run_id})["ok"]
    with_user(app, user.id, lambda u: accounts.set_active(u, False))
    reply = ack(sock, "watch", {"run_id": run_id})
    assert reply["error"]["code"] == "unauthorized"  # the ack comes first, then the disconnect
    socketio.sleep(0.5)
    assert not sock.is_connected()


def test_revoked_token_ends_the_socket(app, make_user):
    user = make_user("executive")
    with app.app_context():
        token, plain = users.create_token(db.session.get(User, user.id), "sock")
        token_id = token.id
    sock = socket_for(app, token=plain)
    assert sock.is_connected()
    assert ack(sock, "watch", {"run_id": "0" * 32})["error"]["code"] == "not_found"
    with app.app_context():
        users.revoke_token(db.session.get(ApiToken, token_id))
    assert ack(sock, "watch", {"run_id": "0" * 32})["error"]["code"] == "unauthorized"
    socketio.sleep(0.5)
    assert not sock.is_connected()


def test_disconnect_user_closes_every_socket_of_that_user_only(app, make_user):
    user, other = make_user("member"), make_user("member")
    first = socket_for(app, JsonClient(app.test_client()).login(user.email).client)
    second = socket_for(app, JsonClient(app.test_client()).login(user.email).client)
    bystander = socket_for(app, JsonClient(app.test_client()).login(other.email).client)
    holdings(app).disconnect_user(user.id)
    assert not first.is_connected() and not second.is_connected()
    assert bystander.is_connected()
