"""The account CLI: users create/set-role/deactivate, tokens create, setup."""

from __future__ import annotations

from services.db import db
from services.models import User


def invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_users_create_generates_password_and_org(app):
    result = invoke(app, "users", "create", "--email", "Ceo@Example.com", "--role", "executive", "--org", "Initech")
    assert result.exit_code == 0, result.output
    assert "password (shown once):" in result.output
    with app.app_context():
        user = User.by_email("ceo@example.com")
        assert user.role.value == "executive" and user.organisation.name == "Initech"


def test_users_create_rejects_bad_input_cleanly(app):
    assert invoke(app, "users", "create", "--email", "nope", "--role", "member").exit_code != 0
    assert invoke(app, "users", "create", "--email", "a@b.co", "--role", "member", "--password", "short").exit_code != 0
    invoke(app, "users", "create", "--email", "a@b.co", "--role", "member")
    duplicate = invoke(app, "users", "create", "--email", "A@b.co", "--role", "member")
    assert duplicate.exit_code != 0 and "cannot be created in this organisation" in duplicate.output


def test_set_role_deactivate_and_token(app):
    invoke(app, "users", "create", "--email", "boss@example.com", "--role", "admin")
    invoke(app, "users", "create", "--email", "pat@example.com", "--role", "member")
    assert invoke(app, "users", "set-role", "--email", "pat@example.com", "--role", "executive").exit_code == 0
    token = invoke(app, "tokens", "create", "--email", "pat@example.com", "--name", "laptop")
    assert token.exit_code == 0 and token.output.strip().startswith("cat_")
    assert invoke(app, "users", "deactivate", "--email", "pat@example.com").exit_code == 0
    with app.app_context():
        user = User.by_email("pat@example.com")
        assert user.role.value == "executive" and not user.active and user.session_version == 2
    api = app.test_client()
    assert api.get("/api/me", headers={"Authorization": f"Bearer {token.output.strip()}"}).status_code == 401


def test_last_admin_cannot_be_demoted(app):
    invoke(app, "users", "create", "--email", "only@example.com", "--role", "admin")
    result = invoke(app, "users", "set-role", "--email", "only@example.com", "--role", "member")
    assert result.exit_code != 0 and "at least one active admin" in result.output


def test_setup_creates_first_admin_once(app):
    first = invoke(app, "setup")
    assert first.exit_code == 0 and "admin@catalyst.local" in first.output and "password:" in first.output
    second = invoke(app, "setup")
    assert second.exit_code == 0 and "password" not in second.output
    with app.app_context():
        assert db.session.query(User).count() == 1
