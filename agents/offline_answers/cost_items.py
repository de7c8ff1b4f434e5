"""What costing prices: a line item, the task it is for, and the units work is bought in.

Kept apart from the costers (costing.py), which turn a task into these items kind by kind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from agents.knowledge import market
from agents.knowledge.playbooks import base_kind
from agents.knowledge.tiers import Tier, tier_of
from agents.state import Brief, cents

ZERO = Decimal("0")
AVERAGE_MONTH_DAYS = Decimal("30.4375")


@dataclass(frozen=True)
class Item:
    description: str
    quantity: Decimal
    unit: str
    unit_usd: Decimal
    category: str
    fact_ids: tuple[str, ...] = ()

    @property
    def amount(self) -> Decimal:
        return cents(self.quantity * self.unit_usd)


@dataclass(frozen=True)
class Job:
    """What costing needs to know about one task."""

    kind: str  # task kind, with an instance suffix for licences ("licence:0")
    brief: Brief
    reference: dict[str, Any]
    targets: list[dict[str, Any]] = field(default_factory=list)  # targets of the objectives served
    texts: list[str] = field(default_factory=list)  # the objectives served, as written

    @property
    def tier(self) -> Tier:
        return tier_of(self.brief.budget_usd)

    @property
    def base(self) -> str:
        return base_kind(self.kind)

    @property
    def scale(self) -> Decimal:
        """How much of the full size of scalable work (media, content) the budget allows."""
        return Decimal(self.kind.split("@", 1)[1]) if "@" in self.kind else Decimal("1")


def months_of(timeline_days: int) -> int:
    """Monthly billing periods that start within the timeline: 365 days are 12, 45 days are 2."""
    return max(1, math.ceil(Decimal(timeline_days) / AVERAGE_MONTH_DAYS - Decimal("0.01")))


def years_of(timeline_days: int) -> int:
    return max(1, math.ceil(timeline_days / 365))


def hours(job: Job, work: str, rate: str, description: str, category: str) -> Item:
    """The hours this work takes at the job's tier, at the tier's hourly rate."""
    hours = market.HOURS[work][job.tier]
    return Item(description, Decimal(hours), "hour", market.HOURLY[rate][job.tier], category)


def subscription(job: Job, name: str, purpose: str) -> Item:
    """The tier's tool for `name`, billed for every month of the timeline."""
    tool, price = market.SUBSCRIPTIONS[name][job.tier]
    months = months_of(job.brief.timeline_days)
    return Item(f"{purpose}: {tool}", Decimal(months), "month", price, "software")


def fact_items(job: Job, fact_id: str | None, category: str = "filing_fee") -> list[Item]:
    """A sourced fee as one item, in USD, naming the local amount when it is another currency."""
    if not fact_id:
        return []
    fact = job.reference["facts"][fact_id]
    local = "" if fact["currency"] == "USD" else f" ({fact['currency']} {fact['amount']})"
    return [Item(f"{fact['what']}{local}", Decimal("1"), "fee", Decimal(fact["amount_usd"]), category,
                 (fact_id,))]


def first_target(job: Job) -> dict[str, Any] | None:
    """The first target with a number among the objectives the task serves."""
    return next((t for t in job.targets if t.get("value")), None)
