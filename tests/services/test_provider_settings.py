"""Admin provider settings: validation, write-only encrypted keys, and the config runs get."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import select

from services.db import db
from services.holdings import holdings
from services.llm.config import LLMConfig
from services.llm.environment import environment_llm_config
from services.models import AuditEntry, User
from services.models.provider import ProviderSetting
from services.provider_settings import (
    ProviderChange,
    ProviderSettingsError,
    get_provider_settings,
    key_box,
    llm_config_for,
    update_provider_settings,
)

SECRET = "a-test-secret-key-long-enough-for-hkdf-0123456789"
OPENAI_KEY = "sk-test-0123456789abcdefghij"
BASE = LLMConfig(provider="offline", model="offline")


def change(app, admin_id: int, secret: str = SECRET, base: LLMConfig = BASE, **fields):
    with app.app_context():
        admin = db.session.get(User, admin_id)
        return update_provider_settings(
            admin.org_id, ProviderChange(**fields), actor=admin, secret_key=secret, base=base
        )


def config(app, org_id: int, secret: str = SECRET, base: LLMConfig = BASE) -> LLMConfig:
    with app.app_context():
        return llm_config_for(org_id, base, secret_key=secret)


def test_key_box_is_derived_from_the_secret() -> None:
    token = key_box(SECRET).encrypt(b"value")
    assert key_box(SECRET).decrypt(token) == b"value"
    with pytest.raises(InvalidToken):
        key_box(SECRET + "x").decrypt(token)


def test_nothing_set_means_the_environment_holds(app, make_user) -> None:
    admin = make_user("admin")
    assert config(app, admin.org_id) == dataclasses.replace(BASE, tenant=f"org:{admin.org_id}")
    with app.app_context():
        view = get_provider_settings(admin.org_id, BASE)
    assert view.provider is None and view.effective_provider == "offline" and not view.openai_key_set


def test_keys_are_stored_encrypted_and_only_reported_as_set(app, make_user) -> None:
    admin = make_user("admin")
    view = change(app, admin.id, provider="openai", model="gpt-4o-mini", openai_api_key=OPENAI_KEY)
    assert view.openai_key_set and not view.anthropic_key_set
    assert OPENAI_KEY not in repr(view)
    with app.app_context():
        row = db.session.scalar(select(ProviderSetting).where(ProviderSetting.org_id == admin.org_id))
        assert row.openai_api_key_encrypted and OPENAI_KEY not in row.openai_api_key_encrypted
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "provider.settings_changed"))
        assert entry.after["openai_api_key"] == "set" and entry.before["openai_api_key"] == "not set"
        assert OPENAI_KEY not in str(entry.after) + str(entry.before)
    runs_get = config(app, admin.org_id)
    assert (runs_get.provider, runs_get.model, runs_get.openai_api_key) == ("openai", "gpt-4o-mini", OPENAI_KEY)


def test_blank_keeps_the_key_and_clear_removes_it(app, make_user) -> None:
    admin = make_user("admin")
    change(app, admin.id, provider="openai", model="gpt-4o-mini", openai_api_key=OPENAI_KEY)
    kept = change(app, admin.id, provider="openai", model="gpt-4.1-mini", openai_base_url="https://llm.example.com/v1/")
    assert kept.openai_key_set and kept.openai_base_url == "https://llm.example.com/v1"
    assert config(app, admin.org_id).openai_api_key == OPENAI_KEY
    cleared = change(app, admin.id, provider="offline", clear_openai_api_key=True)
    assert not cleared.openai_key_set and cleared.model == "offline"
    assert config(app, admin.org_id).provider == "offline"
    replaced = change(app, admin.id, provider="openai", model="gpt-4o-mini", openai_api_key="sk-new-key-000000", clear_openai_api_key=True)
    assert replaced.openai_key_set and config(app, admin.org_id).openai_api_key == "sk-new-key-000000"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"provider": "openai", "model": "claude-haiku-4-5", "openai_api_key": OPENAI_KEY}, "model"),
        ({"provider": "openai", "model": "no-such-model", "openai_api_key": OPENAI_KEY}, "model"),
        ({"provider": "openai", "model": ""}, "model"),
        ({"provider": "openai", "model": "gpt-4o-mini"}, "openai_api_key"),
        ({"provider": "anthropic", "model": "claude-haiku-4-5"}, "anthropic_api_key"),
        ({"provider": "offline", "model": "gpt-4o-mini"}, "model"),
        ({"provider": "", "model": "gpt-4o-mini"}, "model"),
    ],
)
def test_settings_that_cannot_work_are_refused(app, make_user, fields, field) -> None:
    admin = make_user("admin")
    with pytest.raises(ProviderSettingsError) as refused:
        change(app, admin.id, **fields)
    assert field in refused.value.errors
    with app.app_context():
        assert db.session.scalar(select(ProviderSetting)) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"openai_base_url": "ftp://example.com"},
        {"openai_base_url": "https://user:pass@example.com/v1"},
        {"anthropic_base_url": "not a url"},
        {"openai_api_key": "short"},
        {"openai_api_key": "has a space in it"},
        {"provider": "gemini"},
    ],
)
def test_form_values_are_validated(fields) -> None:
    with pytest.raises(ValueError):
        ProviderChange(**fields)


def test_an_environment_key_satisfies_the_provider(app, make_user) -> None:
    admin = make_user("admin")
    env = LLMConfig(provider="offline", model="offline", openai_api_key="sk-from-env-123456")
    change(app, admin.id, base=env, provider="openai", model="gpt-4o-mini")
    assert config(app, admin.org_id, base=env).openai_api_key == "sk-from-env-123456"


def test_a_rotated_secret_drops_the_stored_key(app, make_user, caplog) -> None:
    admin = make_user("admin")
    change(app, admin.id, provider="openai", model="gpt-4o-mini", openai_api_key=OPENAI_KEY)
    with caplog.at_level(logging.WARNING, logger="services.provider_settings"):
        rotated = config(app, admin.org_id, secret=SECRET + "-rotated")
    assert rotated.openai_api_key is None
    assert "cannot be decrypted" in caplog.text


def test_each_organisation_has_its_own_settings(app, make_user) -> None:
    acme = make_user("admin", org="Acme")
    globex = make_user("admin", org="Globex")
    change(app, acme.id, provider="openai", model="gpt-4o-mini", openai_api_key=OPENAI_KEY)
    assert config(app, globex.org_id) == dataclasses.replace(BASE, tenant=f"org:{globex.org_id}")


def test_environment_config_comes_from_settings(app) -> None:
    settings = holdings(app).settings
    env = environment_llm_config(settings)
    assert env.provider == settings.provider and env.offline_pace_seconds == settings.offline_pace_seconds
