"""Marketing technology stacks by budget tier (monthly list prices, indicative)."""

from __future__ import annotations

from decimal import Decimal

from agents.knowledge.tiers import Tier

STACKS: dict[Tier, tuple[tuple[str, str, Decimal], ...]] = {
    # (purpose, tool, USD per month)
    "starter": (
        ("Email marketing", "Brevo Starter or Mailchimp Essentials", Decimal("13")),
        ("CRM", "HubSpot CRM (free tier)", Decimal("0")),
        ("Web analytics", "Plausible Analytics or GA4", Decimal("9")),
        ("Social scheduling", "Buffer Essentials", Decimal("6")),
        ("Forms and surveys", "Tally (free tier)", Decimal("0")),
    ),
    "growth": (
        ("Marketing automation", "HubSpot Marketing Hub Starter", Decimal("20")),
        ("CRM", "HubSpot Sales Hub Starter", Decimal("20")),
        ("Web analytics", "GA4 with Looker Studio dashboards", Decimal("0")),
        ("Product analytics", "PostHog (usage-based)", Decimal("50")),
        ("Social scheduling", "Hootsuite Professional", Decimal("99")),
        ("SEO toolkit", "Semrush Pro", Decimal("140")),
    ),
    "scale": (
        ("Marketing automation", "HubSpot Marketing Hub Professional", Decimal("890")),
        ("CRM", "HubSpot Sales Hub Professional (5 seats)", Decimal("450")),
        ("Customer data platform", "Segment Team", Decimal("120")),
        ("Product analytics", "Amplitude Plus", Decimal("49")),
        ("SEO toolkit", "Semrush Guru", Decimal("250")),
        ("Social management", "Sprout Social Standard (3 seats)", Decimal("597")),
    ),
}
SETUP_HOURS: dict[Tier, int] = {"starter": 6, "growth": 20, "scale": 60}
HOURLY_RATE = Decimal("75")


def months_of(timeline_days: int) -> int:
    """Whole months a subscription runs over the timeline (at least one)."""
    return max(1, -(-timeline_days // 30))
