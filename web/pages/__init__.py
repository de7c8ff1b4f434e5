"""HTML pages: dashboard, new run, live view, report, history and the admin pages.

`init_pages(app)` registers them; JSON lives under web/api, these views only render. Each URL has
one view, declared where it is defined (tests/web/test_url_ownership.py): pages and the admin pages
on the blueprints below, which their modules import; the dashboard on its own blueprint
(`dashboard.*`, web/pages/dashboard.py). Users and tokens are the other blueprint under /admin
(`admin.*`, web/admin.py); the two share the prefix, never a URL.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("pages", __name__)
admin_bp = Blueprint("admin_pages", __name__, url_prefix="/admin")


def init_pages(app: Flask) -> None:
    """Register the page blueprints and template filters."""
    from web.pages import (  # noqa: F401
        admin_budget,
        admin_notifications,
        admin_provider,
        admin_reports,
        dashboard,
        reports,
        runs,
    )
    from web.pages.formatting import usd

    app.add_template_filter(usd, "usd")
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
