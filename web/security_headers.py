"""Security headers on every answer: a strict CSP with a per-page nonce, framing, referrer and
permissions rules, HSTS, and plain HTTP redirected to HTTPS.

Flask-Talisman did this until issue 15. It worked the policy out again on every request, looked
the view's options up five times and minted a nonce even for JSON. That was about a tenth of an
API call (bench/in_process.py). Here the headers are worked out once, when the app is set up. A
request adds only its own WebSocket origin and, if a template asked for one, its nonce. An answer
that rendered no template gets a policy without a nonce: nothing inline is allowed there at all.

Whether a request came over HTTPS is `request.is_secure`, which behind a proxy is what ProxyFix
(PROXY_FIX_X_PROTO) made of X-Forwarded-Proto. Talisman also trusted that header when no proxy
had been declared, so a client could set it itself and be spared the redirect.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, redirect, request
from werkzeug.wrappers import Response as BaseResponse

HSTS = "max-age=31556926; includeSubDomains"  # a year, as Talisman sent it
NONCE_BYTES = 24  # 32 characters of URL-safe base64
View = TypeVar("View", bound=Callable[..., Any])


def csp_nonce() -> str:
    """This request's nonce, minted on first use (templates call it for each script and style)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(NONCE_BYTES)
    return nonce


def plain_http_allowed(view: View) -> View:
    """Mark a view that answers plain HTTP even when the app insists on HTTPS (health probes
    speak to the process directly, without the proxy that terminates TLS)."""
    view.plain_http_allowed = True  # type: ignore[attr-defined]
    return view


class SecurityHeaders:
    """The headers, computed once for an app; `init_app` registers the hooks that send them."""

    def __init__(self, policy: Mapping[str, str], *, nonce_in: tuple[str, ...], https: bool,
                 fixed: Mapping[str, str]) -> None:  # fmt: skip
        self._https = https
        self._fixed = tuple(fixed.items())
        # The policy's text, with a "{nonce}" hole in each section that takes one.
        self._with_nonce = "; ".join(
            f"{name} {value}" + (" 'nonce-{nonce}'" if name in nonce_in else "") for name, value in policy.items()
        )
        self._without_nonce = "; ".join(f"{name} {value}" for name, value in policy.items())
        self._connect = f"connect-src {policy['connect-src']}"

    def init_app(self, app: Flask) -> None:
        app.jinja_env.globals["csp_nonce"] = csp_nonce
        if self._https:
            app.before_request(self._insist_on_https)
        app.after_request(self._send)

    def _insist_on_https(self) -> BaseResponse | None:
        if request.is_secure or current_app.debug:
            return None
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, "plain_http_allowed", False):
            return None
        return redirect("https://" + request.url.removeprefix("http://"), code=302)

    def _send(self, response: Response) -> Response:
        headers = response.headers
        for name, value in self._fixed:
            headers[name] = value
        if self._https and request.is_secure:
            headers["Strict-Transport-Security"] = HSTS
        nonce = g.get("csp_nonce")
        policy = self._without_nonce if nonce is None else self._with_nonce.replace("{nonce}", nonce)
        socket = f"{'wss' if request.scheme == 'https' else 'ws'}://{request.host}"
        # connect-src 'self' does not cover ws:// in older browsers: this host's socket origin, named.
        headers["Content-Security-Policy"] = policy.replace(self._connect, f"{self._connect} {socket}", 1)
        return response
