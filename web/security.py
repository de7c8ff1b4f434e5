"""The security layer: CSP with nonces, CSRF, secure cookies, proxy headers, rate limits."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import Settings
from web.errors import reject_unrouted
from web.extensions import csrf, limiter, talisman

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
        # No X-RateLimit-* headers on every answer: writing them read the limit's window back from
        # Redis, two more round trips a request, a tenth of an API request's time (bench/http_api.py,
        # py-spy). A refusal still says when to retry (web/errors.py `_retry_after`).
        RATELIMIT_HEADERS_ENABLED=False,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_KEY_PREFIX="catalyst-http",
    )
    # Registered before Talisman: after_request hooks run in reverse, so this sees its CSP header.
    app.after_request(_allow_own_websocket)
    app.after_request(_private_responses)
    talisman.init_app(
        app,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src", "style-src"],
        force_https=settings.https,
        strict_transport_security=settings.https,
        session_cookie_secure=settings.https,
        session_cookie_http_only=True,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )
    csrf.init_app(app)
    limiter.init_app(app)
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

    Whether a request is a bearer call is decided by looking its token up. Flask-Limiter's key
    function usually did that first, and it swallows errors (RATELIMIT_SWALLOW_ERRORS), so a token
    lookup that failed because the database is down looked like "no token" and answered 400
    csrf_failed, telling the client not to retry. Loading the user here again lets that failure
    raise, and the error handlers answer 503 + Retry-After. An unknown token still gets no exemption.
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


def _allow_own_websocket(response: Response) -> Response:
    """Add this host's ws/wss origin to connect-src (older browsers do not map 'self' to ws)."""
    header = response.headers.get("Content-Security-Policy")
    if header:
        scheme = "wss" if request.scheme == "https" else "ws"
        response.headers["Content-Security-Policy"] = header.replace(
            "connect-src 'self'", f"connect-src 'self' {scheme}://{request.host}", 1
        )
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
