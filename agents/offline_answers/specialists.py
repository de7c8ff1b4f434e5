"""Offline specialist deliverables: each task's priced line items and a summary grounded in the brief.

The items come from `costing.items_for`, the same function the offline planner estimated with, so a
funded task commits exactly what the plan said it would cost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.knowledge import martech
from agents.knowledge.content import calendar
from agents.knowledge.industries import profile_for
from agents.knowledge.playbooks import base_kind, kind_instance
from agents.knowledge.tiers import tier_of
from agents.knowledge.web import page_plan
from agents.offline_answers._common import brief_of, money, number, quoted_list
from agents.offline_answers.costing import Item, Job, channel_mix, items_for
from agents.state import Brief, ObjectiveCheck, Task


def _job(task: Task, brief: Brief, reference: dict[str, Any], checks: dict[int, ObjectiveCheck]) -> Job:
    targets = [{"value": str(c.target_value), "unit": c.target_unit, "text": c.target}
               for i in task.objective_indexes if (c := checks.get(i)) and c.target_value is not None]
    texts = [checks[i].text for i in task.objective_indexes if i in checks]
    return Job(kind=task.kind, brief=brief, reference=reference, targets=targets, texts=texts)


def _line(task: Task, item: Item) -> dict[str, Any]:
    return {"description": item.description[:300], "amount": number(item.amount),
            "category": item.category, "task_id": task.id, "quantity": number(item.quantity),
            "unit": item.unit, "unit_usd": number(item.unit_usd), "fact_ids": list(item.fact_ids)}


def indefinite(noun: str) -> str:
    """'a Texas LLC', 'an Illinois nonprofit corporation', 'an LLC', 'a United States …': by sound."""
    first = noun.split(" ", 1)[0]
    letters = first.replace(".", "")
    if letters.isupper() and len(letters) <= 5:  # an acronym is read letter by letter: "an LLC", "a GmbH"
        vowel_sound = letters[0] in "AEFHILMNORSX"
    else:
        lowered = first.lower()
        vowel_sound = lowered[:1] in ("a", "e", "i", "o", "u") and not lowered.startswith(("uni", "eu", "one", "use"))
    return f"{'an' if vowel_sound else 'a'} {noun}"


def _legal(brief: Brief, tasks: list[Task], ref: dict[str, Any]) -> tuple[str, str, list[str]]:
    entity, mark, place = ref["entity"], ref["trademark"], ref["jurisdiction"]
    kinds = {base_kind(t.kind) for t in tasks}
    parts, outputs = [], []
    if "formation" in kinds:
        parts.append(f"**Entity.** {brief.company.name} forms as {indefinite(entity['entity'])} in "
                     f"{entity['jurisdiction']}: {entity['why']}")
        outputs.append(f"Formation documents for the {entity['entity']}")
    if "trademark" in kinds:
        low, high = mark["registration_months"]
        classes = quoted_list([str(c) for c in mark["classes"]])
        parts.append(f"**Trademark.** File “{brief.company.name}” with the {mark['office_name']} in Nice "
                     f"class{'es' if len(mark['classes']) > 1 else ''} {classes}; registration "
                     f"usually follows {low}–{high} months after filing.")
        outputs.append(f"Trademark application ({mark['office']}, classes {classes})")
    licences = [ref["licences"][n] for t in tasks if base_kind(t.kind) == "licence"
                and (n := kind_instance(t.kind)) is not None]
    for licence in licences:
        parts.append(f"**{licence['name']}** for {brief.company.name}, from the {licence['regulator']}: "
                     f"{licence['why']}")
        outputs.append(f"Application: {licence['name']}")
    if "contracts" in kinds or "employment" in kinds or "privacy_compliance" in kinds:
        outputs.append(f"Terms, privacy notice and contract templates for {brief.company.name}")
    parts.append(f"A lawyer admitted in {place['label']} confirms each filing before fees are paid.")
    return (f"Legal plan for {brief.company.name} ({place['label']})", "\n\n".join(parts), outputs)


THEMES = {
    "launch": "the launch", "new_location": "the new location", "ecommerce": "ordering online",
    "loyalty": "the loyalty programme", "hiring": "life on the team",
    "donations": "what each gift makes possible", "volunteers": "a day as a volunteer", "events": "the launch event",
    "brand": "the story behind the brand", "customer_acquisition": "first-visit offers",
    "sales": "best sellers", "social": "behind the scenes", "awareness": "what makes the company different",
    "partnerships": "where to find the products", "international": "the new market",
    "mobile_app": "the app", "website": "the new website", "content_seo": "questions customers ask",
}


def content_themes(brief: Brief, tasks: list[Task], checks: dict[int, ObjectiveCheck]) -> list[str]:
    """Calendar themes from what the objectives are about, not their wording."""
    kinds = [checks[i].kind for t in tasks for i in t.objective_indexes if i in checks]
    themes = [THEMES[k] for k in dict.fromkeys(kinds) if k in THEMES]
    return themes or [f"why {brief.company.name}"]


def _summary(agent: str, brief: Brief, tasks: list[Task], ref: dict[str, Any],
             checks: dict[int, ObjectiveCheck]) -> tuple[str, str, list[str]]:
    """Title, Markdown summary and concrete outputs for one agent."""
    if agent == "legal":
        return _legal(brief, tasks, ref)
    profile = profile_for(brief.company.industry)
    name = brief.company.name
    titles = quoted_list([t.title for t in tasks])
    tier = tier_of(brief.budget_usd)
    if agent == "branding":
        return (f"{name} brand work",
                f"For {profile.audience}, {name} stands for {profile.positioning}; tone: {profile.tone}. "
                f"Work commissioned: {titles}.",
                [f"Proof point for {brief.company.industry.lower()}: {p}" for p in profile.proof_points])
    if agent == "webdev":
        pages = f" Pages: {quoted_list(page_plan(profile.key))}." if "site" in {base_kind(t.kind) for t in tasks} else ""
        return (f"{name} web build", f"Commissioned for {name}: {titles}.{pages}", [])
    if agent == "martech":
        stack = ""
        if "stack" in {base_kind(t.kind) for t in tasks}:
            stack = (f" The {tier}-tier stack, billed monthly over {brief.timeline_days} days: " + quoted_list(
                [f"{tool} ({purpose.lower()})" for purpose, tool, _ in martech.STACKS[tier]]) + ".")
        return (f"{name} marketing systems", f"Commissioned for {name}: {titles}.{stack}", [])
    if agent == "content":
        themes = content_themes(brief, tasks, checks) + list(profile.proof_points)
        return (f"{name} content over {brief.timeline_days} days",
                f"Themes: {quoted_list(themes[:4])}, for {profile.audience}.",
                calendar([f"{theme} at {name}" for theme in themes], tier, brief.timeline_days, limit=8))
    media = [t for t in tasks if base_kind(t.kind) == "media"]
    mix = ""
    if media:
        channels = channel_mix(_job(media[0], brief, ref, checks))
        mix = " Paid spend goes to " + quoted_list([f"{c} ({p}%)" for c, p in channels]) + \
            ", each judged on its cost per result."
    return (f"{name} campaigns", f"Commissioned for {name}: {titles}.{mix}", [])


def deliverable_payload(agent: str, data: dict[str, Any]) -> dict[str, Any]:
    brief = brief_of(data)
    reference = data.get("context", {}).get("reference") or {}
    checks = {raw["index"]: ObjectiveCheck.model_validate(raw) for raw in data.get("objectives", [])}
    tasks = [Task.model_validate(task) for task in data.get("tasks", [])]
    lines: list[dict[str, Any]] = []
    for task in tasks:
        items = items_for(_job(task, brief, reference, checks)) if task.kind and reference else []
        if not items and task.estimated_cost > 0:
            items = [Item(task.title, Decimal("1"), "lot", task.estimated_cost, "other")]
        lines += [_line(task, item) for item in items]
    title, summary, outputs = _summary(agent, brief, tasks, reference, checks)
    total = sum((Decimal(str(line["amount"])) for line in lines), Decimal("0"))
    return {
        "title": title,
        "summary_markdown": f"{summary}\n\nCommitted {money(total)} of {money(Decimal(data['allocation_usd']))}.",
        "items": outputs,
        "line_items": lines,
    }
