"""Budget tiers shared by the knowledge modules."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

Tier = Literal["starter", "growth", "scale"]


def tier_of(budget: Decimal) -> Tier:
    """starter below 10k USD, growth below 100k, scale above."""
    if budget < Decimal("10000"):
        return "starter"
    if budget < Decimal("100000"):
        return "growth"
    return "scale"
