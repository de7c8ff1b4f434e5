"""Admin-set LLM provider, model, base URLs and API keys of an organisation.

API keys are write-only: they are encrypted with Fernet under a key derived from SECRET_KEY (HKDF,
so the session-signing secret itself is never used as an encryption key) and only their presence
("set" / "not set") is ever reported back. Nothing set means the environment's configuration holds.
Runs pick the settings up through `llm_config_for(org_id, base, secret_key=...)`. Base URLs an
admin sets must not point into the deployment's own network (see `services.llm.egress`).
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool, field_validator
from sqlalchemy import bindparam, select

from agents.state import STRIP_SET
from services import audit
from services.db import db
from services.llm.config import LLMConfig
from services.llm.egress import AddressNotAllowed, AllowList, check_base_url
from services.llm.registry import STRUCTURED_OUTPUT_MODES, ModelRegistry, load_registry
from services.models import User
from services.models.provider import ProviderSetting

log = logging.getLogger(__name__)

PROVIDERS: tuple[str, ...] = ("openai", "anthropic", "offline")
KEY_FIELDS: tuple[str, ...] = ("openai", "anthropic")
_HKDF_SALT = b"catalyst/provider-settings"
_HKDF_INFO = b"api-key-encryption/v1"


class ProviderSettingsError(ValueError):
    """The requested settings cannot work; `errors` maps form fields to messages safe to show."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


# Blank (keep the stored key), or 8 to 500 characters without spaces, around which spaces are cut.
# "Space" is spelled out: `\s` differs between Python (which counts \x1c-\x1f and \x85) and the
# JSON Schema clients' ECMAScript (which counts \ufeff), and the schema must say exactly what is taken.
_KEY_SPACES = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
API_KEY_PATTERN = f"^[{_KEY_SPACES}]*([^{_KEY_SPACES}]{{8,500}})?[{_KEY_SPACES}]*$"
_API_KEY = re.compile(API_KEY_PATTERN)


# A base URL as `ProviderChange` takes it: blank, or http(s)://host[:port][path] with no credentials,
# spaces or control characters; the host a name or a bracketed IPv6 address, the port 1 to 65535.
# The validator holds values to it too, so the schema is exactly what is accepted.
_H16 = "[0-9A-Fa-f]{1,4}"
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_LS32 = rf"(?:{_H16}:{_H16}|{_OCTET}(?:\.{_OCTET}){{3}})"
_IPV6 = "|".join(  # RFC 3986's IPv6address, which is what `ipaddress` parses (without a zone)
    [rf"(?:{_H16}:){{6}}{_LS32}", rf"::(?:{_H16}:){{5}}{_LS32}", rf"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}"]
    + [rf"(?:(?:{_H16}:){{0,{n - 1}}}{_H16})?::(?:{_H16}:){{{4 - n}}}{_LS32}" for n in (2, 3, 4)]
    + [rf"(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}", rf"(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}"]
    + [rf"(?:(?:{_H16}:){{0,6}}{_H16})?::"]
)
_PORT = "0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
_EDGE = rf"[{STRIP_SET}]*"  # the whitespace pydantic strips, spelled out (agents.state STRIP_SET)
BASE_URL_PATTERN = (
    rf"^{_EDGE}(?:[Hh][Tt][Tt][Pp][Ss]?://(?:[\w.~%!$&'()*+,;=-]+|\[(?:{_IPV6})\])(?::{_PORT})?"
    rf"(?:[/?#][^{STRIP_SET}\x00-\x1f\x7f]*)?)?{_EDGE}$"
)
_BASE_URL = re.compile(BASE_URL_PATTERN)


def _or_blank(schema: dict[str, Any]) -> None:
    """The JSON Schema of an optional number that a blank string also sets to "unset" (a form's empty field)."""
    schema["anyOf"] = [*schema.get("anyOf", []), {"type": "string", "pattern": r"^\s*$"}]


