"""Changing one's own password and an admin resetting a member's (issue 12, finding 16): rules,
CSRF, audit, and the end of every other session and remembered device."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from services.db import db
from services.models import AuditEntry
from tests.conftest import PASSWORD, Auth, csrf_from

NEW_PASSWORD = "a brand new passphrase 42"
REMEMBER = "remember_token"
SESSION = "catalyst_session"


def logged_in(app, email: str, **extra: str):
    device = app.test_client()
    assert Auth(device).login(email, **extra).status_code == 302
    return device


def change(device, current: str, new: str, confirm: str | None = None):
    csrf = csrf_from(device.get("/account/password").get_data(as_text=True))
    return device.post("/account/password", data={
        "current_password": current, "new_password": new,
        "confirm_password": new if confirm is None else confirm, "csrf_token": csrf})


def audit_actions(app, target_id: int) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == str(target_id))).all()
        db.session.expunge_all()
        return rows


# --- own password ------------------------------------------------------------------------------


def test_the_user_menu_links_the_change_password_page(app, make_user):
    device = logged_in(app, make_user("member").email)
    assert 'href="/account/password"' in device.get("/dashboard").get_data(as_text=True)
    page = device.get("/account/password")
    assert page.status_code == 200 and b'name="current_password"' in page.data


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password at all", NEW_PASSWORD, None, "Your current password is not correct."),
        (PASSWORD, "short", None, "at least 12 characters"),
        (PASSWORD, NEW_PASSWORD, "something else entirely", "do not match"),
        (PASSWORD, PASSWORD, None, "differ from the current one"),
    ],
)
def test_bad_input_rerenders_the_form_with_a_message(app, make_user, current, new, confirm, message):
    user = make_user("member")
    device = logged_in(app, user.email)
    response = change(device, current, new, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert b'name="current_password"' in response.data
    assert NEW_PASSWORD.encode() not in response.data and PASSWORD.encode() not in response.data
    assert Auth(app.test_client()).login(user.email).status_code == 302  # the old password still works


def test_change_needs_the_csrf_token(app, make_user):
    device = logged_in(app, make_user("member").email)
    assert device.get("/account/password").status_code == 200
    response = device.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 400


def test_change_ends_other_sessions_and_remembered_devices_but_not_this_one(app, make_user):
    user = make_user("executive")
    here = logged_in(app, user.email)
    elsewhere = logged_in(app, user.email)
    remembered = logged_in(app, user.email, remember="1")
    response = change(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert here.get("/dashboard").status_code == 200
    assert elsewhere.get("/dashboard").status_code == 302
    remembered.delete_cookie(SESSION)
    assert remembered.get("/dashboard").status_code == 302
    assert Auth(app.test_client()).login(user.email).status_code == 401
    assert Auth(app.test_client()).login(user.email, NEW_PASSWORD).status_code == 302
    entries = [e for e in audit_actions(app, user.id) if e.action == "user.password_changed"]
    assert len(entries) == 1 and entries[0].actor_id == user.id
    assert "argon2" not in str(entries[0].after) and NEW_PASSWORD not in str(entries[0].after)


def test_wrong_current_passwords_are_throttled(app, make_user):
    device = logged_in(app, make_user("member").email)
    for _ in range(5):
        assert change(device, "wrong guess of a password", NEW_PASSWORD).status_code == 400
    assert change(device, PASSWORD, NEW_PASSWORD).status_code == 429


def test_the_change_page_has_no_inline_script_or_style(app, make_user):
    from tests.web.test_security import assert_scripts_carry_nonce_or_src, csp_of

    device = logged_in(app, make_user("member").email)
    for response in (device.get("/account/password"), change(device, "wrong", NEW_PASSWORD)):
        assert response.status_code in (200, 400)
        nonce = re.search(r"'nonce-([^']+)'", csp_of(response)["script-src"]).group(1)
        assert_scripts_carry_nonce_or_src(response.get_data(as_text=True), nonce)


# --- admin reset -------------------------------------------------------------------------------


def reset(admin_device, user_id: int):
    csrf = csrf_from(admin_device.get("/admin/users").get_data(as_text=True))
    return admin_device.post(f"/admin/users/{user_id}/password", data={"csrf_token": csrf})


def shown_password(page: str) -> str:
    match = re.search(r"New password for [^:]+ \(shown once[^)]*\): (\S+)</p>", page)
    assert match, "no one-time password on the page"
    return match.group(1)


def test_admin_reset_shows_a_new_password_once_and_ends_the_members_sessions(app, make_user):
    admin = make_user("admin", org="Acme")
    member = make_user("member", org="Acme")
    member_device = logged_in(app, member.email, remember="1")
    admin_device = logged_in(app, admin.email)
    users_page = admin_device.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{member.id}/password"' in users_page
    response = reset(admin_device, member.id)
    assert response.status_code == 302
    page = admin_device.get("/admin/users").get_data(as_text=True)
    new = shown_password(page)
    assert "New password for" not in admin_device.get("/admin/users").get_data(as_text=True)  # once
    assert member_device.get("/dashboard").status_code == 302
    member_device.delete_cookie(SESSION)
    assert member_device.get("/dashboard").status_code == 302
    assert Auth(app.test_client()).login(member.email).status_code == 401
    assert Auth(app.test_client()).login(member.email, new).status_code == 302
    entries = [e for e in audit_actions(app, member.id) if e.action == "user.password_reset"]
    assert len(entries) == 1 and entries[0].actor_id == admin.id and entries[0].org_id == admin.org_id
    assert new not in str(entries[0].after)


def test_admin_reset_revokes_the_members_api_tokens_and_an_own_change_keeps_them(app, make_user):
    from services import users
    from services.models import ApiToken, User

    admin = make_user("admin", org="Acme")
    member = make_user("member", org="Acme")
    with app.app_context():
        owner = db.session.get(User, member.id)
        (first, _), (_, second) = users.create_token(owner, "ci"), users.create_token(owner, "laptop")
        users.revoke_token(first)  # already revoked: not revoked (or audited) again
    bearer = app.test_client()
    assert bearer.get("/api/runs", headers={"Authorization": f"Bearer {second}"}).status_code == 200  # cached now
    change(logged_in(app, member.email), PASSWORD, NEW_PASSWORD)
    assert bearer.get("/api/runs", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    reset(logged_in(app, admin.email), member.id)
    assert bearer.get("/api/runs", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    with app.app_context():
        tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == member.id)).all()
        assert all(token.revoked for token in tokens) and len(tokens) == 2
        revocations = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "token.revoked")).all()
        by_reset = [e for e in revocations if e.actor_id == admin.id]
        assert len(revocations) == 2 and len(by_reset) == 1 and by_reset[0].after["reason"] == "password reset"


def test_admin_reset_unlocks_a_locked_account(app, make_user):
    admin = make_user("admin", org="Acme")
    member = make_user("member", org="Acme")
    for _ in range(5):
        Auth(app.test_client()).login(member.email, "wrong password here")
    assert Auth(app.test_client()).login(member.email).status_code == 429
    admin_device = logged_in(app, admin.email)
    reset(admin_device, member.id)
    new = shown_password(admin_device.get("/admin/users").get_data(as_text=True))
    assert Auth(app.test_client()).login(member.email, new).status_code == 302


def test_admin_cannot_reset_another_orgs_user_and_others_cannot_reset(app, make_user):
    admin = make_user("admin", org="Acme")
    stranger = make_user("member", org="Globex")
    assert reset(logged_in(app, admin.email), stranger.id).status_code == 404
    executive = logged_in(app, make_user("executive", org="Acme").email)
    csrf = csrf_from(executive.get("/dashboard").get_data(as_text=True))
    assert executive.post(f"/admin/users/{admin.id}/password", data={"csrf_token": csrf}).status_code == 403
    assert Auth(app.test_client()).login(stranger.email).status_code == 302  # untouched


def test_admin_reset_needs_the_csrf_token(app, make_user):
    admin = make_user("admin", org="Acme")
    member = make_user("member", org="Acme")
    device = logged_in(app, admin.email)
    assert f'action="/admin/users/{member.id}/password"' in device.get("/admin/users").get_data(as_text=True)
    assert device.post(f"/admin/users/{member.id}/password").status_code == 400
    assert Auth(app.test_client()).login(member.email).status_code == 302
