"""URL helpers shared by blueprints."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """A redirect target only when it stays on this site (no open redirects)."""
    if not target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None  # control characters split headers or hide a second URL
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