class ProviderChange(BaseModel):
    """What an admin submits. Blank key fields keep the stored key; `clear_*` removes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    provider: Literal["", "openai", "anthropic", "offline"] = ""
    model: str = Field("", max_length=100)
    openai_base_url: str = Field("", max_length=300, json_schema_extra={"pattern": BASE_URL_PATTERN})
    anthropic_base_url: str = Field("", max_length=300, json_schema_extra={"pattern": BASE_URL_PATTERN})
    openai_api_key: SecretStr = Field(SecretStr(""), json_schema_extra={"pattern": API_KEY_PATTERN})
    anthropic_api_key: SecretStr = Field(SecretStr(""), json_schema_extra={"pattern": API_KEY_PATTERN})
    # Strict: "false" or 0 must not clear a key (the HTML form sends its checkbox as a real bool).
    clear_openai_api_key: StrictBool = False
    clear_anthropic_api_key: StrictBool = False
    # Blank: the registry entry's (or the environment's) value.
    structured_output: Literal[
        "", "auto", "json_schema", "json_object_schema", "json_object", "prompt", "tool", "output_format"
    ] = ""
    input_usd_per_mtok: Decimal | None = Field(None, ge=0, le=10_000, decimal_places=6, json_schema_extra=_or_blank)
    output_usd_per_mtok: Decimal | None = Field(None, ge=0, le=10_000, decimal_places=6, json_schema_extra=_or_blank)
    context_window: int | None = Field(None, ge=256, le=100_000_000, json_schema_extra=_or_blank)
    timeout_seconds: float | None = Field(None, gt=0, le=3600, json_schema_extra=_or_blank)

    @field_validator("input_usd_per_mtok", "output_usd_per_mtok", "context_window", "timeout_seconds", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("openai_base_url", "anthropic_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("enter a full http:// or https:// URL")
        if parts.username or parts.password:
            raise ValueError("put credentials in the API key field, not in the URL")
        try:
            port = parts.port  # urlsplit checks the port only when asked
        except ValueError:
            port = 0
        if port == 0:
            raise ValueError("the port must be a number from 1 to 65535")
        if not _BASE_URL.fullmatch(value):
            raise ValueError("enter a URL like https://host:port/path, without spaces or control characters")
        return value.rstrip("/")

    @field_validator("openai_api_key", "anthropic_api_key")
    @classmethod
    def _plausible_key(cls, value: SecretStr) -> SecretStr:
        found = _API_KEY.fullmatch(value.get_secret_value())
        if found is None:
            raise ValueError("an API key is 8 to 500 characters without spaces")
        return SecretStr(found.group(1) or "")


@dataclass(frozen=True)
class ProviderView:
    """What an admin may see: choices and whether keys are set, never the keys."""

    provider: str | None
    model: str | None
    openai_base_url: str | None
    anthropic_base_url: str | None
    openai_key_set: bool
    anthropic_key_set: bool
    updated_at: datetime | None
    effective_provider: str
    effective_model: str
    structured_output: str | None = None
    input_usd_per_mtok: Decimal | None = None
    output_usd_per_mtok: Decimal | None = None
    context_window: int | None = None
    timeout_seconds: float | None = None

    def audit_form(self) -> dict[str, object]:
        return {
            "provider": self.provider,
            "model": self.model,
            "openai_base_url": self.openai_base_url,
            "anthropic_base_url": self.anthropic_base_url,
            "openai_api_key": "set" if self.openai_key_set else "not set",
            "anthropic_api_key": "set" if self.anthropic_key_set else "not set",
            "structured_output": self.structured_output,
            "input_usd_per_mtok": None if self.input_usd_per_mtok is None else str(self.input_usd_per_mtok),
            "output_usd_per_mtok": None if self.output_usd_per_mtok is None else str(self.output_usd_per_mtok),
            "context_window": self.context_window,
            "timeout_seconds": self.timeout_seconds,
        }


def key_box(secret_key: str) -> Fernet:
    """The Fernet instance for API keys, derived from SECRET_KEY."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _stored(org_id: int) -> ProviderSetting | None:
    return db.session.scalar(_STORED, {"org_id": org_id})


_STORED = select(ProviderSetting).where(ProviderSetting.org_id == bindparam("org_id"))  # built once: read per page


