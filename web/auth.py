"""Logging in and out, session identity, rotating "remember me" cookies, changing one's password,
and bearer-token authentication for the API."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

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
from flask_login.utils import decode_cookie, encode_cookie

from services import users
from services.db import db, utcnow
from services.holdings import holdings
from services.models import User
from services.passwords import hash_password, needs_rehash, verify_password
from web.extensions import login_manager
from web.urls import safe_next

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)

GENERIC_FAILURE = "That email and password do not match an active account."
REMEMBER_COOKIE = "remember_token"  # Flask-Login's default name, unless REMEMBER_COOKIE_NAME says otherwise


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_user_from_bearer)
    login_manager.unauthorized_handler(_unauthorized)
    app.after_request(_write_remember_cookie)
    app.register_blueprint(bp)


def _load_user(identity: str) -> User | None:
    """Flask-Login's loader, for the session's identity and for the remember cookie's."""
    if users.is_remember_identity(identity):
        return _restore_remembered(identity)
    return users.load_session_user(identity)


def _restore_remembered(identity: str) -> User | None:
    """A remember cookie brings the user back: a fresh session id, and the cookie is replaced by a
    new token (the one presented is spent), so a copy taken earlier is refused once it was used.

    Flask-Login wrote the cookie's identity into the session before calling us; it never stays there.
    """
    session.pop("_user_id", None)
    if getattr(request, "namespace", None) is not None or g.get("session_storage_unavailable"):
        # A Socket.IO event cannot set a cookie: spending the token here would strand the device.
        return None
    if decode_cookie(request.cookies.get(_remember_cookie_name(), "")) != identity:
        return None
    outcome = users.restore_remembered(identity)
    if isinstance(outcome, users.RememberRefused):
        g.forget_remember_cookie = outcome.forget
        return None
    _start_session(outcome.user, fresh=False)
    g.remember_cookie = outcome
    log.info("session restored from remember cookie", extra={"user_id": outcome.user.id})
    return outcome.user


def _start_session(user: User, *, fresh: bool = True) -> None:
    """Log the user in under a new session id: an id planted before is worth nothing after."""
    session["rotating"] = True  # regenerate() skips an empty session, and a planted id may be empty
    current_app.session_interface.regenerate(session)
    session.clear()
    login_user(user, fresh=fresh)


def _remember_cookie_name() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)


def _remember_lifetime() -> timedelta:
    duration = current_app.config.get("REMEMBER_COOKIE_DURATION", timedelta(hours=12))
    return duration if isinstance(duration, timedelta) else timedelta(seconds=int(duration))


def _write_remember_cookie(response: Response) -> Response:
    """Set the device's new remember cookie (after login or a rotation), or drop a dead one."""
    remembered = g.pop("remember_cookie", None)
    config = current_app.config
    if remembered is not None:
        response.set_cookie(
            _remember_cookie_name(),
            value=encode_cookie(remembered.identity),
            expires=remembered.expires_at,
            path=config.get("REMEMBER_COOKIE_PATH", "/"),
            domain=config.get("REMEMBER_COOKIE_DOMAIN"),
            secure=bool(config.get("REMEMBER_COOKIE_SECURE", False)),
            httponly=bool(config.get("REMEMBER_COOKIE_HTTPONLY", True)),
            samesite=config.get("REMEMBER_COOKIE_SAMESITE", "Lax"),
        )
    elif g.pop("forget_remember_cookie", False):
        _forget_remembered(response)
    return response


def _user_from_bearer(req) -> User | None:  # noqa: ANN001 - flask.Request
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    user = users.authenticate_token(token.strip())
    if user is not None:
        g.auth_via_token = True
    return user


