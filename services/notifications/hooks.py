"""An organisation's webhooks: checked, created, changed, deleted, each change audited.

Where a hook may point follows the provider base URL's rules (services/llm/egress.py): a public
host, or one the operator allows (`LLM_ALLOWED_HOSTS`, loopback by default outside production).
The URL is checked when saved, for a clear message, and again on every connection (the sender
connects through the same guarded transport), so DNS rebinding gains nothing. HTTPS only, except
plain HTTP to a loopback receiver outside production (a developer's own machine).
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select, update

from config.settings import Settings
from services import audit
from services.db import db, utcnow
from services.llm.egress import (
    AddressNotAllowed,
    AllowList,
    check_base_url,
    classify_address,
    classify_name,
    parse_address,
)
from services.models import User
from services.models.notifications import NotificationDelivery, Webhook
from services.notifications.events import SUBSCRIBABLE
from services.notifications.signing import new_secret

MAX_URL_LENGTH = 500
MAX_DESCRIPTION_LENGTH = 200
MAX_HOOKS_PER_ORG = 20
_LOOPBACK = "private network (loopback)"


class WebhookInvalid(ValueError):
    """The hook cannot be saved; `errors` says why, per field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def secret_box(secret_key: str) -> Fernet:
    """Fernet for hook secrets, under a key derived from SECRET_KEY for this use only."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"catalyst", info=b"webhook signing secrets").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def reveal_secret(hook_secret_encrypted: str, secret_key: str) -> str | None:
    """The hook's signing secret, or None when SECRET_KEY changed since it was made."""
    try:
        return secret_box(secret_key).decrypt(hook_secret_encrypted.encode()).decode()
    except InvalidToken:
        return None


def _is_loopback(host: str) -> bool:
    literal = parse_address(host)
    if literal is not None:
        return classify_address(literal) == _LOOPBACK
    return classify_name(host) == _LOOPBACK


def check_url(url: str, settings: Settings) -> str:
    """The URL to save, or WebhookInvalid with what is wrong with it."""
    url = url.strip()
    if not url:
        raise WebhookInvalid({"url": "Enter the URL the webhooks are sent to."})
    if len(url) > MAX_URL_LENGTH:
        raise WebhookInvalid({"url": f"At most {MAX_URL_LENGTH} characters."})
    if not url.isprintable() or not url.isascii() or " " in url:
        raise WebhookInvalid({"url": "A URL has no spaces or control characters (percent-encode the rest)."})
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise WebhookInvalid({"url": "This is not a URL."}) from None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise WebhookInvalid({"url": "Enter an https:// URL."})
    if parts.username is not None or parts.password is not None:
        raise WebhookInvalid({"url": "Leave credentials out of the URL; verify the signature instead."})
    if parts.scheme == "http" and (settings.is_production or not _is_loopback(host)):
        raise WebhookInvalid({"url": "Webhooks are sent over HTTPS only (plain HTTP only to this machine, outside production)."})
    try:
        check_base_url(url, AllowList.parse(settings.llm_allowed_hosts_in_force))
    except AddressNotAllowed as exc:
        message = str(exc).replace("the provider address", "this address")
        raise WebhookInvalid({"url": f"{message}; only the operator can allow such a host (LLM_ALLOWED_HOSTS)."}) from None
    return url


def check_events(events: list[str]) -> list[str]:
    """The chosen events in the page's order; WebhookInvalid for none or an unknown one."""
    unknown = sorted(set(events) - set(SUBSCRIBABLE))
    if unknown:
        raise WebhookInvalid({"events": f"Unknown event {unknown[0]!r}; choose among {', '.join(SUBSCRIBABLE)}."})
    if not events:
        raise WebhookInvalid({"events": "Choose at least one event."})
    return [event for event in SUBSCRIBABLE if event in events]


