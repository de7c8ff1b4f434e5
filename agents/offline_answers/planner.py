"""The offline CFO: objectives and location → costed, prioritised tasks per specialist."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.knowledge import fees, martech, web
from agents.knowledge.content import pieces
from agents.knowledge.geography import jurisdiction_of
from agents.knowledge.industries import profile_for
from agents.knowledge.objectives import agents_for
from agents.knowledge.tiers import tier_of
from agents.offline_answers import OFFLINE_NOTE
from agents.offline_answers._common import brief_of, clamp, money, number
from agents.state import SPECIALISTS, cents


def plan_payload(data: dict[str, Any]) -> dict[str, Any]:
    brief = brief_of(data)
    offered = [spec["name"] for spec in data.get("specialists", [])] or list(SPECIALISTS)
    required = [name for name in data.get("required_agents", []) if name in offered]
    chosen = [a for a in agents_for(brief.objectives) if a in offered]
    agents = [a for a in SPECIALISTS if a in chosen or a in required]
    budget = brief.budget_usd
    tier = tier_of(budget)
    place = jurisdiction_of(brief.company.location)
    profile = profile_for(brief.company.industry)
    tasks: list[dict[str, Any]] = []
    ids: dict[str, str] = {}

    def add(key: str, owner: str, title: str, priority: int, cost: Decimal, deps: list[str],
            why: str) -> None:
        ids[key] = f"T{len(tasks) + 1}"
        tasks.append({
            "id": ids[key], "title": title, "owner": owner, "priority": priority,
            "estimated_cost": number(cost), "depends_on": [ids[d] for d in deps if d in ids],
            "rationale": why,
        })  # fmt: skip

    if "branding" in agents:
        add("positioning", "branding", "Positioning, audience and name check", 1,
            clamp(budget * Decimal("0.03"), 150, 20000), [],
            f"Everything else speaks to {profile.audience}; settle the message first.")
        add("identity", "branding", "Visual identity: logo, palette, typography", 2,
            clamp(budget * Decimal("0.07"), 250, 60000), ["positioning"],
            "A consistent identity is needed before the site and campaigns are built.")
    if "legal" in agents:
        formation = fees.formation_fee(place)
        add("formation", "legal", f"Form the company ({place.label})", 1, formation.amount_usd, [],
            f"Required before trading or signing contracts; {formation.description}.")
        classes = fees.CLASSES_BY_TIER[tier]
        mark = fees.trademark_fee(place, classes)
        add("trademark", "legal", "File the trademark for the company name", 2, mark.amount_usd,
            ["positioning"], f"Protects the name once it is chosen; {mark.description}.")
        add("contracts", "legal", "Privacy policy, terms and customer contract templates", 3,
            clamp(budget * Decimal("0.04"), 300, 15000), ["formation"],
            "Needed before collecting customer data or taking payments.")
    if "webdev" in agents:
        approach, share, hosting = web.BUILD[tier]
        add("site", "webdev", "Build the launch website", 2,
            clamp(budget * share, 400, 150000), ["identity"],
            f"The campaigns need a destination; approach: {approach}.")
        months = martech.months_of(brief.timeline_days)
        add("hosting", "webdev", "Hosting, domain and SSL for the timeline", 2,
            cents(hosting * months / 12 + web.DOMAIN_PER_YEAR), [],
            "Keeps the site online for the whole timeline.")
    if "martech" in agents:
        months = martech.months_of(brief.timeline_days)
        monthly = sum((price for _, _, price in martech.STACKS[tier]), Decimal("0"))
        add("stack", "martech", f"Marketing stack subscriptions ({tier} tier)", 3,
            cents(monthly * months), [], f"{months} month(s) of the tools that fit a {tier} budget.")
        add("tracking", "martech", "Stack set-up, tracking plan and dashboards", 4,
            cents(martech.SETUP_HOURS[tier] * martech.HOURLY_RATE), ["site"],
            "Without tracking, nobody can tell which spend works.")
    if "content" in agents:
        full = sum((count * cost for _, count, cost in pieces(tier, brief.timeline_days)),
                   Decimal("0"))
        add("calendar", "content", "Content calendar production", 3,
            cents(min(full, max(budget * Decimal("0.12"), Decimal("200")))), ["positioning"],
            "Steady content feeds search, social and email over the whole timeline.")
    if "campaigns" in agents:
        add("media", "campaigns", "Launch campaign paid media", 2,
            cents(budget * Decimal("0.25")), ["site"],
            "Paid media buys the first wave of attention while organic channels grow.")
        add("creative", "campaigns", "Campaign creative and ad account set-up", 4,
            clamp(budget * Decimal("0.03"), 150, 30000), ["identity"],
            "Ads need assets sized for each channel.")
    total = sum((Decimal(str(task["estimated_cost"])) for task in tasks), Decimal("0"))
    summary = (
        f"{OFFLINE_NOTE}\n\nA {tier}-tier plan for {brief.company.name} ({brief.company.industry}, "
        f"{brief.company.location}) over {brief.timeline_days} days: {len(tasks)} tasks for "
        f"{len(agents)} specialist(s), estimated at {money(total)} against a budget of "
        f"{money(budget)}."
    )
    return {"summary": summary, "tasks": tasks}