def _view(row: ProviderSetting | None, base: LLMConfig) -> ProviderView:
    provider = row.provider if row else None
    return ProviderView(
        provider=provider,
        model=row.model if row else None,
        openai_base_url=row.openai_base_url if row else None,
        anthropic_base_url=row.anthropic_base_url if row else None,
        openai_key_set=bool(row and row.openai_api_key_encrypted),
        anthropic_key_set=bool(row and row.anthropic_api_key_encrypted),
        updated_at=row.updated_at if row else None,
        effective_provider=provider or base.provider,
        effective_model=(row.model if row and provider else None) or base.model,
        structured_output=row.structured_output if row else None,
        input_usd_per_mtok=row.input_usd_per_mtok if row else None,
        output_usd_per_mtok=row.output_usd_per_mtok if row else None,
        context_window=row.context_window if row else None,
        timeout_seconds=row.timeout_seconds if row else None,
    )


def get_provider_settings(org_id: int, base: LLMConfig) -> ProviderView:
    """The organisation's settings as an admin may see them (`base`: the environment's config)."""
    return _view(_stored(org_id), base)


def update_provider_settings(
    org_id: int,
    change: ProviderChange,
    *,
    actor: User,
    secret_key: str,
    base: LLMConfig,
    registry: ModelRegistry | None = None,
) -> ProviderView:
    """Validate and store a change (audited, keys masked); raises ProviderSettingsError."""
    row = _stored(org_id)
    before = _view(row, base)
    has_key = {
        name: _key_after(change, name, bool(getattr(row, f"{name}_api_key_encrypted", None)))
        or bool(getattr(base, f"{name}_api_key"))
        for name in KEY_FIELDS
    }
    _check(change, has_key, base, registry or load_registry())
    if row is None:
        row = ProviderSetting(org_id=org_id)
        db.session.add(row)
    row.provider = change.provider or None
    row.model = change.model or ("offline" if change.provider == "offline" else None)
    row.openai_base_url = change.openai_base_url or None
    row.anthropic_base_url = change.anthropic_base_url or None
    row.structured_output = change.structured_output or None
    row.input_usd_per_mtok = change.input_usd_per_mtok
    row.output_usd_per_mtok = change.output_usd_per_mtok
    row.context_window = change.context_window
    row.timeout_seconds = change.timeout_seconds
    box = key_box(secret_key)
    for name in KEY_FIELDS:
        new_key = getattr(change, f"{name}_api_key").get_secret_value()
        column = f"{name}_api_key_encrypted"
        if new_key:
            setattr(row, column, box.encrypt(new_key.encode()).decode())
        elif getattr(change, f"clear_{name}_api_key"):
            setattr(row, column, None)
    row.updated_by_id = actor.id
    db.session.flush()
    after = _view(row, base)
    audit.record(
        "provider.settings_changed",
        actor=actor,
        target_type="organisation",
        target_id=org_id,
        org_id=org_id,
        before=before.audit_form(),
        after=after.audit_form(),
    )
    db.session.commit()
    log.info("provider settings changed", extra={"org_id": org_id, "provider": after.effective_provider})
    return after


def _key_after(change: ProviderChange, name: str, stored: bool) -> bool:
    if getattr(change, f"clear_{name}_api_key"):
        return bool(getattr(change, f"{name}_api_key").get_secret_value())
    return stored or bool(getattr(change, f"{name}_api_key").get_secret_value())


def _check(change: ProviderChange, has_key: dict[str, bool], base: LLMConfig, registry: ModelRegistry) -> None:
    errors: dict[str, str] = {}
    provider = change.provider
    own_server = provider == "openai" and bool(change.openai_base_url or base.openai_base_url)
    if provider in ("openai", "anthropic"):
        if not change.model:
            errors["model"] = f"choose a model served by {provider}"
        elif change.model not in registry:
            if not own_server:
                errors["model"] = (
                    "this model is not in the model registry (config/models.yaml); a model of your own "
                    "server needs its base URL"
                )
        elif registry.get(change.model).provider != provider:
            errors["model"] = f"{change.model} is served by {registry.get(change.model).provider}, not {provider}"
    elif provider == "offline" and change.model not in ("", "offline"):
        errors["model"] = "the offline provider only has the offline model"
    elif provider == "" and change.model:
        errors["model"] = "choose a provider for this model, or leave both on the environment default"
    modes = STRUCTURED_OUTPUT_MODES.get(provider or base.provider, ())
    if change.structured_output and change.structured_output not in modes:
        errors["structured_output"] = (
            f"{change.structured_output} is not a mode of {provider or base.provider}"
            + (f" (choose {', '.join(modes)})" if modes else "")
        )
    if provider == "openai" and not has_key["openai"] and not (change.openai_base_url or base.openai_base_url):
        errors["openai_api_key"] = "OpenAI needs an API key (or a base URL of a local server)"
    if provider == "anthropic" and not has_key["anthropic"]:
        errors["anthropic_api_key"] = "Anthropic needs an API key"
    allow = AllowList.parse(base.allowed_hosts)
    for field in ("openai_base_url", "anthropic_base_url"):
        url = getattr(change, field)
        if not url:
            continue
        try:
            check_base_url(url, allow)
        except AddressNotAllowed as exc:
            errors[field] = f"{exc}; only the operator can allow such a host (LLM_ALLOWED_HOSTS)"
    if errors:
        raise ProviderSettingsError(errors)