def _description(text: str) -> str:
    text = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    if len(text) > MAX_DESCRIPTION_LENGTH:
        raise WebhookInvalid({"description": f"At most {MAX_DESCRIPTION_LENGTH} characters."})
    return text


def audited(hook: Webhook) -> dict[str, Any]:
    """What the audit log keeps of a hook (never its secret)."""
    return {
        "url": hook.url,
        "events": list(hook.events),
        "description": hook.description,
        "enabled": hook.enabled,
    }


def list_webhooks(org_id: int) -> list[Webhook]:
    return list(db.session.scalars(select(Webhook).where(Webhook.org_id == org_id).order_by(Webhook.id)))


def create_webhook(org_id: int, actor: User, *, url: str, events: list[str], description: str,
                   settings: Settings) -> tuple[Webhook, str]:  # fmt: skip
    """Save a new hook and return it with its signing secret (the only time it is shown)."""
    errors: dict[str, str] = {}
    checked: dict[str, Any] = {}
    for field, check in (("url", lambda: check_url(url, settings)), ("events", lambda: check_events(events)),
                         ("description", lambda: _description(description))):  # fmt: skip
        try:
            checked[field] = check()
        except WebhookInvalid as exc:
            errors.update(exc.errors)
    if not errors and len(list_webhooks(org_id)) >= MAX_HOOKS_PER_ORG:
        errors["url"] = f"An organisation has at most {MAX_HOOKS_PER_ORG} webhooks; delete one first."
    if errors:
        raise WebhookInvalid(errors)
    secret = new_secret()
    hook = Webhook(
        org_id=org_id,
        url=checked["url"],
        events=checked["events"],
        description=checked["description"],
        secret_encrypted=secret_box(settings.secret_key or "").encrypt(secret.encode()).decode(),
        enabled=True,
        consecutive_failures=0,
        created_by_id=actor.id,
    )
    db.session.add(hook)
    db.session.flush()
    audit.record("webhook.created", actor=actor, target_type="webhook", target_id=hook.id, org_id=org_id,
                 after=audited(hook))  # fmt: skip
    db.session.commit()
    return hook, secret


def update_webhook(hook: Webhook, actor: User, changes: dict[str, Any], settings: Settings) -> Webhook:
    """Change a hook's URL, events, description or enabled flag; enabling clears its failure count."""
    before = audited(hook)
    errors: dict[str, str] = {}
    try:
        if "url" in changes:
            hook.url = check_url(str(changes["url"]), settings)
        if "events" in changes:
            hook.events = check_events(list(changes["events"]))
        if "description" in changes:
            hook.description = _description(str(changes["description"]))
    except WebhookInvalid as exc:
        errors.update(exc.errors)
    if errors:
        db.session.rollback()
        raise WebhookInvalid(errors)
    if "enabled" in changes and bool(changes["enabled"]) != hook.enabled:
        hook.enabled = bool(changes["enabled"])
        hook.consecutive_failures = 0
        hook.disabled_reason = None if hook.enabled else "Disabled by an admin."
        hook.disabled_at = None if hook.enabled else utcnow()
    after = audited(hook)
    if after != before:
        action = "webhook.disabled" if before["enabled"] and not hook.enabled else "webhook.updated"
        audit.record(action, actor=actor, target_type="webhook", target_id=hook.id, org_id=hook.org_id,
                     before=before, after=after)  # fmt: skip
    db.session.commit()
    return hook


def delete_webhook(hook: Webhook, actor: User) -> None:
    """Delete a hook; what it still had to send is skipped (the log stays)."""
    audit.record("webhook.deleted", actor=actor, target_type="webhook", target_id=hook.id, org_id=hook.org_id,
                 before=audited(hook))  # fmt: skip
    db.session.execute(
        update(NotificationDelivery)
        .where(NotificationDelivery.webhook_id == hook.id, NotificationDelivery.status == "pending")
        .values(status="skipped", last_error="The webhook was deleted.", updated_at=utcnow())
    )
    db.session.delete(hook)
    db.session.commit()
