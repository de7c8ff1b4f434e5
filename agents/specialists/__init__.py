"""The six specialists, one module each; `SPECIALIST_NODES` maps agent name to node function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agents.specialists.branding import branding
from agents.specialists.campaigns import campaigns
from agents.specialists.content import content
from agents.specialists.legal import legal
from agents.specialists.martech import martech
from agents.specialists.webdev import webdev

SPECIALIST_NODES: dict[str, Callable[..., dict[str, Any]]] = {
    "branding": branding,
    "legal": legal,
    "webdev": webdev,
    "martech": martech,
    "content": content,
    "campaigns": campaigns,
}
