"""Logging in and out, session identity, and bearer-token authentication for the API."""

from __future__ import annotations

import hashlib
import logging

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from services import users as accounts
from services.db import db, utcnow
from services.models import User
from services.passwords import hash_password, needs_rehash, verify_password
from web.extensions import login_manager
from web.urls import safe_next

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)

GENERIC_FAILURE = "That email and password do not match an active account."


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.session_protection = "basic"
    login_manager.user_loader(accounts.load_session_user)
    login_manager.request_loader(_user_from_bearer)
    login_manager.unauthorized_handler(_unauthorized)
    app.register_blueprint(bp)


def _user_from_bearer(req) -> User | None:  # noqa: ANN001 - flask.Request
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    user = accounts.authenticate_token(token.strip())
    if user is not None:
        g.auth_via_token = True
    return user


def _unauthorized():  # noqa: ANN202
    from web.errors import error_response, wants_json

    if wants_json():
        return error_response(401, "Authentication required: log in or send a bearer token.")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _login_keys(email: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return ("login-ip", request.remote_addr or "unknown"), ("login-account", account)


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    if request.method == "GET":
        return render_template("auth/login.html", email="", next=request.args.get("next", ""))

    settings = current_app.extensions["catalyst.settings"]
    throttle = current_app.extensions["catalyst.throttle"]
    email = request.form.get("email", "")[:254]
    password = request.form.get("password", "")[:1024]
    ip_key, account_key = _login_keys(email)
    # The account's attempt is counted before the password is looked at: check-then-count let
    # concurrent attempts all pass the check. A success clears it. The per-IP limit counts only
    # failures (an office behind one address logs in many times a day), checked first.
    verdict = throttle.check(settings.login_limit_per_ip, *ip_key)
    if verdict.allowed:
        verdict = throttle.hit(settings.login_limit_per_account, *account_key)
    if not verdict.allowed:
        return _locked_out(email, verdict.retry_after)

    user = User.by_email(email) if email else None
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        throttle.hit(settings.login_limit_per_ip, *ip_key)
        log.info("login failed")
        return render_template("auth/login.html", email=email, next=request.form.get("next", ""), error=GENERIC_FAILURE), 401

    throttle.clear(settings.login_limit_per_account, *account_key)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    # A fresh session id at login: a session id planted before login is worth nothing after it.
    session["rotating"] = True  # regenerate() skips an empty session, and a planted id may be empty
    current_app.session_interface.regenerate(session)
    session.clear()
    login_user(user, remember=bool(request.form.get("remember")))
    log.info("login", extra={"user_id": user.id})
    return redirect(safe_next(request.form.get("next")) or url_for("dashboard.index"))


def _locked_out(email: str, retry_after: int):  # noqa: ANN202
    minutes = max(1, round(retry_after / 60))
    message = f"Too many failed attempts. Try again in about {minutes} minute{'s' if minutes != 1 else ''}."
    body = render_template("auth/login.html", email=email, next="", error=message, locked=True)
    return body, 429, {"Retry-After": str(retry_after)}


@bp.post("/logout")
@login_required
def logout():  # noqa: ANN201
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return _forget_remembered(redirect(url_for("auth.login")))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():  # noqa: ANN201
    accounts.logout_everywhere(current_user._get_current_object(), actor=current_user._get_current_object())
    current_app.extensions["catalyst.disconnect_user"](current_user.id)
    logout_user()
    session.clear()
    flash("You are logged out on every device.", "info")
    return _forget_remembered(redirect(url_for("auth.login")))


def _forget_remembered(response: Response) -> Response:
    """Delete the "remember me" cookie: clearing the session also drops Flask-Login's own
    note to delete it, which let the cookie outlive the logout."""
    config = current_app.config
    response.delete_cookie(config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                           path=config.get("REMEMBER_COOKIE_PATH", "/"), domain=config.get("REMEMBER_COOKIE_DOMAIN"))
    return response


def require_role(*roles: str):  # noqa: ANN201
    """View decorator: 403 unless the current user has one of the roles."""
    from functools import wraps

    def decorator(view):  # noqa: ANN001, ANN202
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):  # noqa: ANN202
            if current_user.role.value not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
