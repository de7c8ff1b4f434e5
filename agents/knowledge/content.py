"""Content calendars: cadence by budget tier, spread over the weeks of the timeline."""

from __future__ import annotations

from decimal import Decimal

from agents.knowledge.tiers import Tier

STORY = "Case study"  # the proof piece, named by the industry in `cadence`

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


def cadence(tier: Tier, story: str = STORY) -> tuple[tuple[str, int, Decimal], ...]:
    """The tier's formats, with its proof piece called what the industry calls it (IndustryProfile.story)."""
    return tuple((story if fmt == STORY else fmt, every, cost) for fmt, every, cost in CADENCE[tier])


def weeks_of(timeline_days: int) -> int:
    return max(1, timeline_days // 7)


def calendar(themes: list[str], tier: Tier, timeline_days: int, limit: int = 12, story: str = STORY) -> list[str]:
    """Week-by-week calendar lines cycling through the themes (first `limit` entries shown)."""
    lines: list[str] = []
    weeks = weeks_of(timeline_days)
    formats = cadence(tier, story)
    for week in range(1, weeks + 1):
        for fmt, every, _cost in formats:
            if (week - 1) % every == 0:
                theme = themes[(week - 1) % len(themes)]
                lines.append(f"Week {week}: {fmt} on {theme}")
    return lines[:limit]

