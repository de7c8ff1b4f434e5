"""Admin page: which LLM provider and model runs use, their price, context window, timeout and
structured-output mode, base URLs and (write-only) API keys; and a "Test connection" that makes
one tiny structured call with the values in the form, without saving them.

The connection test is shared with the JSON API (web/api/admin_provider.py): `config_for_change`
turns a submitted change into the configuration runs would use once it is saved, and
`run_connection_test` makes the call, rate limited per organisation (each test is a real, maybe paid,
call on the organisation's key).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from pydantic import ValidationError

from services.db import db
from services.holdings import holdings
from services.llm.config import HOSTED_TIMEOUT_SECONDS, LOCAL_TIMEOUT_SECONDS, LLMConfig, LLMConfigError
from services.llm.factory import checked_model
from services.llm.probe import ProbeResult, probe_connection, server_models
from services.llm.registry import DEFAULT_CONTEXT_WINDOW, STRUCTURED_OUTPUT_MODES, load_registry
from services.provider_settings import (
    ProviderChange,
    ProviderSettingsError,
    ProviderView,
    config_for_change,
    get_provider_settings,
    update_provider_settings,
)
from web.pages import admin_bp
from web.permissions import require_admin

log = logging.getLogger(__name__)

PROVIDER_LABELS = {
    "": "Environment default",
    "openai": "OpenAI-compatible (OpenAI, OpenRouter, Ollama, vLLM)",
    "anthropic": "Anthropic",
    "offline": "Offline generator (no AI model, no cost)",
}
MODE_HELP = {
    "auto": "try json_schema, step down until the server accepts a mode, and remember it",
    "json_schema": "response_format json_schema: the server enforces the schema (OpenAI, vLLM)",
    "json_object_schema": "json_object with the schema: the grammar-constrained form of llama.cpp and vLLM",
    "json_object": "JSON mode, the schema spelled out in the instructions",
    "prompt": "no response format: the schema in the instructions, the JSON read from the reply",
    "tool": "one forced tool whose input is the answer (Anthropic's default)",
    "output_format": "output_config.format, for models that refuse forced tools",
}
TEXT_FIELDS = (
    "provider",
    "model",
    "openai_base_url",
    "anthropic_base_url",
    "structured_output",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "context_window",
    "timeout_seconds",
)
PRICE_FIELDS = ("input_usd_per_mtok", "output_usd_per_mtok")
# Listing the server's models happens while the page renders: a server that does not answer
# quickly costs the admin this long at most, and the page says why the list is missing.
LISTING_TIMEOUT_SECONDS = 3.0
# Per organisation. Each test is one real call, billed by the provider when the key is a paid one.
CONNECTION_TEST_LIMIT = "6/minute"
_HINT_LIMIT = 300


class ConnectionTestRefused(Exception):
    """Too many connection tests; `retry_after` seconds until the next one is allowed."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many connection tests; try again in {retry_after} s.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ServerModels:
    """What the OpenAI-compatible server reports at GET /models, or why it could not be asked."""

    ids: list[str]
    error: str = ""
    asked: bool = False


def _plain(value: Decimal | float | int | None) -> str:
    """0.500000 → "0.5", 120.0 → "120", None → "" (never "5E-1")."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def form_values(view: ProviderView) -> dict[str, str]:
    """The saved settings as the form shows them (blank: not set)."""
    return {
        "provider": view.provider or "",
        "model": view.model or "",
        "openai_base_url": view.openai_base_url or "",
        "anthropic_base_url": view.anthropic_base_url or "",
        "structured_output": view.structured_output or "",
        "input_usd_per_mtok": _plain(view.input_usd_per_mtok),
        "output_usd_per_mtok": _plain(view.output_usd_per_mtok),
        "context_window": _plain(view.context_window),
        "timeout_seconds": _plain(view.timeout_seconds),
    }


def submitted(form: Mapping[str, str]) -> dict[str, str]:
    """The text fields as submitted, to show them again (never the key fields)."""
    return {key: form.get(key, "").strip() for key in TEXT_FIELDS}


def change_from_form(form: Mapping[str, str]) -> ProviderChange:
    """The change a submitted form asks for; raises pydantic's ValidationError."""
    values = submitted(form)
    parsed: dict[str, Any] = dict(values)
    for name in PRICE_FIELDS:
        parsed[name] = values[name].removeprefix("$").strip()
    change = ProviderChange(
        **parsed,
        openai_api_key=form.get("openai_api_key", ""),
        anthropic_api_key=form.get("anthropic_api_key", ""),
        clear_openai_api_key=form.get("clear_openai_api_key") == "1",
        clear_anthropic_api_key=form.get("clear_anthropic_api_key") == "1",
    )
    return change


