"""Admin pages: users and their roles, sessions and tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from services import accounts
from services import users as credentials  # `users` is a view here
from services.db import db
from services.holdings import holdings
from services.models import ApiToken, Role, User
from web.auth import unlock_login
from web.lookups import get_or_404
from web.permissions import require_admin

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@require_admin
def users():  # noqa: ANN201
    rows = db.session.scalars(select(User).where(User.org_id == current_user.org_id).order_by(User.email)).all()
    tokens = db.session.scalars(
        select(ApiToken).join(User).where(User.org_id == current_user.org_id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("admin/users.html", users=rows, tokens=tokens, roles=[r.value for r in Role])


@bp.post("/users")
@require_admin
def create_user():  # noqa: ANN201
    form = request.form
    try:
        created = accounts.create_user(
            email=form.get("email", ""),
            role=form.get("role", "member"),
            name=form.get("name", ""),
            org_name=current_user.organisation.name,
            actor=current_user._get_current_object(),
        )
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.users"))
    flash(f"Created {created.user.email}. Their one-time password: {created.password}", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
@require_admin
def set_role(user_id: int):  # noqa: ANN201
    user = get_or_404(User, user_id)
    try:
        accounts.set_role(user, request.form.get("role", ""), actor=current_user._get_current_object())
        flash(f"{user.email} is now {user.role.value}.", "success")
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@require_admin
def set_active(user_id: int):  # noqa: ANN201
    user = get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(user, active, actor=current_user._get_current_object())
        if not active:
            holdings().disconnect_user(user.id)
        flash(f"{user.email} is {'active' if active else 'deactivated'}.", "success")
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@require_admin
def reset_password(user_id: int):  # noqa: ANN201
    """A generated password, shown once to the admin; it also unlocks the account (the lockout
    message tells the user to ask an admin) and ends every session, remembered device and API token."""
    user = get_or_404(User, user_id)
    try:
        password = credentials.reset_password(user, actor=current_user._get_current_object())
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.users"))
    unlock_login(user.email)
    holdings().disconnect_user(user.id)
    flash(f"New password for {user.email} (shown once, hand it over privately): {password}",
          "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/sessions")
@require_admin
def revoke_sessions(user_id: int):  # noqa: ANN201
    user = get_or_404(User, user_id)
    credentials.logout_everywhere(user, actor=current_user._get_current_object())
    holdings().disconnect_user(user.id)
    flash(f"{user.email} is logged out everywhere.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/tokens")
@require_admin
def create_token():  # noqa: ANN201
    try:
        _token, plain = credentials.create_token(
            current_user._get_current_object(), request.form.get("name", ""), actor=current_user._get_current_object()
        )
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.users"))
    flash(f"New token (shown once, copy it now): {plain}", "success")
    return redirect(url_for("admin.users"))


@bp.post("/tokens/<int:token_id>/revoke")
@require_admin
def revoke_token(token_id: int):  # noqa: ANN201
    token = get_or_404(ApiToken, token_id)
    credentials.revoke_token(token, actor=current_user._get_current_object())
    flash(f"Token {token.name} revoked.", "success")
    return redirect(url_for("admin.users"))
