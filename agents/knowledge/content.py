"""Content calendars: cadence by budget tier, spread over the weeks of the timeline."""

from __future__ import annotations

from decimal import Decimal

from agents.knowledge.tiers import Tier

# (format, per how many weeks, unit cost USD)
CADENCE: dict[Tier, tuple[tuple[str, int, Decimal], ...]] = {
    "starter": (("Blog article", 2, Decimal("150")), ("Social post set (3 posts)", 1, Decimal("40")),
                ("Newsletter", 4, Decimal("60"))),
    "growth": (("Blog article", 1, Decimal("300")), ("Social post set (5 posts)", 1, Decimal("90")),
               ("Newsletter", 2, Decimal("120")), ("Case study", 6, Decimal("900"))),
    "scale": (("Long-form article", 1, Decimal("600")), ("Social post set (7 posts)", 1,
              Decimal("180")), ("Newsletter", 1, Decimal("200")), ("Case study", 4,
              Decimal("1500")), ("Video explainer", 8, Decimal("4000"))),
}  # fmt: skip


def weeks_of(timeline_days: int) -> int:
    return max(1, timeline_days // 7)


def calendar(themes: list[str], tier: Tier, timeline_days: int, limit: int = 12) -> list[str]:
    """Week-by-week calendar lines cycling through the themes (first `limit` entries shown)."""
    lines: list[str] = []
    weeks = weeks_of(timeline_days)
    for week in range(1, weeks + 1):
        for fmt, every, _cost in CADENCE[tier]:
            if (week - 1) % every == 0:
                theme = themes[(week - 1) % len(themes)]
                lines.append(f"Week {week}: {fmt} on {theme}")
    return lines[:limit]


def pieces(tier: Tier, timeline_days: int) -> list[tuple[str, int, Decimal]]:
    """(format, how many over the timeline, unit cost)."""
    weeks = weeks_of(timeline_days)
    return [(fmt, -(-weeks // every), cost) for fmt, every, cost in CADENCE[tier]]
