"""Changing one piece of a run service's wiring in a test (the wiring itself is immutable)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from agents.ports import LLMClient


def rewire(service: Any, **changes: Any) -> None:
    """The service runs on a copy of its wiring with `changes` (fields of `RunWiring`)."""
    service.wiring = replace(service.wiring, **changes)


def with_policy(service: Any, **changes: Any) -> None:
    """The service applies other budget rules (fields of `RunPolicy`)."""
    rewire(service, policy=replace(service.wiring.policy, **changes))


def wrap_provider(service: Any, wrap: Callable[[LLMClient, str], LLMClient]) -> None:
    """Every provider client the service builds is wrapped by `wrap(client, run_id)`; drain and
    metering still wrap the result, as in production."""
    build = service.wiring.client
    rewire(service, client=lambda config, run_id: wrap(build(config, run_id), run_id))
