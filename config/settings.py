"""All configuration, parsed once from the environment and validated before the app starts.

Outside production the app needs no configuration at all: secrets are generated once into
`instance/` and the database is a SQLite file there. In production every secret must come from the
environment and the app refuses to start without it.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent

# Values that people paste from tutorials; none of them is a secret.
PLACEHOLDER_SECRETS = {
    "",
    "change-me",
    "changeme",
    "secret",
    "dev",
    "development",
    "your-secret-key",
    "please-change-me",
    "replace-me",
    "placeholder",
}
MIN_SECRET_LENGTH = 32
# A local model server (Ollama, llama.cpp) on the developer's own machine.
DEV_ALLOWED_LLM_HOSTS = ("127.0.0.1", "::1", "localhost")
LLMProvider = Literal["openai", "anthropic", "offline"]
_LABEL = r"[a-z0-9_]([a-z0-9_-]{0,62}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*\.?$", re.IGNORECASE)


class ConfigError(RuntimeError):
    """The configuration cannot start the app; the message says what to set."""


class Settings(BaseSettings):
    """Every setting Catalyst reads. See docs/deployment.md for the reference."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    app_env: Literal["development", "test", "production"] = "development"
    secret_key: str | None = None
    database_url: str | None = None
    redis_url: str | None = None
    instance_path: Path = ROOT / "instance"

    host: str = "127.0.0.1"
    port: int = Field(5000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"

    # Reverse proxy: how many proxies set each X-Forwarded-* header (0 = not behind a proxy).
    proxy_fix_x_for: int = Field(0, ge=0, le=5)
    proxy_fix_x_proto: int = Field(0, ge=0, le=5)
    proxy_fix_x_host: int = Field(0, ge=0, le=5)
    proxy_fix_x_port: int = Field(0, ge=0, le=5)
    # Origins allowed to open a Socket.IO connection, besides the app's own origin.
    socketio_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    force_https: bool | None = None
    max_content_length: int = Field(256 * 1024, ge=1024, le=64 * 1024 * 1024)
    session_lifetime_hours: int = Field(12, ge=1, le=24 * 30)

    # Rate limits, written as `limits` strings.
    login_limit_per_ip: str = "20/5 minutes"
    login_limit_per_account: str = "5/5 minutes"
    api_rate_limit: str = "300/minute"
    # Socket.IO client events: per connection, and a far higher ceiling per user across all of
    # the user's sockets (a team sharing one account watches from hundreds of tabs).
    socket_event_limit: str = "60/10 seconds"
    socket_event_limit_per_user: str = "2000/10 seconds"

    llm_provider: LLMProvider | None = None
    llm_model: str | None = None
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    # None: 60 s at a hosted provider, 300 s at a base URL of one's own (a local model is slow).
    llm_timeout_seconds: float | None = Field(None, gt=0, le=3600)
    # How to ask for schema-shaped answers; None: the registry entry's, else `auto` at a base URL.
    llm_structured_output: (
        Literal["auto", "json_schema", "json_object_schema", "json_object", "prompt", "tool", "output_format"] | None
    ) = None
    # Price and context window of a model that is not in config/models.yaml.
    llm_input_usd_per_mtok: Decimal | None = Field(None, ge=0, le=10_000)
    llm_output_usd_per_mtok: Decimal | None = Field(None, ge=0, le=10_000)
    llm_context_window: int | None = Field(None, ge=256, le=100_000_000)
    llm_max_retries: int = Field(4, ge=0, le=10)
    llm_rate_limit: str = "120/minute"
    llm_cache_key: str | None = None
    llm_cache_ttl_seconds: int = Field(24 * 3600, ge=60)
    offline_pace_seconds: float = Field(0.0, ge=0, le=10)
    # Private or loopback hosts an org admin may still point the provider base URL at (names,
    # addresses, CIDRs). Unset: loopback outside production, nothing in production.
    llm_allowed_hosts: Annotated[list[str] | None, NoDecode] = None

    run_executor: Literal["inline", "queue"] = "inline"
    max_concurrent_runs: int = Field(4, ge=1, le=200)
    overrun_policy: Literal["approve", "trim"] = "approve"
    shutdown_grace_seconds: float = Field(20.0, ge=0, le=600)
    monthly_ai_cap_usd: Decimal = Field(Decimal("100"), ge=0, le=1_000_000)
    run_ai_cap_default_usd: Decimal = Field(Decimal("5"), ge=0, le=100_000)

    metrics_token: str | None = None

    # Notifications (docs/notifications.md). The app's address as people reach it, for links in
    # emails and webhook payloads; unset: http://HOST:PORT.
    public_base_url: str | None = None
    # Outgoing email: smtp://user:pass@host:port (SMTP_STARTTLS upgrades it) or smtps://… (TLS
    # from the start). Unset: no email is sent, and the admin page says so.
    smtp_url: str | None = None
    smtp_starttls: bool = False
    smtp_from: str = "Catalyst <catalyst@localhost>"
    smtp_timeout_seconds: float = Field(10.0, gt=0, le=300)
    # Webhook delivery: attempts per event, exponential backoff from the base delay (capped), and
    # a hook disabled after this many failed attempts in a row (an admin re-enables it).
    webhook_max_attempts: int = Field(6, ge=1, le=20)
    webhook_retry_base_seconds: float = Field(30.0, gt=0, le=3600)
    webhook_retry_max_seconds: float = Field(3600.0, gt=0, le=86_400)
    webhook_disable_after_failures: int = Field(15, ge=1, le=1000)
    webhook_timeout_seconds: float = Field(10.0, gt=0, le=60)
    # How often a notification consumer looks for deliveries that are due (retries, lost wake-ups).
    notification_poll_seconds: float = Field(5.0, gt=0, le=300)

    @field_validator("socketio_allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("socketio_allowed_origins")
    @classmethod
    def _no_wildcard_origin(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin == "*" or not origin.startswith(("http://", "https://")):
                raise ValueError(f"{origin!r} is not an origin like https://example.com ('*' is refused)")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _plain_base_url(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith(("http://", "https://")) or "?" in value or "#" in value):
            raise ValueError(f"{value!r} is not a base URL like https://catalyst.example.com")
        return value.rstrip("/") if value else None

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("smtp://", "smtps://")):
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
        return value or None

    @field_validator("llm_allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("llm_allowed_hosts")
    @classmethod
    def _plain_hosts(cls, value: list[str] | None) -> list[str] | None:
        for entry in value or []:
            try:
                ipaddress.ip_network(entry.strip("[]"), strict=False)
            except ValueError:
                if not _HOST_NAME.match(entry):
                    raise ValueError(f"{entry!r} is not a host name, an IP address or a CIDR") from None
        return value

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.app_env != "production":
            return self
        missing = [
            name.upper()
            for name in ("secret_key", "database_url", "redis_url")
            if not getattr(self, name)
        ]
        if missing:
            raise ValueError(f"production needs {', '.join(missing)} in the environment")
        secret_key, database_url = self.secret_key or "", self.database_url or ""  # both set: checked above
        if secret_key.strip().lower() in PLACEHOLDER_SECRETS or len(secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"SECRET_KEY is a placeholder or shorter than {MIN_SECRET_LENGTH} characters; "
                "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if database_url.startswith("sqlite"):
            raise ValueError("production needs a PostgreSQL DATABASE_URL, not SQLite")
        if self.llm_provider is None:
            raise ValueError(
                "production needs LLM_PROVIDER (openai or anthropic; 'offline' only if you mean it)"
            )
        if self.llm_provider == "openai" and not self.openai_api_key and not self.openai_base_url:
            raise ValueError("LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)")
        if self.llm_provider == "anthropic" and not self.anthropic_api_key:
            raise ValueError("LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY")
        return self

    # --- derived values -------------------------------------------------------------------------

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def provider(self) -> LLMProvider:
        """The LLM provider in force: offline is the default only outside production."""
        return self.llm_provider or "offline"

    @property
    def llm_allowed_hosts_in_force(self) -> list[str]:
        """`LLM_ALLOWED_HOSTS`, or its default: loopback outside production, nothing in production."""
        if self.llm_allowed_hosts is not None:
            return self.llm_allowed_hosts
        return [] if self.is_production else list(DEV_ALLOWED_LLM_HOSTS)

    @property
    def base_url(self) -> str:
        """Where people reach the app, for links sent outside a request (emails, webhooks)."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def https(self) -> bool:
        return self.is_production if self.force_https is None else self.force_https

    @property
    def sqlalchemy_url(self) -> str:
        url = self.database_url or f"sqlite:///{self.instance_path / 'catalyst.db'}"
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url

    @property
    def is_postgres(self) -> bool:
        return self.sqlalchemy_url.startswith("postgresql")


def load_settings(**overrides: Any) -> Settings:
    """Read the environment (plus overrides, validated as the environment is), fill generated secrets
    outside production."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper() or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"Invalid configuration: {problems}") from None
    if not settings.is_production:
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        if not settings.secret_key:
            settings.secret_key = _instance_secret(settings.instance_path / "secret_key")
        if not settings.llm_cache_key and settings.redis_url:
            settings.llm_cache_key = _instance_secret(settings.instance_path / "llm_cache_key")
    return settings


def _instance_secret(path: Path) -> str:
    """A secret generated once, kept in instance/ and readable only by its owner."""
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(value)
    path.chmod(0o600)
    return value
