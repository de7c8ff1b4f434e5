"""Admin page: the organisation's webhooks (create, send a test, disable, re-enable, delete), whether
email is on, and the latest deliveries with every attempt.

The same services as the JSON API (web/api/admin_webhooks.py); a new hook's signing secret is shown
in the answer to the form that created it, once (never flashed: that would keep it in the session).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from services.holdings import holdings
from services.models.notifications import Webhook
from services.notifications.events import SUBSCRIBABLE
from services.notifications.hooks import (
    WebhookInvalid,
    create_webhook,
    delete_webhook,
    list_webhooks,
    update_webhook,
)
from services.notifications.reads import (
    TEST_LIMIT,
    delivery_log,
    email_status,
    hook_view,
    pending_count,
    send_test,
)
from web.lookups import get_or_404
from web.pages import admin_bp
from web.permissions import require_admin


def _render(*, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
            created: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:  # fmt: skip
    settings = holdings().settings
    org_id = current_user.org_id
    hooks = [hook_view(hook, settings) for hook in list_webhooks(org_id)]
    return render_template(
        "admin/notifications.html",
        hooks=hooks,
        events=SUBSCRIBABLE,
        email=email_status(org_id, settings),
        deliveries=delivery_log(org_id),
        pending=pending_count(org_id),
        queued_by="the Redis job queue" if settings.redis_url else "this process (no REDIS_URL: the embedded consumer)",
        values=values or {"url": "", "description": "", "events": ["run.paused", "run.failed"]},
        errors=errors or {},
        created=created,
        base_url=settings.base_url,
        production=settings.is_production,
    ), status


@admin_bp.get("/notifications")
@require_admin
def notifications():  # noqa: ANN201
    return _render()


@admin_bp.post("/notifications")
@require_admin
def create_notification_hook():  # noqa: ANN201
    values = {
        "url": request.form.get("url", "").strip(),
        "description": request.form.get("description", "").strip(),
        "events": request.form.getlist("events"),
    }
    try:
        hook, secret = create_webhook(current_user.org_id, current_user._get_current_object(), url=values["url"],
                                      events=values["events"], description=values["description"],
                                      settings=holdings().settings)  # fmt: skip
    except WebhookInvalid as exc:
        return _render(values=values, errors=exc.errors, status=422)
    return _render(created={"id": hook.id, "url": hook.url, "secret": secret}, status=201)


def _hook(hook_id: int) -> Webhook:
    return get_or_404(Webhook, hook_id)


def _back(message: str, category: str = "success"):  # noqa: ANN202
    """What a hook's action answers: its outcome flashed, and the page again (303: a GET)."""
    flash(message, category)
    return redirect(url_for("admin_pages.notifications"), code=303)


@admin_bp.post("/notifications/<int:hook_id>/test")
@require_admin
def test_notification_hook(hook_id: int):  # noqa: ANN201
    hook = _hook(hook_id)
    verdict = holdings().throttle.hit(TEST_LIMIT, "webhook-test", str(current_user.org_id))
    if not verdict.allowed:
        return _back(f"Too many tests; try again in {verdict.retry_after} s.", "error")
    notifier = holdings().run_service().wiring.notifier
    send_test(hook, notifier.wake if notifier is not None else lambda ids: None)
    return _back(f"A test event is on its way to {hook.url}; its outcome appears in the delivery log below.")


@admin_bp.post("/notifications/<int:hook_id>/enabled")
@require_admin
def toggle_notification_hook(hook_id: int):  # noqa: ANN201
    hook = _hook(hook_id)
    enabled = request.form.get("enabled") == "1"
    update_webhook(hook, current_user._get_current_object(), {"enabled": enabled}, holdings().settings)
    return _back(f"Webhook {'enabled' if enabled else 'disabled'}: {hook.url}")


@admin_bp.post("/notifications/<int:hook_id>/delete")
@require_admin
def delete_notification_hook(hook_id: int):  # noqa: ANN201
    hook = _hook(hook_id)
    url = hook.url
    delete_webhook(hook, current_user._get_current_object())
    return _back(f"Webhook deleted: {url}")
