"""The JSON API under /api: session + CSRF or bearer token, one error shape, rate limited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app
from flask_login import current_user, login_required

from services.holdings import holdings
from web.api.account_models import Me
from web.api.spec import documented
from web.extensions import limiter

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


def _api_rate_limit() -> str:
    """The serving app's own limit: the limiter and `bp` are shared by every app of the process."""
    return holdings().settings.api_rate_limit


def _limit_key() -> str:
    from flask import request
    from sqlalchemy.exc import SQLAlchemyError

    from services.db import db
    from services.storage_errors import storage_unavailable

    try:
        if current_user.is_authenticated:
            return f"user:{current_user.id}"
    except SQLAlchemyError as exc:
        # The user lookup needs the database; when it is down, limit by address and let the view's
        # own lookup raise again, which the error layer answers 503 (Flask-Limiter would log and
        # swallow it, and the request would look anonymous).
        if not storage_unavailable(exc):
            raise
        db.session.rollback()  # else the next lookup meets PendingRollbackError, not the outage
    return f"ip:{request.remote_addr}"


__all__ = ["bp", "current_app", "init_api"]


# Once, at import, with the limit read per request: a limit registered per app would stay on the
# shared blueprint and hold for every later app of the process too (tests build hundreds).
limiter.limit(_api_rate_limit, key_func=_limit_key)(bp)
