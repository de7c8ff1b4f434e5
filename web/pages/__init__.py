"""HTML pages: dashboard, new run, live view, report, history and the admin pages.

`init_pages(app)` registers them; JSON lives under web/api, these views only render.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("pages", __name__)
admin_bp = Blueprint("admin_pages", __name__, url_prefix="/admin")


def init_pages(app: Flask) -> None:
    """Register the page blueprints and template filters."""
    from web.pages import admin_budget, admin_provider, admin_reports, reports, runs  # noqa: F401
    from web.pages.formatting import usd

    app.add_template_filter(usd, "usd")
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
