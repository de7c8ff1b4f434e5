"""Bearer tokens are remembered for a few seconds: no query on a hit, and nothing stale where it matters."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, update

from services import accounts, users
from services.db import db, utcnow
from services.models import ApiToken, User
from services.token_cache import TOKENS


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(TOKENS, "clock", lambda: now[0])
    TOKENS.forget_all()
    yield now
    TOKENS.forget_all()


def token_for(app, user_id: int) -> tuple[int, str]:
    with app.app_context():
        token, plain = users.create_token(db.session.get(User, user_id), "ci")
        return token.id, plain


@contextmanager
def statements(app):
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def me(client, plain: str):
    return client.get("/api/me", headers={"Authorization": f"Bearer {plain}"})


def test_a_remembered_token_costs_no_query(app, client, make_user, clock):
    user = make_user("executive")
    _token_id, plain = token_for(app, user.id)
    assert me(client, plain).status_code == 200
    with statements(app) as seen:
        answer = me(client, plain)
    assert answer.status_code == 200 and answer.get_json()["email"] == user.email
    assert not any("api_tokens" in statement for statement in seen), seen


def test_revoking_or_deactivating_here_takes_effect_at_once(app, client, make_user, clock):
    revoked_owner, deactivated = make_user("executive"), make_user("executive")
    token_id, plain = token_for(app, revoked_owner.id)
    _other_id, other_plain = token_for(app, deactivated.id)
    assert me(client, plain).status_code == 200 and me(client, other_plain).status_code == 200
    with app.app_context():
        users.revoke_token(db.session.get(ApiToken, token_id))
        accounts.set_active(db.session.get(User, deactivated.id), False)
    assert me(client, plain).status_code == 401
    assert me(client, other_plain).status_code == 401


def test_a_change_made_by_another_process_holds_once_the_entry_expires(app, client, make_user, clock):
    user = make_user("executive")
    token_id, plain = token_for(app, user.id)
    assert me(client, plain).status_code == 200
    with app.app_context():  # as another process would: straight to the database, no cache to clear
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=utcnow()))
        db.session.commit()
    assert me(client, plain).status_code == 200, "remembered for a few seconds"
    clock[0] += TOKENS.ttl + 0.1
    assert me(client, plain).status_code == 401


def test_the_role_a_request_sees_is_never_an_old_one(app, client, make_user, clock):
    user = make_user("executive")
    _token_id, plain = token_for(app, user.id)
    assert me(client, plain).get_json()["role"] == "executive"
    with app.app_context():
        accounts.set_role(db.session.get(User, user.id), "member")
    assert me(client, plain).get_json()["role"] == "member"
