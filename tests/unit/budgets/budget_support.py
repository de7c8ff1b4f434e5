"""Shared helpers of the budget tests: an app on the budgets' own databases, orgs, users and runs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask
from flask_migrate import upgrade
from pydantic import BaseModel

from agents.ports import LLMRequest, LLMResponse
from app import create_app
from config.settings import load_settings
from services import accounts
from services.db import db, utcnow
from services.models import Run, RunStatus
from tests.conftest import PASSWORD
from tests.support.isolation import PG_ADMIN_URL, pg_database, pg_url

BUDGETS_DB = pg_database("catalyst_test_budgets")
BUDGETS_PG_URL = os.environ.get("TEST_BUDGETS_DATABASE_URL", pg_url("catalyst_test_budgets"))
# Each pytest process works in its own schema of the budgets database, so two people running the
# suite at once (or the two-process test's workers) never reset each other's tables.
SCHEMA = f"budgets_{os.getpid()}"

BRIEF = {
    "company": {"name": "Acme", "industry": "Technology", "location": "Austin, TX"},
    "objectives": ["Launch product"],
    "budget_usd": "5000",
    "timeline_days": 90,
}


def ensure_budgets_database() -> str:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (BUDGETS_DB,)).fetchone():
            conn.execute(f"create database {BUDGETS_DB}")
    return BUDGETS_PG_URL


def schema_url(schema: str = SCHEMA) -> str:
    """The budgets database with `schema` first on the search path (tables, alembic version)."""
    return f"{ensure_budgets_database()}?options=-csearch_path%3D{schema}"


def reset_schema(schema: str = SCHEMA) -> None:
    with psycopg.connect(ensure_budgets_database(), autocommit=True) as conn:
        conn.execute(f"drop schema if exists {schema} cascade")
        conn.execute(f"create schema {schema}")


def drop_schema(schema: str = SCHEMA) -> None:
    with psycopg.connect(ensure_budgets_database(), autocommit=True) as conn:
        conn.execute(f"drop schema if exists {schema} cascade")


def budget_app(tmp_path: Path, backend: str, **overrides: object) -> Flask:
    """An app migrated to heads, on SQLite or in this process's schema of the budgets database."""
    if backend == "postgres":
        reset_schema()
        database_url = schema_url()
    else:
        database_url = f"sqlite:///{tmp_path / 'test.db'}"
    settings = load_settings(
        app_env="test",
        instance_path=tmp_path / "instance",
        database_url=database_url,
        log_level="WARNING",
        **overrides,
    )
    app = create_app(settings)
    with app.app_context():
        upgrade(revision="heads")
    return app


@dataclass(frozen=True)
class Seed:
    org_id: int
    user_id: int
    email: str


def make_member(app: Flask, role: str = "admin", org: str = "Acme") -> Seed:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        user = accounts.create_user(email=email, role=role, org_name=org, password=PASSWORD).user
        return Seed(user.org_id, user.id, user.email)


def make_run(
    app: Flask,
    seed: Seed,
    ai_cap: Decimal | str = "1",
    *,
    model: str = "gpt-4o-mini",
    provider: str = "openai",
    status: RunStatus = RunStatus.running,
    company: str = "Acme",
) -> str:
    with app.app_context():
        run = Run(
            org_id=seed.org_id,
            created_by_id=seed.user_id,
            status=status,
            brief={**BRIEF, "company": {**BRIEF["company"], "name": company}},
            company_name=company,
            budget_usd=Decimal("5000"),
            ai_cap_usd=Decimal(str(ai_cap)),
            provider=provider,
            model=model,
            created_at=utcnow(),
        )
        db.session.add(run)
        db.session.commit()
        return run.id


# --- a scripted LLM client -------------------------------------------------------------------------


class Answer(BaseModel):
    text: str = "ok"


def llm_request(call_id: str, agent: str = "legal", run_id: str = "run") -> LLMRequest:
    return LLMRequest(
        run_id=run_id,
        call_id=call_id,
        agent=agent,
        prompt=agent,
        prompt_version="v1",
        system="Answer in JSON.",
        data={"brief": "x"},
        output_schema=Answer,
    )


class ScriptedLLM:
    """An LLMClient whose answers cost what the script says; a script item may be an exception."""

    def __init__(self, script: list[Any] | Callable[[LLMRequest], Any]):
        self.script = script
        self.calls: list[str] = []

    def generate(self, request: LLMRequest) -> LLMResponse:
        self.calls.append(request.call_id)
        item = self.script(request) if callable(self.script) else self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        cost = Decimal(str(item))
        return LLMResponse(
            output=Answer(),
            provider="openai",
            model="gpt-4o-mini",
            input_tokens=1000,
            output_tokens=100,
            cost_usd=cost,
        )
