"""Which alert levels an AI-spend figure has reached, and the events that announce them.

A level L (percent) is reached when the *settled* spend is at least L % of the cap: alerts speak
about money spent, not about reservations of calls still in flight. The cap itself counts as
reached when a call is refused at it (no further call fits); then every level up to 100 is
announced, lowest first, so a listener never sees 100 without the levels below it.

Each level is announced once: per run with the event key `budget.threshold:run:<L>` (the run's
event sink drops a repeated key, so a replay or a resumed node cannot duplicate it), and per
organisation and UTC month with `budget.threshold:org:<YYYY-MM>:<L>`, announced by the one run that
claims the level in the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from services.budgets.ai_usage import ScopeUsage

CAP_LEVEL = 100


def reached_levels(usage: ScopeUsage, levels: Sequence[int], *, cap_reached: bool = False) -> list[int]:
    """The levels `usage` has reached, in increasing order (none without a cap)."""
    if usage.cap is None:
        return []
    if cap_reached or (usage.cap > 0 and usage.settled >= usage.cap):
        return [level for level in levels if level <= CAP_LEVEL]
    if usage.cap <= 0:
        return []
    return [level for level in levels if usage.settled * 100 >= usage.cap * Decimal(level)]


def threshold_key(usage: ScopeUsage, level: int) -> str:
    """The deterministic event key of a level announcement."""
    if usage.scope == "org":
        return f"budget.threshold:org:{usage.month}:{level}"
    return f"budget.threshold:run:{level}"


def threshold_data(usage: ScopeUsage, level: int, requested: Decimal | None = None) -> dict[str, object]:
    """The `budget.threshold` event data: scope, level, used (settled), reserved and cap."""
    data: dict[str, object] = {"scope": usage.scope, "level": level, **usage.to_json()}
    if requested is not None:
        data["requested"] = str(requested)
        data["cap_reached"] = True
    return data
