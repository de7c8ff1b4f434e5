"""Email: the SMTP settings, a message about a run in plain text and HTML, and one attempt to send it.

The HTML part is rendered by Jinja with autoescaping, so whatever a brief contains (a company name
with markup in it) arrives as text; the plain-text part is never interpreted at all.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from config.settings import ROOT, Settings
from services.notifications.attempts import AttemptResult
from services.notifications.events import RUN_CANCELLED, RUN_FAILED

TEMPLATES = ROOT / "templates" / "email"


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send email (from SMTP_URL, SMTP_STARTTLS and SMTP_FROM)."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    sender: str
    timeout: float
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """The SMTP settings in force, or None when email is off (no SMTP_URL)."""
    if not settings.smtp_url:
        return None
    parts = urlsplit(settings.smtp_url)
    implicit = parts.scheme == "smtps"
    default_port = 465 if implicit else (587 if settings.smtp_starttls else 25)
    return SmtpConfig(
        host=parts.hostname or "localhost",
        port=parts.port or default_port,
        implicit_tls=implicit,
        starttls=settings.smtp_starttls and not implicit,
        sender=settings.smtp_from,
        timeout=settings.smtp_timeout_seconds,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _environment(folder: Path = TEMPLATES) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )


_templates = _environment()


def _one_line(text: str, limit: int = 120) -> str:
    """Header-safe: no line breaks (they would start new headers), bounded length."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def compose(payload: dict[str, Any], recipient: str, sender: str) -> EmailMessage:
    """The email about a run event, from the delivery's stored payload."""
    data = payload.get("data", {})
    run = data.get("run", {})
    company = _one_line(run.get("company_name") or "a run")
    failed = payload.get("type") == RUN_FAILED
    subject = {RUN_FAILED: "Run failed", RUN_CANCELLED: "Run cancelled at its decision deadline"}.get(
        str(payload.get("type")), "Run waiting for you") + f": {company}"
    context = {
        "subject": subject,
        "failed": failed,
        "company": run.get("company_name") or "",
        "message": data.get("message", ""),
        "objectives": list(payload.get("email", {}).get("objectives", []))[:10],
        "url": run.get("url", ""),
        "run_id": run.get("id", ""),
    }
    message = EmailMessage()
    message["Subject"] = f"[Catalyst] {subject}"
    message["From"] = sender
    message["To"] = recipient
    message["Message-ID"] = make_msgid(domain="catalyst")
    message.set_content(_templates.get_template("run_notification.txt").render(context))
    message.add_alternative(_templates.get_template("run_notification.html").render(context), subtype="html")
    return message


def send_email(config: SmtpConfig, message: EmailMessage, recipient: str) -> AttemptResult:
    """Hand one message to the SMTP server for one recipient; never raises for what SMTP does."""
    started = time.monotonic()
    context = ssl.create_default_context()
    try:
        server: smtplib.SMTP
        if config.implicit_tls:
            server = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            server = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with server:
            if config.starttls:
                server.starttls(context=context)
            if config.username:
                server.login(config.username, config.password or "")
            server.send_message(message, from_addr=None, to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused:
        return AttemptResult(False, _ms(started), error="The SMTP server refused the recipient.")
    except smtplib.SMTPResponseException as exc:
        return AttemptResult(False, _ms(started), status_code=exc.smtp_code,
                             error=f"The SMTP server answered {exc.smtp_code}.")  # fmt: skip
    except (smtplib.SMTPException, OSError) as exc:
        return AttemptResult(False, _ms(started), error=f"Could not send through SMTP ({type(exc).__name__}).")
    return AttemptResult(True, _ms(started), status_code=250)


def _ms(started: float) -> int:
    return max(0, round((time.monotonic() - started) * 1000))