def _decrypt(box: Fernet, token: str | None, org_id: int, name: str) -> str | None:
    if not token:
        return None
    try:
        return box.decrypt(token.encode()).decode()
    except InvalidToken:
        # SECRET_KEY changed since the key was saved: the admin has to enter it again.
        log.warning("stored API key cannot be decrypted", extra={"org_id": org_id, "key": name})
        return None


def llm_config_for(org_id: int, base: LLMConfig, *, secret_key: str) -> LLMConfig:
    """`base` (from the environment) with the organisation's admin settings applied on top."""
    row = _stored(org_id)
    if row is None or not row.provider:
        return dataclasses.replace(base, tenant=f"org:{org_id}")
    return _applied(base, org_id, row, _saved_keys(row, org_id, secret_key))


def config_for_change(org_id: int, change: ProviderChange, *, base: LLMConfig, secret_key: str) -> LLMConfig:
    """The configuration runs would use if `change` were saved (for a connection test); stores nothing.

    Validated exactly as a save is (ProviderSettingsError). A blank key field means the saved key
    (or the environment's); a key typed in is used for this configuration only.
    """
    saved = _saved_keys(_stored(org_id), org_id, secret_key)
    keys: dict[str, str | None] = {}
    for name in KEY_FIELDS:
        typed = getattr(change, f"{name}_api_key").get_secret_value()
        kept = None if getattr(change, f"clear_{name}_api_key") else saved[name]
        keys[name] = typed or kept or getattr(base, f"{name}_api_key")
    _check(change, {name: bool(key) for name, key in keys.items()}, base, load_registry())
    if not change.provider:
        return dataclasses.replace(base, tenant=f"org:{org_id}")
    return _applied(base, org_id, change, keys)


def _saved_keys(row: ProviderSetting | None, org_id: int, secret_key: str) -> dict[str, str | None]:
    box = key_box(secret_key)
    return {
        name: _decrypt(box, getattr(row, f"{name}_api_key_encrypted", None) if row else None, org_id, name)
        for name in KEY_FIELDS
    }


def _applied(
    base: LLMConfig, org_id: int, chosen: ProviderSetting | ProviderChange, keys: dict[str, str | None]
) -> LLMConfig:
    """`base` with an organisation's choices on top: a saved row, or a change being tried."""
    admin_url = {"openai": chosen.openai_base_url, "anthropic": chosen.anthropic_base_url}.get(chosen.provider or "")
    return dataclasses.replace(
        base,
        tenant=f"org:{org_id}",
        # An org admin's URL is checked on every connection; the operator's own (environment) is not.
        guard_base_url=bool(admin_url),
        provider=chosen.provider,  # type: ignore[arg-type]
        model=chosen.model or ("offline" if chosen.provider == "offline" else base.model),
        openai_api_key=keys["openai"] or base.openai_api_key,
        openai_base_url=chosen.openai_base_url or base.openai_base_url,
        anthropic_api_key=keys["anthropic"] or base.anthropic_api_key,
        anthropic_base_url=chosen.anthropic_base_url or base.anthropic_base_url,
        structured_output=chosen.structured_output or base.structured_output,
        input_usd_per_mtok=_first(chosen.input_usd_per_mtok, base.input_usd_per_mtok),
        output_usd_per_mtok=_first(chosen.output_usd_per_mtok, base.output_usd_per_mtok),
        context_window=chosen.context_window or base.context_window,
        timeout_seconds=chosen.timeout_seconds or base.timeout_seconds,
    )


def _first(value: Decimal | None, fallback: Decimal | None) -> Decimal | None:
    return value if value is not None else fallback
