"""A cancelled run reaches the hooks that chose `run.cancelled`; when a decision deadline cancelled it,
the executives and admins who were asked to decide are emailed too (a real receiver, a real SMTP server)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import update

from services.budgets.settings import update_budget_settings
from services.db import db, utcnow
from services.holdings import holdings
from services.models import Run, RunStatus, User
from tests.services.notifications.receivers import SmtpReceiver, WebhookReceiver
from tests.services.notifications.support import add_user, deliveries, make_hook, notifier, paused_run
from tests.support.api import JsonClient
from tests.support.polling import wait_for


def deadline_cancels(app, admin_id: int) -> None:
    """Decisions get a deadline with `cancel` as fallback (stamped on each run as it pauses)."""
    with app.app_context():
        admin = db.session.get(User, admin_id)
        update_budget_settings(admin.org_id, {"decision_deadline_minutes": 30, "decision_fallback": "cancel"},
                               admin, holdings(app).settings)  # fmt: skip


def cancel_at_the_deadline(app, run_id: str) -> int:
    """The run's deadline passed a minute ago; one maintenance pass (what every process runs)."""
    with app.app_context():
        db.session.execute(update(Run).where(Run.id == run_id).values(decision_due_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        service = holdings(app).run_service()
        return service.wiring.maintenance(service.publish)


def test_a_run_the_deadline_cancelled_is_told_to_hooks_and_emailed(make_app, through):
    with SmtpReceiver() as smtp, WebhookReceiver(status=200) as receiver:
        app = make_app(smtp_url=smtp.url, smtp_from="catalyst@example.com", **through)
        admin = add_user(app, "admin")
        executive = add_user(app, "executive")
        add_user(app, "member")
        make_hook(app, admin.id, receiver.url, events=["run.cancelled"])
        deadline_cancels(app, admin.id)
        run_id = paused_run(app, executive.email)  # emails about the pause are written now
        assert cancel_at_the_deadline(app, run_id) == 1
        with app.app_context():
            assert db.session.get(Run, run_id).status == RunStatus.cancelled
        notifier(app).start()
        wait_for(lambda: receiver.requests, what="run.cancelled")
        wait_for(lambda: len(smtp.messages) >= 4, what="the pause's and the cancellation's emails")
        wait_for(lambda: all(d.status == "delivered" for d in deliveries(app)), what="deliveries recorded")
    (request,) = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "run.cancelled" and body["data"]["run"]["id"] == run_id
    assert body["data"]["run"]["status"] == "cancelled" and body["data"]["reason"] == "decision_deadline"
    assert "decision deadline" in body["data"]["message"]
    cancelled = [m for _, m in smtp.messages if "cancelled" in m["Subject"]]
    assert sorted(m["To"] for m in cancelled) == sorted([admin.email, executive.email])
    text = cancelled[0].get_body(("plain",)).get_content()
    assert "Nobody decided before" in text and f"/runs/{run_id}" in text


def test_a_person_cancelling_a_paused_run_tells_the_hooks_but_emails_nobody(make_app):
    with SmtpReceiver() as smtp, WebhookReceiver(status=200) as receiver:
        app = make_app(smtp_url=smtp.url, smtp_from="catalyst@example.com")
        admin = add_user(app, "admin")
        executive = add_user(app, "executive")
        make_hook(app, admin.id, receiver.url, events=["run.cancelled"])
        run_id = paused_run(app, executive.email)
        api = JsonClient(app.test_client()).login(executive.email)
        assert api.post(f"/api/runs/{run_id}/cancel").status_code == 200
        notifier(app).start()
        wait_for(lambda: receiver.requests, what="run.cancelled")
        wait_for(lambda: all(d.status == "delivered" for d in deliveries(app)), what="deliveries recorded")
    body = json.loads(receiver.requests[0].body)
    assert body["type"] == "run.cancelled" and body["data"]["reason"] is None
    assert body["data"]["message"] == "The run is cancelled."
    emails = [d for d in deliveries(app) if d.channel == "email"]
    assert {d.event for d in emails} == {"run.paused"}  # the pause's, not the cancellation's
    assert not [m for _, m in smtp.messages if "cancelled" in m["Subject"]]
