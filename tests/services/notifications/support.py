"""Helpers: a hook made through the service, a run that pauses, the outbox and audit rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from services import accounts
from services.db import db
from services.holdings import holdings
from services.models import AuditEntry, User
from services.models.notifications import NotificationAttempt, NotificationDelivery, Webhook
from services.notifications.hooks import create_webhook
from tests.conftest import PASSWORD, build_app, release_app
from tests.support.api import JsonClient, brief, execute_queued


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    org_id: int


def add_user(app: Flask, role: str, org: str = "Acme", active: bool = True) -> Person:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        user = accounts.create_user(email=email, role=role, org_name=org, password=PASSWORD).user
        if not active:
            user.active = False
            db.session.commit()
        return Person(user.id, user.email, user.org_id)


def make_hook(app: Flask, admin_id: int, url: str, events: list[str] | None = None) -> tuple[int, str]:
    with app.app_context():
        admin = db.session.get(User, admin_id)
        hook, secret = create_webhook(admin.org_id, admin, url=url, events=events or ["run.paused", "run.failed"],
                                      description="test receiver", settings=holdings(app).settings)
        return hook.id, secret


def paused_run(app: Flask, executive_email: str, **extra) -> str:
    """A run that pauses for approval (a plan over its 1000 budget), executed here."""
    api = JsonClient(app.test_client()).login(executive_email)
    response = api.post("/api/runs", brief(budget="1000", **extra))
    assert response.status_code == 201, response.get_json()
    run_id = response.get_json()["id"]
    execute_queued(app)
    return run_id


def deliveries(app: Flask) -> list[NotificationDelivery]:
    with app.app_context():
        rows = list(db.session.scalars(select(NotificationDelivery).order_by(NotificationDelivery.id)))
        db.session.expunge_all()
        return rows


def attempts(app: Flask, delivery_id: int) -> list[NotificationAttempt]:
    with app.app_context():
        rows = list(db.session.scalars(
            select(NotificationAttempt).where(NotificationAttempt.delivery_id == delivery_id)
            .order_by(NotificationAttempt.id)
        ))
        db.session.expunge_all()
        return rows


def hook_row(app: Flask, hook_id: int) -> Webhook:
    with app.app_context():
        row = db.session.get(Webhook, hook_id)
        db.session.expunge_all()
        return row


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def notifier(app: Flask):
    return holdings(app).run_service().wiring.notifier


QUICK = {
    "webhook_retry_base_seconds": 0.05,
    "webhook_retry_max_seconds": 0.2,
    "notification_poll_seconds": 0.05,
    "webhook_max_attempts": 3,
    "webhook_disable_after_failures": 3,
    "public_base_url": "https://catalyst.example.com",
}


@pytest.fixture
def make_app(backend, tmp_path, request) -> Iterator:
    """`make_app(**overrides)`: an app with quick notification settings; its consumer is stopped after."""
    made: list[Flask] = []

    def factory(**overrides: object) -> Flask:
        pg = request.getfixturevalue("postgres_url") if backend == "postgres" else None
        app = build_app(tmp_path / f"app{len(made)}", backend, pg, **{**QUICK, **overrides})
        made.append(app)
        return app

    yield factory
    for app in made:
        notifier = holdings(app).run_service().wiring.notifier
        if notifier is not None:
            notifier.stop()
        release_app(app)