def field_errors(exc: ValidationError | ProviderSettingsError) -> dict[str, str]:
    """Messages next to their fields, as the form shows them."""
    errors: dict[str, str] = {}
    if isinstance(exc, ProviderSettingsError):
        return {field: message[:1].upper() + message[1:] for field, message in exc.errors.items()}
    for err in exc.errors(include_url=False, include_input=False):
        field = str(err["loc"][0]) if err["loc"] else "form"
        errors.setdefault(field, err["msg"].removeprefix("Value error, ").capitalize())
    return errors


def run_connection_test(org_id: int, config: LLMConfig) -> ProbeResult:
    """One tiny structured call with `config`; raises ConnectionTestRefused beyond the limit."""
    if config.provider == "offline":  # no call is made: nothing to limit
        return probe_connection(config)
    throttle = holdings().throttle
    verdict = throttle.hit(CONNECTION_TEST_LIMIT, "provider-test", str(org_id))
    if not verdict.allowed:
        raise ConnectionTestRefused(verdict.retry_after)
    result = probe_connection(config)
    log.info(
        "provider connection tested",
        extra={
            "org_id": org_id,
            "provider": config.provider,
            "llm_model": config.model,
            "ok": result.ok,
            "llm_structured_output": result.structured_output,
            "latency_ms": result.latency_ms,
        },
    )
    return result


def list_server_models(config: LLMConfig) -> ServerModels:
    """The models an OpenAI-compatible server of one's own reports, asked with a short timeout."""
    if config.provider != "openai" or not config.openai_base_url:
        return ServerModels([])
    quick = dataclasses.replace(
        config, timeout_seconds=min(config.timeout, LISTING_TIMEOUT_SECONDS), max_retries=0
    )
    ids, error = server_models(quick)
    return ServerModels(ids, _trim(error), asked=True)


