"""Admin-set LLM provider settings of an organisation (API keys stored encrypted, never shown)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Model, UTCDateTime, utcnow


class ProviderSetting(Model):
    __tablename__ = "provider_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    # None: use the provider from the environment (LLM_PROVIDER), as when nothing was set.
    provider: Mapped[str | None] = mapped_column(String(16), nullable=True)
    model: Mapped[str | None] = mapped_column(String(100), nullable=True)
    openai_base_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    anthropic_base_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Fernet tokens; the keys themselves are never stored in clear nor sent back to a browser.
    openai_api_key_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)
    anthropic_api_key_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)
    # For a model outside the registry, and how its server takes a schema; None: the environment's.
    structured_output: Mapped[str | None] = mapped_column(String(24), nullable=True)
    input_usd_per_mtok: Mapped[Decimal | None] = mapped_column(Numeric(12, 6), nullable=True)
    output_usd_per_mtok: Mapped[Decimal | None] = mapped_column(Numeric(12, 6), nullable=True)
    context_window: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timeout_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
