"""The dashboard: the first page after login."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def root():  # noqa: ANN201
    return redirect(url_for("dashboard.index" if current_user.is_authenticated else "auth.login"))


@bp.get("/dashboard")
@login_required
def index():  # noqa: ANN201
    return render_template("dashboard/index.html")
