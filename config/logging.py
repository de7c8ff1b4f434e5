"""Structured logging: JSON lines with the request id, control characters neutralised, secrets masked."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SECRET_KEY_NAMES = re.compile(r"pass(word)?|secret|token|api[_-]?key|authorization|cookie", re.I)
_MASK = "[redacted]"


def neutralise(value: str) -> str:
    """Escape newlines and control characters so user text cannot forge log lines."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _clean(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if depth > 4:
        return value
    if isinstance(value, dict):
        return {
            k: (_MASK if isinstance(k, str) and _SECRET_KEY_NAMES.search(k) else _clean(v, depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_clean(v, depth + 1) for v in value]
    return value


def sanitise_event(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: mask secret-looking keys and neutralise control characters."""
    return _clean(event_dict)


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Route stdlib and structlog through one JSON renderer on stderr."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        sanitise_event,
    ]
    renderer = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The access log of the dev server duplicates our request log line.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("geventwebsocket.handler").setLevel(logging.WARNING)
