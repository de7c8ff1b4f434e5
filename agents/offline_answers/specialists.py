"""Offline specialist deliverables: line items that cost out each task from the knowledge base."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from agents.knowledge import fees, martech, web
from agents.knowledge.content import calendar, pieces
from agents.knowledge.geography import jurisdiction_of
from agents.knowledge.industries import channel_split, profile_for
from agents.knowledge.tiers import tier_of
from agents.offline_answers import OFFLINE_NOTE
from agents.offline_answers._common import brief_of, money, number
from agents.state import Brief, Task, cents

Item = tuple[str, Decimal, str]  # description, amount, category


def split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, to the cent, adding up exactly."""
    total = cents(total)
    weight_sum = sum(weights, Decimal("0"))
    if weight_sum <= 0:
        return [total] + [Decimal("0.00")] * (len(weights) - 1)
    parts = [cents(total * weight / weight_sum) for weight in weights[:-1]]
    return [*parts, total - sum(parts, Decimal("0"))]


def _kind(title: str, kinds: dict[str, tuple[str, ...]]) -> str | None:
    lowered = title.lower()
    return next((kind for kind, words in kinds.items() if any(w in lowered for w in words)), None)


def _legal(brief: Brief, task: Task) -> list[Item]:
    place = jurisdiction_of(brief.company.location)
    kind = _kind(task.title, {"trademark": ("trademark", "mark"), "formation": ("form", "incorp",
                 "regist", "entity"), "contracts": ("contract", "terms", "privacy", "polic")})
    if kind == "formation":
        fee = fees.formation_fee(place)
        text = fee.description + (f". {fee.note}" if fee.note else "")
        return [(text, task.estimated_cost, "filing_fee")]
    if kind == "trademark":
        count = fees.CLASSES_BY_TIER[tier_of(brief.budget_usd)]
        classes = fees.trademark_classes(brief.company.industry, count)
        fee = fees.trademark_fee(place, len(classes))
        label = ", ".join(str(c) for c in classes)
        return [(f"{fee.description} (Nice classes {label})", task.estimated_cost, "filing_fee")]
    if kind == "contracts":
        return [("Privacy policy, terms of service and customer agreement templates, reviewed by a "
                 "licensed lawyer", task.estimated_cost, "professional_services")]
    return []


def _branding(brief: Brief, task: Task) -> list[Item]:
    kind = _kind(task.title, {"positioning": ("position", "audience", "name"),
                              "identity": ("identity", "logo", "visual")})
    if kind == "positioning":
        return [("Positioning workshop and name availability search", task.estimated_cost,
                 "professional_services")]
    if kind == "identity":
        design, files = split(task.estimated_cost, [Decimal(80), Decimal(20)])
        return [("Logo, colour palette and typography by a freelance designer", design, "design"),
                ("Brand guidelines and asset files", files, "design")]
    return []


def _webdev(brief: Brief, task: Task) -> list[Item]:
    kind = _kind(task.title, {"hosting": ("hosting", "domain", "ssl"),
                              "site": ("website", "site", "build", "page")})
    tier = tier_of(brief.budget_usd)
    if kind == "site":
        design, build = split(task.estimated_cost, [Decimal(40), Decimal(60)])
        approach = web.BUILD[tier][0]
        return [("Page design for the launch site", design, "design"),
                (f"Build: {approach}", build, "professional_services")]
    if kind == "hosting":
        months = martech.months_of(brief.timeline_days)
        plan, domain = split(task.estimated_cost, [web.BUILD[tier][2] * months / 12,
                                                   web.DOMAIN_PER_YEAR])
        return [("Hosting / site-builder plan for the timeline", plan, "hosting"),
                ("Domain registration and SSL", domain, "hosting")]
    return []


def _martech(brief: Brief, task: Task) -> list[Item]:
    tier = tier_of(brief.budget_usd)
    if _kind(task.title, {"tracking": ("set-up", "setup", "tracking", "dashboard")}):
        return [(f"{martech.SETUP_HOURS[tier]} hours of set-up, tracking plan and dashboards",
                 task.estimated_cost, "professional_services")]
    if _kind(task.title, {"stack": ("stack", "subscription", "tool")}):
        paid = [(purpose, tool, price) for purpose, tool, price in martech.STACKS[tier] if price]
        amounts = split(task.estimated_cost, [price for _, _, price in paid])
        months = martech.months_of(brief.timeline_days)
        return [(f"{purpose}: {tool}, {months} month(s)", amount, "software")
                for (purpose, tool, _), amount in zip(paid, amounts, strict=True)]
    return []


