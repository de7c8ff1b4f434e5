"""The dashboard: the first page after login."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from web.pages import dashboard as page

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def root() -> Response:
    return redirect(url_for("dashboard.index" if current_user.is_authenticated else "auth.login"))


# The endpoint keeps its name (`dashboard.index`, used by url_for everywhere); the page is rendered
# in web/pages/dashboard.py, where the run and spend queries live.
bp.add_url_rule("/dashboard", endpoint="index", view_func=page.index)