def _unauthorized():  # noqa: ANN202
    from web.errors import error_response, wants_json

    if wants_json():
        return error_response(401, "Authentication required: log in or send a bearer token.")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _account_key(email: str) -> tuple[str, str]:
    return "login-account", hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _login_keys(email: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return ("login-ip", request.remote_addr or "unknown"), _account_key(email)


def unlock_login(email: str) -> None:
    """Forget the account's failed logins, so "ask an admin" is true: the admin's reset unlocks it."""
    settings = holdings().settings
    holdings().throttle.clear(settings.login_limit_per_account, *_account_key(email))


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    if request.method == "GET":
        return render_template("auth/login.html", email="", next=request.args.get("next", ""))

    settings = holdings().settings
    throttle = holdings().throttle
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

    user = _account_for(email, password) if email else None
    ok = user is not None or verify_password(None, password)  # the same cost when nobody matches
    if not ok or user is None or not user.active:
        throttle.hit(settings.login_limit_per_ip, *ip_key)
        log.info("login failed")
        return render_template("auth/login.html", email=email, next=request.form.get("next", ""), error=GENERIC_FAILURE), 401

    throttle.clear(settings.login_limit_per_account, *account_key)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    _start_session(user)
    if request.form.get("remember"):
        # Our own per-device token, not Flask-Login's cookie (which is the session identity itself).
        g.remember_cookie = users.remember_device(user, _remember_lifetime())
    log.info("login", extra={"user_id": user.id})
    return redirect(safe_next(request.form.get("next")) or url_for("dashboard.index"))


def _account_for(email: str, password: str) -> User | None:
    """The account this email and password open. One address may have an account in several
    organisations; the password says which (the oldest wins if the same one opens several)."""
    for user in User.all_by_email(email):
        if verify_password(user.password_hash, password):
            return user
    return None


def _locked_out(email: str, retry_after: int):  # noqa: ANN202
    minutes = max(1, round(retry_after / 60))
    message = f"Too many failed attempts. Try again in about {minutes} minute{'s' if minutes != 1 else ''}."
    body = render_template("auth/login.html", email=email, next="", error=message, locked=True)
    return body, 429, {"Retry-After": str(retry_after)}


@bp.post("/logout")
@login_required
def logout():  # noqa: ANN201
    users.forget_remembered(current_user._get_current_object())  # every device's, not only this one
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return _forget_remembered(redirect(url_for("auth.login")))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():  # noqa: ANN201
    users.logout_everywhere(current_user._get_current_object(), actor=current_user._get_current_object())
    holdings().disconnect_user(current_user.id)
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


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():  # noqa: ANN201
    if g.get("auth_via_token"):
        abort(403)  # a browser page: an API token alone does not change the password
    if request.method == "GET":
        return render_template("auth/password.html", errors={})
    settings = holdings().settings
    throttle = holdings().throttle
    user = current_user._get_current_object()
    key = ("password-change", str(user.id))
    verdict = throttle.check(settings.login_limit_per_account, *key)
    if not verdict.allowed:
        minutes = max(1, round(verdict.retry_after / 60))
        errors = {"form": f"Too many wrong current passwords. Try again in about {minutes} minute(s)."}
        page = render_template("auth/password.html", errors=errors)
        return page, 429, {"Retry-After": str(verdict.retry_after)}
    form = request.form
    try:
        users.change_password(
            user,
            current=form.get("current_password", "")[:1024],
            new=form.get("new_password", "")[:1025],  # one over the limit, so an overlong one is refused
            confirm=form.get("confirm_password", "")[:1025],
        )
    except users.AccountError as exc:
        db.session.rollback()
        if exc.field == "current_password":
            throttle.hit(settings.login_limit_per_account, *key)
        return render_template("auth/password.html", errors={exc.field or "form": str(exc)}), 400
    throttle.clear(settings.login_limit_per_account, *key)
    # Every session and remembered device of the user ended with the change; this one goes on
    # under a new session id. Its remember cookie went with the others.
    holdings().disconnect_user(user.id)
    _start_session(user)
    log.info("password changed", extra={"user_id": user.id})
    flash("Your password is changed. You are logged out on every other device.", "success")
    return _forget_remembered(redirect(url_for("dashboard.index")))

