"""Admin webhooks API: list, create (the signing secret shown once), change, delete, send a test, read the log.

Admins only (403 for everyone else), scoped to the admin's organisation (another organisation's
hook is 404 whatever its id). Where a hook may point follows the provider base URL's rules; see
docs/notifications.md for the payloads and the `Catalyst-Signature` header.
"""

from __future__ import annotations

from typing import Any, Literal

from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from services.holdings import holdings
from services.models.notifications import Webhook
from services.notifications.hooks import (
    WebhookInvalid,
    create_webhook,
    delete_webhook,
    list_webhooks,
    update_webhook,
)
from services.notifications.reads import TEST_LIMIT, delivery_log, email_status, hook_view, send_test
from web.api import bp
from web.api.spec import documented
from web.api.validation import json_body
from web.errors import ApiError, error_response
from web.lookups import get_or_404
from web.permissions import require_admin

EventName = Literal["run.paused", "run.failed", "run.completed"]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=500, pattern=r"^https?://[^\s]+$",
                     description="https:// at a public host (plain http only to loopback, outside production)")
    events: list[EventName] = Field(min_length=1, max_length=3)
    description: str = Field(default="", max_length=200)


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, min_length=8, max_length=500, pattern=r"^https?://[^\s]+$")
    events: list[EventName] | None = Field(default=None, min_length=1, max_length=3)
    description: str | None = Field(default=None, max_length=200)
    enabled: bool | None = Field(default=None, description="true re-enables a disabled hook and clears its failures")


class WebhookOut(BaseModel):
    id: int
    url: str
    description: str
    events: list[str]
    enabled: bool
    consecutive_failures: int
    disable_after_failures: int
    disabled_reason: str | None
    disabled_at: str | None
    created_at: str


class NewWebhookOut(WebhookOut):
    secret: str = Field(description="The signing secret: shown this once, never again")


class EmailStatusOut(BaseModel):
    enabled: bool = Field(description="False when SMTP_URL is not set: no email is sent")
    server: str | None
    sender: str | None
    recipients: int = Field(description="Active executives and admins of the organisation")


class WebhookListOut(BaseModel):
    items: list[WebhookOut]
    email: EmailStatusOut


class AttemptOut(BaseModel):
    attempt: int
    ok: bool
    status_code: int | None
    error: str | None
    response_ms: int
    started_at: str
    finished_at: str


class DeliveryOut(BaseModel):
    id: int
    channel: str
    webhook_id: int | None
    recipient: str
    event: str
    event_id: str
    run_id: str | None
    status: Literal["pending", "sending", "delivered", "failed", "skipped"]
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    last_response_ms: int | None
    created_at: str
    delivered_at: str | None
    tries: list[AttemptOut]


class DeliveryListOut(BaseModel):
    items: list[DeliveryOut]


class TestQueuedOut(BaseModel):
    delivery_id: int
    status: Literal["queued"]


def _invalid(exc: WebhookInvalid) -> ApiError:
    details = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return ApiError(422, "Some fields are not valid.", details=details)


def _view(hook: Webhook) -> dict[str, Any]:
    return hook_view(hook, holdings().settings)


@documented("Your organisation's webhooks and whether email is on (admin)", tag="admin",
            responses={200: WebhookListOut}, errors=(403,))  # fmt: skip
@bp.get("/admin/webhooks")
@require_admin
def list_hooks():  # noqa: ANN201
    org_id = current_user.org_id
    settings = holdings().settings
    return {"items": [_view(hook) for hook in list_webhooks(org_id)], "email": email_status(org_id, settings)}


@documented(
    "Create a webhook; its signing secret is in this answer only (admin)", tag="admin",
    responses={201: NewWebhookOut}, errors=(403,), body=WebhookIn, links={"hook_id": "/id"},
    description="The URL must be https:// at a public host (the provider base URL's rules: private, loopback "
    "and metadata addresses are refused unless the operator allows them). Audited.",
)
@bp.post("/admin/webhooks")
@require_admin
def create_hook():  # noqa: ANN201
    body = json_body(WebhookIn)
    try:
        hook, secret = create_webhook(current_user.org_id, current_user._get_current_object(), url=body.url,
                                      events=list(body.events), description=body.description,
                                      settings=holdings().settings)  # fmt: skip
    except WebhookInvalid as exc:
        raise _invalid(exc) from None
    return {**_view(hook), "secret": secret}, 201


@documented("One webhook (admin)", tag="admin", responses={200: WebhookOut}, errors=(403, 404))
@bp.get("/admin/webhooks/<int:hook_id>")
@require_admin
def get_hook(hook_id: int):  # noqa: ANN201
    return _view(get_or_404(Webhook, hook_id, message="No such webhook."))


@documented("Change a webhook; absent fields keep their value (admin)", tag="admin",
            responses={200: WebhookOut}, errors=(403, 404), body=WebhookPatch,
            description="`enabled: true` re-enables a hook disabled after failures. Audited.")  # fmt: skip
@bp.patch("/admin/webhooks/<int:hook_id>")
@require_admin
def patch_hook(hook_id: int):  # noqa: ANN201
    hook = get_or_404(Webhook, hook_id, message="No such webhook.")
    body = json_body(WebhookPatch)
    changes = {name: value for name, value in body.model_dump(exclude_unset=True).items() if value is not None}
    try:
        update_webhook(hook, current_user._get_current_object(), changes, holdings().settings)
    except WebhookInvalid as exc:
        raise _invalid(exc) from None
    return _view(hook)


@documented("Delete a webhook; what it still had to send is skipped (admin)", tag="admin",
            responses={204: None}, errors=(400, 403, 404))  # fmt: skip
@bp.delete("/admin/webhooks/<int:hook_id>")
@require_admin
def delete_hook(hook_id: int):  # noqa: ANN201
    hook = get_or_404(Webhook, hook_id, message="No such webhook.")
    delete_webhook(hook, current_user._get_current_object())
    return "", 204


@documented(
    "Send a signed `webhook.test` event to the hook, through the job queue (admin)", tag="admin",
    responses={202: TestQueuedOut}, errors=(400, 403, 404),
    description=f"Also to a disabled hook (to check it before re-enabling). Limited to {TEST_LIMIT} per "
    "organisation. The outcome appears in the hook's delivery log.",
)
@bp.post("/admin/webhooks/<int:hook_id>/test")
@require_admin
def test_hook(hook_id: int):  # noqa: ANN201
    hook = get_or_404(Webhook, hook_id, message="No such webhook.")
    verdict = holdings().throttle.hit(TEST_LIMIT, "webhook-test", str(current_user.org_id))
    if not verdict.allowed:
        return error_response(429, f"Too many tests; try again in {verdict.retry_after} s.",
                              headers={"Retry-After": str(verdict.retry_after)})  # fmt: skip
    notifier = holdings().run_service().wiring.notifier
    delivery_id = send_test(hook, notifier.wake if notifier is not None else lambda ids: None)
    return {"delivery_id": delivery_id, "status": "queued"}, 202


@documented("A webhook's latest deliveries with every attempt (admin)", tag="admin",
            responses={200: DeliveryListOut}, errors=(403, 404))  # fmt: skip
@bp.get("/admin/webhooks/<int:hook_id>/deliveries")
@require_admin
def hook_deliveries(hook_id: int):  # noqa: ANN201
    hook = get_or_404(Webhook, hook_id, message="No such webhook.")
    return {"items": delivery_log(hook.org_id, webhook_id=hook.id)}
