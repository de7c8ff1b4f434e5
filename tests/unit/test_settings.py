"""Settings are validated at start; production refuses to start without real secrets."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k" * 48


def test_development_generates_secret_once_with_owner_only_permissions(tmp_path):
    first = load_settings(instance_path=tmp_path)
    second = load_settings(instance_path=tmp_path)
    assert first.secret_key == second.secret_key and len(first.secret_key) >= 32
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert first.sqlalchemy_url == f"sqlite:///{tmp_path / 'catalyst.db'}"
    assert first.provider == "offline"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY, DATABASE_URL, REDIS_URL"),
        ({"SECRET_KEY": STRONG, "REDIS_URL": "redis://x"}, "DATABASE_URL"),
        ({"SECRET_KEY": "change-me", "DATABASE_URL": "postgresql://db/x", "REDIS_URL": "redis://x"}, "placeholder"),
        ({"SECRET_KEY": "short", "DATABASE_URL": "postgresql://db/x", "REDIS_URL": "redis://x"}, "placeholder or shorter"),
        ({"SECRET_KEY": STRONG, "DATABASE_URL": "sqlite:///x.db", "REDIS_URL": "redis://x"}, "PostgreSQL"),
        ({"SECRET_KEY": STRONG, "DATABASE_URL": "postgresql://db/x", "REDIS_URL": "redis://x"}, "LLM_PROVIDER"),
        (
            {"SECRET_KEY": STRONG, "DATABASE_URL": "postgresql://db/x", "REDIS_URL": "redis://x", "LLM_PROVIDER": "openai"},
            "OPENAI_API_KEY",
        ),
    ],
)
def test_production_refuses_incomplete_configuration(monkeypatch, env, message):
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "LLM_PROVIDER", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_settings(app_env="production")


def test_production_with_explicit_offline_is_accepted():
    settings = load_settings(
        app_env="production",
        secret_key=STRONG,
        database_url="postgresql://db/x",
        redis_url="redis://x",
        llm_provider="offline",
    )
    assert settings.https and settings.provider == "offline"
    assert settings.sqlalchemy_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize("origins", ["*", "example.com", "https://ok.example,*"])
def test_wildcard_or_bare_socket_origins_refused(origins):
    with pytest.raises(ConfigError, match="SOCKETIO_ALLOWED_ORIGINS"):
        load_settings(socketio_allowed_origins=origins)


def test_server_refuses_to_start_in_production_without_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    env.update(APP_ENV="production", INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "production needs SECRET_KEY, DATABASE_URL, REDIS_URL" in result.stderr
    assert "Traceback" not in result.stderr
