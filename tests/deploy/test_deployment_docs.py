"""docs/deployment.md stays the complete configuration reference: every setting the app, gunicorn
or the compose stack reads is documented there."""

from __future__ import annotations

import re

from config.settings import Settings
from tests.deploy.nginx_tools import REPO_ROOT

DOCS = (REPO_ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")


def documented(name: str) -> bool:
    return f"`{name}`" in DOCS


def test_every_app_setting_is_documented() -> None:
    missing = [name.upper() for name in Settings.model_fields if not documented(name.upper())]
    assert not missing, f"add to docs/deployment.md's configuration reference: {missing}"


def test_every_gunicorn_setting_is_documented() -> None:
    source = (REPO_ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    names = set(re.findall(r"""(?:os\.environ\.get|_env_int)\(\s*["']([A-Z_]+)["']""", source))
    assert "SHUTDOWN_GRACE_SECONDS" in source and names
    assert [name for name in sorted(names) if not documented(name)] == []


def test_every_env_example_variable_is_documented() -> None:
    text = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z_][A-Z0-9_]*)=", text, flags=re.M)
    missing = [name for name in names if not documented(name) and name not in DOCS]
    assert not missing


def test_redis_contents_and_their_loss_are_described() -> None:
    section = DOCS.split("**Redis holds", 1)[1].split("## Scaling", 1)[0]
    for data in ("Sessions", "Rate-limit", "message queue", "job queue", "response cache"):
        assert data in section, data
