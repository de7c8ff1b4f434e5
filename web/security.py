"""The security layer: CSP with nonces, CSRF, secure cookies, proxy headers."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import Settings
from web.errors import reject_unrouted
from web.extensions import csrf
from web.security_headers import SecurityHeaders

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def init_security(app: Flask, settings: Settings) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_content_length,
        SESSION_COOKIE_NAME="catalyst_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        REMEMBER_COOKIE_HTTPONLY=True,
        # "Remember me" lasts as long as a session may, not Flask-Login's default year.
        REMEMBER_COOKIE_DURATION=timedelta(hours=settings.session_lifetime_hours),
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.https,
        # CSRF is checked in `_csrf_unless_bearer` so that token-authenticated API calls skip it.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # bound to the session instead, which expires on its own
    )
    app.after_request(_private_responses)
    SecurityHeaders(
        CSP,
        nonce_in=("script-src", "style-src"),
        https=settings.https,
        fixed={
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
        },
    ).init_app(app)
    csrf.init_app(app)
    app.before_request(reject_unrouted)
    app.before_request(_csrf_unless_bearer)
    app.jinja_env.globals["csrf_token"] = generate_csrf

    if any((settings.proxy_fix_x_for, settings.proxy_fix_x_proto, settings.proxy_fix_x_host, settings.proxy_fix_x_port)):
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.proxy_fix_x_for,
            x_proto=settings.proxy_fix_x_proto,
            x_host=settings.proxy_fix_x_host,
            x_port=settings.proxy_fix_x_port,
        )


def _csrf_unless_bearer() -> None:
    """Every state-changing browser request needs the CSRF token; bearer-token API calls do not.

    Whether a request is a bearer call is decided by looking its token up, here, and a lookup that
    fails because the database is down raises: the error handlers answer 503 + Retry-After. Taken
    as "no token" (as when a rate limiter that swallowed errors looked first), it answered 400
    csrf_failed, which tells the client not to retry. An unknown token gets no exemption.
    """
    if request.method in SAFE_METHODS:
        return
    if _bearer_header() and "_login_user" not in g:
        current_user._get_current_object()  # runs the loaders; a database error propagates
    if g.get("auth_via_token"):
        return
    if request.path.startswith("/api/") and not current_user.is_authenticated:
        return  # no session to forge a request with: the API view answers 401, not csrf_failed
    try:
        csrf.protect()
    except ValueError:  # a Referer urlsplit cannot parse (e.g. "http://[::1") over HTTPS
        raise CSRFError("The referrer header is malformed.") from None


def _bearer_header() -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip())


def _private_responses(response: Response) -> Response:
    """Nothing a signed-in user sees is stored by a browser or proxy (Back after logout shows nothing),
    and an answer to a bearer request varies with the token."""
    if request.path.startswith("/static/"):
        return response
    if g.get("storage_unavailable"):  # loading the user would hit the database that just failed
        response.headers["Cache-Control"] = "no-store"
        return response
    if g.get("auth_via_token"):
        response.vary.add("Authorization")
    if current_user.is_authenticated or g.get("auth_via_token"):
        response.headers["Cache-Control"] = "no-store"
    return response


def origin_allowed(settings: Settings):  # noqa: ANN201 - returns the callable engine.io expects
    """Socket.IO Origin check: the app's own origin plus the configured allow-list, nothing else."""
    extra = {_normal_origin(o) for o in settings.socketio_allowed_origins}

    def check(origin: str | None, environ: dict) -> bool:
        if not origin:
            return False
        origin = _normal_origin(origin)
        if not origin:
            return False
        own = _normal_origin(f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}")
        return origin in extra or origin == own

    return check


def _normal_origin(origin: str) -> str:
    """scheme://host[:port] with the default port dropped, so https://a and https://a:443 match."""
    parts = urlsplit(origin.strip().rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    default = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")
