"""The JSON API under /api: session + CSRF or bearer token, one error shape, rate limited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, request
from flask_login import current_user, login_required

from services.holdings import holdings
from web.api.account_models import Me
from web.api.spec import documented
from web.errors import ApiError

bp = Blueprint("api", __name__, url_prefix="/api")


@documented("The current user", tag="account", responses={200: Me})
@bp.get("/me")
@login_required
def me() -> dict[str, Any]:
    return {
        "id": current_user.id,
        "email": current_user.email,
        "name": current_user.name,
        "role": current_user.role.value,
        "organisation": {"id": current_user.org_id, "name": current_user.organisation.name},
    }


def init_api(app: Flask) -> None:
    """Register the API blueprint with its rate limit; resource modules attach their routes to `bp`."""
    # Importing a resource module registers its routes: tokens; live runs (runs, catalogue, OpenAPI);
    # admin budget and provider.
    from web.api import admin, admin_provider, admin_webhooks, agents, openapi, runs, tokens  # noqa: F401

    app.register_blueprint(bp)


@bp.before_request
def _within_rate_limit() -> None:
    """Each caller gets `API_RATE_LIMIT` requests a window, counted in the rate-limit store
    (services/throttle.py, which the logins use too); past it, 429 and when the window ends.

    Flask-Limiter did this until issue 15: working out which of its limits applied to a request
    cost a tenth of an API call (bench/in_process.py), for the one limit the API has.
    """
    held = holdings()
    limit = held.settings.api_rate_limit
    verdict = held.throttle.count(limit, "api", _limit_key())
    if not verdict.allowed:
        seconds = verdict.retry_after
        raise ApiError(
            429, f"Too many requests: the API takes {limit} from each caller. Try again in {seconds} s.",
            headers={"Retry-After": str(seconds)},
        )  # fmt: skip


def _limit_key() -> str:
    from sqlalchemy.exc import SQLAlchemyError

    from services.db import db
    from services.storage_errors import storage_unavailable

    try:
        if current_user.is_authenticated:
            return f"user:{current_user.id}"
    except SQLAlchemyError as exc:
        # The user lookup needs the database; when it is down, limit by address and let the view's
        # own lookup raise again, which the error layer answers 503 (else the request would be
        # counted as anonymous).
        if not storage_unavailable(exc):
            raise
        db.session.rollback()  # else the next lookup meets PendingRollbackError, not the outage
    return f"ip:{request.remote_addr}"


__all__ = ["bp", "current_app", "init_api"]