def _trim(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _HINT_LIMIT else text[: _HINT_LIMIT - 1] + "…"


def _modes() -> dict[str, list[dict[str, str]]]:
    return {
        provider: [{"name": mode, "help": MODE_HELP.get(mode, "")} for mode in modes]
        for provider, modes in STRUCTURED_OUTPUT_MODES.items()
        if modes
    }


def _registry_options() -> list[dict[str, str]]:
    registry = load_registry()
    options = []
    for name in registry.names():
        info = registry.get(name)
        label = PROVIDER_LABELS.get(info.provider, info.provider).split(" (")[0]
        if info.provider != "offline":
            label += f" · ${_plain(info.input_usd_per_mtok)}/${_plain(info.output_usd_per_mtok)} per M tokens"
        options.append({"name": name, "provider": info.provider, "label": label})
    return options


def _in_force(config: LLMConfig) -> dict[str, str]:
    """What new runs get from `config`: mode, price, context window and timeout, as text."""
    facts = {"mode": "—", "price": "—", "context": "—", "timeout": "—", "price_not_set": ""}
    if config.provider == "offline":
        facts["price"] = "no AI cost"
        return facts
    facts["timeout"] = f"{_plain(config.timeout)} s"
    try:
        model, mode = checked_model(config)
    except LLMConfigError as exc:
        facts["mode"] = f"cannot work: {exc}"
        return facts
    facts["mode"] = mode
    facts["context"] = f"{model.context_window:,} tokens"
    if model.priced:
        prices = (_plain(model.input_usd_per_mtok), _plain(model.output_usd_per_mtok))
        facts["price"] = f"${prices[0]} in / ${prices[1]} out per M"
    else:
        facts["price"] = "price not set"
        facts["price_not_set"] = "1"
    return facts


def _default_timeout(config: LLMConfig, base: LLMConfig) -> float:
    """The timeout in force when the field is blank: the environment's, else 60 s hosted, 300 s own."""
    return dataclasses.replace(config, timeout_seconds=base.timeout_seconds).timeout


def _render(
    *,
    view: ProviderView,
    values: dict[str, str],
    saved: LLMConfig,
    base: LLMConfig,
    config: LLMConfig | None = None,
    errors: dict[str, str] | None = None,
    action: str = "save",
    result: ProbeResult | None = None,
    refused: ConnectionTestRefused | None = None,
    status: int = 200,
) -> tuple[str, int, dict[str, str]]:
    """The page; `saved`: what new runs use, `config`: what the form was tested with (default: saved)."""
    config = config or saved
    registry = load_registry()
    listing = list_server_models(config)
    price_unset = (
        values["provider"] == "openai"
        and bool(values["model"])
        and values["model"] not in registry
        and not values["input_usd_per_mtok"]
        and not values["output_usd_per_mtok"]
        and base.input_usd_per_mtok is None
        and base.output_usd_per_mtok is None
    )
    page_data = {
        "registry": list(registry.names()),
        "environment_provider": base.provider,
        "environment_priced": base.input_usd_per_mtok is not None or base.output_usd_per_mtok is not None,
        "environment_timeout": base.timeout_seconds,
        "environment_openai_base_url": base.openai_base_url or "",
        "hosted_timeout": HOSTED_TIMEOUT_SECONDS,
        "local_timeout": LOCAL_TIMEOUT_SECONDS,
    }
    return (
        render_template(
            "admin/provider.html",
            view=view,
            values=values,
            errors=errors or {},
            action=action,
            providers=PROVIDER_LABELS,
            registry_models=_registry_options(),
            modes=_modes(),
            listing=listing,
            in_force=_in_force(saved),
            default_timeout=_plain(_default_timeout(config, base)),
            price_unset=price_unset,
            result=result,
            tested_url=config.base_url if result else None,
            default_context_window=DEFAULT_CONTEXT_WINDOW,
            refused=str(refused) if refused else "",
            environment=base,
            page_data=page_data,
        ),
        status,
        {"Retry-After": str(refused.retry_after)} if refused else {},
    )


@admin_bp.route("/provider", methods=["GET", "POST"])
@require_admin
def provider():  # noqa: ANN201
    settings = holdings().settings
    wiring = holdings().run_service().wiring
    base = wiring.environment
    org_id = current_user.org_id
    view = get_provider_settings(org_id, base)
    saved = wiring.llm_config(org_id)
    if request.method == "GET":
        return _render(view=view, values=form_values(view), saved=saved, base=base)
    values = submitted(request.form)
    try:
        change = change_from_form(request.form)
        update_provider_settings(
            org_id,
            change,
            actor=current_user._get_current_object(),
            secret_key=settings.secret_key,
            base=base,
        )
    except ValidationError as exc:
        errors = field_errors(exc)
    except ProviderSettingsError as exc:
        db.session.rollback()
        errors = field_errors(exc)
    else:
        flash("Provider settings saved. New runs use them; running runs keep theirs.", "success")
        return redirect(url_for("admin_pages.provider"), code=303)
    return _render(view=view, values=values, saved=saved, base=base, errors=errors, status=422)


@admin_bp.post("/provider/test")
@require_admin
def provider_test():  # noqa: ANN201
    """Test connection: the values in the form, unsaved; the result is shown above the form."""
    settings = holdings().settings
    wiring = holdings().run_service().wiring
    base = wiring.environment
    org_id = current_user.org_id
    view = get_provider_settings(org_id, base)
    saved = wiring.llm_config(org_id)
    values = submitted(request.form)
    try:
        change = change_from_form(request.form)
        config = config_for_change(org_id, change, base=base, secret_key=settings.secret_key)
    except (ValidationError, ProviderSettingsError) as exc:
        errors = field_errors(exc)
        return _render(view=view, values=values, saved=saved, base=base, errors=errors, action="test", status=422)
    try:
        result = run_connection_test(org_id, config)
    except ConnectionTestRefused as exc:
        return _render(view=view, values=values, saved=saved, base=base, config=config, refused=exc, status=429)
    return _render(view=view, values=values, saved=saved, base=base, config=config, result=result)