def _content(brief: Brief, task: Task) -> list[Item]:
    tier = tier_of(brief.budget_usd)
    plan = pieces(tier, brief.timeline_days)
    amounts = split(task.estimated_cost, [count * cost for _, count, cost in plan])
    return [(f"{fmt} x {max(1, int(amount // cost))} over the timeline", amount,
             "content_production") for (fmt, _, cost), amount in zip(plan, amounts, strict=True)]


def _campaigns(brief: Brief, task: Task) -> list[Item]:
    if _kind(task.title, {"creative": ("creative", "set-up", "setup", "asset")}):
        return [("Ad creative in channel sizes and ad account set-up", task.estimated_cost,
                 "design")]
    if _kind(task.title, {"media": ("media", "ads", "campaign", "spend")}):
        return [(f"{channel} (paid media)", amount, "advertising")
                for channel, amount in channel_split(brief.company.industry, task.estimated_cost)]
    return []


COSTERS: dict[str, Callable[[Brief, Task], list[Item]]] = {
    "legal": _legal, "branding": _branding, "webdev": _webdev, "martech": _martech,
    "content": _content, "campaigns": _campaigns,
}  # fmt: skip


def _summary(agent: str, brief: Brief) -> tuple[str, str, list[str]]:
    """Title, Markdown summary and concrete outputs for one agent."""
    profile = profile_for(brief.company.industry)
    tier = tier_of(brief.budget_usd)
    place = jurisdiction_of(brief.company.location)
    name = brief.company.name
    if agent == "branding":
        return (f"{name} brand platform",
                f"**Positioning.** For {profile.audience}, {name} is {profile.positioning}.\n\n"
                f"**Tone of voice:** {profile.tone}.",
                [f"Proof point: {p}" for p in profile.proof_points]
                + ["Positioning statement", "Logo, palette and typography", "Brand guidelines"])
    if agent == "legal":
        where = f"the {place.label}" if place.label.startswith("United") else place.label
        formation = fees.formation_fee(place)
        mark = fees.trademark_fee(place, fees.CLASSES_BY_TIER[tier])
        steps = [f"Formation: {formation.description}", f"Trademark: {mark.description}",
                 "Contracts: privacy policy, terms of service, customer agreement"]
        notes = [formation.note, mark.note]
        return (f"Company formation and trademark plan ({place.label})",
                f"Form the company in {where}, then file the name as a trademark once the "
                "positioning work confirms it is available. Contracts and policies follow before "
                "the first sale.\n\n" + " ".join(n for n in notes if n) + "\n\nThis is a plan, "
                f"not legal advice: a licensed lawyer in {where} should confirm each filing.",
                steps + [f"Regulatory: {note}" for note in profile.regulatory])
    if agent == "webdev":
        return (f"{name} launch website", f"Approach: {web.BUILD[tier][0]}.",
                [f"Page: {page}" for page in web.page_plan(profile.key)]
                + ["Launch checklist: analytics, forms, speed, accessibility, legal pages"])
    if agent == "martech":
        return (f"Marketing stack ({tier} tier)",
                f"Tools sized for a {money(brief.budget_usd)} budget; free tiers first.",
                [f"{purpose}: {tool}" for purpose, tool, _ in martech.STACKS[tier]])
    if agent == "content":
        themes = [o.rstrip(".") for o in brief.objectives] + list(profile.proof_points)
        return (f"Content calendar over {brief.timeline_days} days",
                f"Themes come from the objectives and the proof points {profile.audience} look "
                "for.", calendar(themes, tier, brief.timeline_days))
    return (f"Launch channel mix ({profile.key})",
            f"Channel mix for {profile.audience}; success is measured per channel on cost per "
            "qualified lead or sale.",
            [f"{channel}: {percent}% of paid media" for channel, percent in profile.channels])


def deliverable_payload(agent: str, data: dict[str, Any]) -> dict[str, Any]:
    brief = brief_of(data)
    tasks = [Task.model_validate(task) for task in data.get("tasks", [])]
    allocation = Decimal(str(data.get("allocation_usd", "0")))
    items: list[Item] = []
    for task in tasks:
        costed = COSTERS[agent](brief, task) or [(task.title, task.estimated_cost, "other")]
        items.extend(costed)
    total = sum((amount for _, amount, _ in items), Decimal("0"))
    if total > allocation:  # never propose more than the allocation
        scaled = split(allocation, [amount for _, amount, _ in items]) if items else []
        items = [(d, a, c) for (d, _, c), a in zip(items, scaled, strict=True)]
    title, summary, outputs = _summary(agent, brief)
    return {
        "title": title,
        "summary_markdown": f"{OFFLINE_NOTE}\n\n{summary}",
        "items": outputs,
        "line_items": [
            {"description": d[:300], "amount": number(a), "category": c} for d, a, c in items if a > 0
        ],
    }
