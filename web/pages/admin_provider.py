"""Admin page: which LLM provider and model runs use, their base URLs and (write-only) API keys."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from pydantic import ValidationError

from services.db import db
from services.llm.registry import load_registry
from services.provider_settings import (
    ProviderChange,
    ProviderSettingsError,
    environment_llm_config,
    get_provider_settings,
    update_provider_settings,
)
from web.auth import require_role
from web.pages import admin_bp

PROVIDER_LABELS = {
    "": "Environment default",
    "openai": "OpenAI-compatible (OpenAI, OpenRouter, Ollama, vLLM)",
    "anthropic": "Anthropic",
    "offline": "Offline generator (no AI model, no cost)",
}


def _models_by_provider() -> dict[str, list[dict[str, str]]]:
    registry = load_registry()
    grouped: dict[str, list[dict[str, str]]] = {}
    for name in registry.names():
        info = registry.get(name)
        grouped.setdefault(info.provider, []).append(
            {
                "name": name,
                "label": f"{name} · ${info.input_usd_per_mtok}/${info.output_usd_per_mtok} per M tokens",
            }
        )
    return grouped


@admin_bp.route("/provider", methods=["GET", "POST"])
@require_role("admin")
def provider():  # noqa: ANN201
    settings = current_app.extensions["catalyst.settings"]
    base = environment_llm_config(settings)
    view = get_provider_settings(current_user.org_id, base)
    values = {
        "provider": view.provider or "",
        "model": view.model or "",
        "openai_base_url": view.openai_base_url or "",
        "anthropic_base_url": view.anthropic_base_url or "",
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = request.form
        values = {key: form.get(key, "").strip() for key in values}
        try:
            change = ProviderChange(
                **values,
                openai_api_key=form.get("openai_api_key", ""),
                anthropic_api_key=form.get("anthropic_api_key", ""),
                clear_openai_api_key=form.get("clear_openai_api_key") == "1",
                clear_anthropic_api_key=form.get("clear_anthropic_api_key") == "1",
            )
            update_provider_settings(
                current_user.org_id,
                change,
                actor=current_user._get_current_object(),
                secret_key=settings.secret_key,
                base=base,
            )
        except ValidationError as exc:
            for err in exc.errors(include_url=False, include_input=False):
                field = str(err["loc"][0]) if err["loc"] else "form"
                errors.setdefault(field, err["msg"].removeprefix("Value error, ").capitalize())
        except ProviderSettingsError as exc:
            db.session.rollback()
            errors.update({field: message[:1].upper() + message[1:] for field, message in exc.errors.items()})
        else:
            flash("Provider settings saved. New runs use them; running runs keep theirs.", "success")
            return redirect(url_for("admin_pages.provider"), code=303)
        status = 422
    return (
        render_template(
            "admin/provider.html",
            view=view,
            values=values,
            errors=errors,
            providers=PROVIDER_LABELS,
            models=_models_by_provider(),
            environment=base,
        ),
        status,
    )
