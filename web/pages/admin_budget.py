"""Admin page: the organisation's budgets and caps (AI caps, run ceiling, share caps, thresholds)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from agents.catalogue import default_catalogue
from services.budgets.settings import (
    MAX_DEADLINE_MINUTES,
    MIN_DEADLINE_MINUTES,
    BudgetSettings,
    BudgetSettingsError,
    get_budget_settings,
    update_budget_settings,
)
from services.db import db
from services.holdings import holdings
from web.pages import admin_bp
from web.permissions import require_admin

MONEY_FIELDS = ("monthly_ai_cap_usd", "run_ai_cap_default_usd", "run_ai_cap_max_usd", "run_budget_max_usd")


def _plain(value: Decimal) -> str:
    """250.000000 → "250", 7.50 → "7.5" (never "2.5E+2")."""
    return format(value.normalize(), "f")


def _form_values(settings: BudgetSettings) -> dict[str, Any]:
    values: dict[str, Any] = {name: _plain(getattr(settings, name)) for name in MONEY_FIELDS}
    values.update({f"share_cap_{agent}": _plain(pct) for agent, pct in settings.agent_share_caps.items()})
    values["thresholds"] = ", ".join(str(level) for level in settings.thresholds)
    values["quote_policy"] = settings.quote_policy
    values["no_monthly_ai_cap"] = "on" if settings.no_monthly_ai_cap else ""
    values.update(_deadline_values(settings.decision_deadline_minutes))
    values["decision_fallback"] = settings.decision_fallback
    return values


def _deadline_values(minutes: int | None) -> dict[str, str]:
    """The deadline as the form shows it: whole hours in hours, anything else in minutes."""
    if not minutes:
        return {"decision_deadline": "", "decision_deadline_unit": "hours"}
    if minutes % 60 == 0:
        return {"decision_deadline": str(minutes // 60), "decision_deadline_unit": "hours"}
    return {"decision_deadline": str(minutes), "decision_deadline_unit": "minutes"}


def _deadline_patch(form: MultiDict, patch: dict[str, Any], errors: dict[str, str]) -> None:
    """The deadline fields into `patch` (empty: no deadline); a form without them changes nothing."""
    if "decision_deadline" in form:
        raw = form.get("decision_deadline", "").strip()
        unit = form.get("decision_deadline_unit", "minutes")
        if unit not in ("minutes", "hours"):
            errors["decision_deadline"] = "Choose minutes or hours."
        elif not raw:
            patch["decision_deadline_minutes"] = None
        elif not raw.isdigit() or len(raw) > 6:
            errors["decision_deadline"] = "Enter a whole number of minutes or hours, or leave it empty for no deadline."
        else:
            minutes = int(raw) * (60 if unit == "hours" else 1)
            if not MIN_DEADLINE_MINUTES <= minutes <= MAX_DEADLINE_MINUTES:
                errors["decision_deadline"] = (
                    f"A deadline is from {MIN_DEADLINE_MINUTES} minutes to {MAX_DEADLINE_MINUTES // 1440} days."
                )
            patch["decision_deadline_minutes"] = minutes
    if form.get("decision_fallback"):
        patch["decision_fallback"] = form["decision_fallback"]


def _patch(form: MultiDict, agents: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The submitted form as a settings patch (strings for pydantic to parse) and early errors."""
    errors: dict[str, str] = {}
    patch: dict[str, Any] = {}
    for name in MONEY_FIELDS:
        raw = form.get(name, "").strip().replace(",", "").replace("$", "")
        if not raw:
            errors[name] = "Enter an amount in USD."
        else:
            patch[name] = raw
    caps: dict[str, str] = {}
    for agent in agents:
        raw = form.get(f"share_cap_{agent}", "").strip().rstrip("%")
        if not raw:
            errors[f"share_cap_{agent}"] = "Enter a percent from 0 to 100."
        else:
            caps[agent] = raw
    patch["agent_share_caps"] = caps
    levels: list[int] = []
    for part in form.get("thresholds", "").replace(";", ",").split(","):
        part = part.strip().rstrip("%")
        if not part:
            continue
        if not part.isdigit() or len(part) > 3:
            errors["thresholds"] = "Use whole percents separated by commas, e.g. 50, 80, 100."
            break
        levels.append(int(part))
    patch["thresholds"] = levels
    if not levels and "thresholds" not in errors:
        errors["thresholds"] = "Enter at least one threshold, e.g. 50, 80, 100."
    patch["quote_policy"] = form.get("quote_policy", "")
    patch["no_monthly_ai_cap"] = form.get("no_monthly_ai_cap") == "on"  # an unticked box is not sent
    _deadline_patch(form, patch, errors)
    return patch, errors


def _field_name(loc: tuple[Any, ...]) -> str:
    if loc and loc[0] == "decision_deadline_minutes":
        return "decision_deadline"
    if loc and loc[0] == "agent_share_caps":
        return f"share_cap_{loc[1]}" if len(loc) > 1 else "agent_share_caps"
    return str(loc[0]) if loc else "form"


LABELS = {
    "monthly_ai_cap_usd": "the monthly cap",
    "run_ai_cap_default_usd": "the default cap per run",
    "run_ai_cap_max_usd": "the maximum cap per run",
    "run_budget_max_usd": "the largest business budget",
    "decision_fallback": "what happens at the deadline",
}


def _message(text: str) -> str:
    """The service's message in the form's words (field labels, not API field names)."""
    text = text.removeprefix("Value error, ").split("; change both")[0]
    for name, label in LABELS.items():
        text = text.replace(name, label)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


@admin_bp.route("/budgets", methods=["GET", "POST"])
@require_admin
def budgets():  # noqa: ANN201
    settings = get_budget_settings(current_user.org_id, holdings().settings)
    catalogue = default_catalogue()
    agents = [name for name, spec in catalogue.agents.items() if spec.kind == "specialist"]
    values = _form_values(settings)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in values}
        patch, errors = _patch(request.form, agents)
        if not errors:
            try:
                update_budget_settings(
                    current_user.org_id, patch, current_user._get_current_object(), holdings().settings
                )
            except ValidationError as exc:
                db.session.rollback()
                for err in exc.errors(include_url=False):
                    errors.setdefault(_field_name(tuple(err["loc"])), _message(err["msg"]))
            except BudgetSettingsError as exc:
                db.session.rollback()
                for detail in exc.details:
                    errors.setdefault(detail["field"], _message(detail["message"]))
            else:
                flash("Budget settings saved.", "success")
                return redirect(url_for("admin_pages.budgets"), code=303)
        status = 422
    return (
        render_template(
            "admin/budgets.html",
            values=values,
            errors=errors,
            agents=[{"name": name, "title": catalogue.title(name)} for name in agents],
        ),
        status,
    )
