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
from agents.offline_answers._common import brief_of, exemption_name, money, number, quoted_list
from agents.offline_answers.cost_items import Item, Job
from agents.offline_answers.costing import channel_mix, items_for
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
    parts = []
    if "formation" in kinds:
        parts.append(f"**Entity.** {brief.company.name} forms as {indefinite(entity['entity'])} in "
                     f"{entity['jurisdiction']}: {entity['why']}")
    if "trademark" in kinds:
        filings = (mark, *mark.get("also", ()))
        low = min(filing["registration_months"][0] for filing in filings)
        high = max(filing["registration_months"][1] for filing in filings)
        offices = quoted_list([f"the {filing['office_name']}" for filing in filings])
        parts.append(f"**Trademark.** File “{brief.company.name}” with {offices} in Nice "
                     f"class{'es' if len(mark['classes']) > 1 else ''} {_classes(mark)}; registration "
                     f"usually follows {low}–{high} months after filing.")
    for licence in _licences(tasks, ref):
        parts.append(f"**{licence['name']}** for {brief.company.name}, from the {licence['regulator']}: "
                     f"{licence['why']}")
    parts.append(f"A lawyer admitted in {place['label']} confirms each filing before fees are paid.")
    outputs = [f"{_legal_output(task, ref)} ({task.id})" for task in tasks]
    return (f"Legal plan for {brief.company.name} ({place['label']})", "\n\n".join(parts), outputs)


def _classes(mark: dict[str, Any]) -> str:
    return quoted_list([str(c) for c in mark["classes"]])


def _licences(tasks: list[Task], ref: dict[str, Any]) -> list[dict[str, Any]]:
    return [ref["licences"][n] for t in tasks if base_kind(t.kind) == "licence"
            and (n := kind_instance(t.kind)) is not None]


def _legal_output(task: Task, ref: dict[str, Any]) -> str:
    """What the lawyer hands over for one task: the filed document, not the activity."""
    kind = base_kind(task.kind)
    if kind == "formation":
        return f"Formation documents for the {ref['entity']['entity']}"
    if kind == "trademark":
        mark = ref["trademark"]
        offices = " and ".join(filing["office"] for filing in (mark, *mark.get("also", ())))
        return f"Trademark application{'s' if mark.get('also') else ''} ({offices}, classes {_classes(mark)})"
    if kind == "licence" and (n := kind_instance(task.kind)) is not None:
        return f"Application: {ref['licences'][n]['name']}"
    if kind == "nonprofit_filing":
        return f"Tax-exemption application: {exemption_name(ref)}"
    return task.title


THEMES = {
    "launch": "the launch", "new_location": "the new location", "local_listings": "how to find us", "ecommerce": "ordering online",
    "loyalty": "the loyalty programme", "hiring": "life on the team",
    "donations": "what each gift makes possible", "volunteers": "a day as a volunteer", "events": "the launch event",
    "brand": "the story behind the brand", "customer_acquisition": "first-visit offers",
    "sales": "best sellers", "social": "behind the scenes", "awareness": "what makes the company different",
    "partnerships": "where to find the products", "international": "the new market",
    "mobile_app": "the app", "website": "the new website", "content_seo": "questions customers ask",
}


def content_themes(brief: Brief, tasks: list[Task], checks: dict[int, ObjectiveCheck]) -> list[str]:
    """Calendar themes from what the objectives are about, not their wording (selling more is
    about what this industry sells)."""
    kinds = [checks[i].kind for t in tasks for i in t.objective_indexes if i in checks]
    named = {**THEMES, "sales": profile_for(brief.company.industry).offer}
    themes = [named[k] for k in dict.fromkeys(kinds) if k in named]
    return themes or [f"why {brief.company.name}"]


def _summary(agent: str, brief: Brief, tasks: list[Task], ref: dict[str, Any],
             checks: dict[int, ObjectiveCheck]) -> tuple[str, str, list[str]]:
    """Title, Markdown summary and concrete outputs for one agent."""
    if agent == "legal":
        return _legal(brief, tasks, ref)
    profile = profile_for(brief.company.industry)
    name = brief.company.name
    titles = quoted_list([t.title for t in tasks])
    outputs = [f"{_output(task, brief, ref, checks)} ({task.id})" for task in tasks]
    if agent == "branding":
        return (f"{name} brand work",
                f"For {profile.audience}, {name} stands for {profile.positioning}; tone: {profile.tone}. "
                f"Work commissioned: {titles}.",
                outputs + [f"Proof point for {brief.company.industry.lower()}: {p}" for p in profile.proof_points])
    if agent == "webdev":
        return (f"{name} web build", f"Commissioned for {name}: {titles}.", outputs)
    if agent == "martech":
        return (f"{name} marketing systems", f"Commissioned for {name}: {titles}.", outputs)
    if agent == "content":
        themes = content_themes(brief, tasks, checks) + list(profile.proof_points)
        return (f"{name} content over {brief.timeline_days} days",
                f"Themes: {quoted_list(themes[:4])}, for {profile.audience}.",
                outputs + calendar([f"{theme} at {name}" for theme in themes], tier_of(brief.budget_usd),
                                   brief.timeline_days, limit=8, story=profile.story))
    return (f"{name} campaigns", f"Commissioned for {name}: {titles}.", outputs)


# What a task hands over where its title names the activity ("Build the website"), not the result.
HANDED_OVER = {
    "positioning": "Positioning statement, audience profile and name check",
    "identity": "Logo, palette and typography in a short brand guide",
    "pricing": "Price list and packages from the pricing workshop",
    "calendar": "Content calendar for the timeline; its first weeks are listed here",
    "shop": "Online shop taking orders, with checkout, payments and delivery options",
    "app": "Mobile app, built and submitted to the app stores",
}


def _output(task: Task, brief: Brief, ref: dict[str, Any], checks: dict[int, ObjectiveCheck]) -> str:
    """One concrete output of a task: the thing a reader can ask to see, with its particulars."""
    kind = base_kind(task.kind)
    if kind == "site":
        return f"Website live on its domain; pages: {quoted_list(page_plan(profile_for(brief.company.industry).key))}"
    if kind == "stack":
        tools = [f"{tool} ({purpose.lower()})" for purpose, tool, _ in martech.STACKS[tier_of(brief.budget_usd)]]
        return f"Marketing tools set up and billed monthly: {quoted_list(tools)}"
    if kind == "media":
        channels = channel_mix(_job(task, brief, ref, checks))
        return ("Paid media on " + quoted_list([f"{c} ({p}%)" for c, p in channels])
                + ", each channel judged on its cost per result")
    return HANDED_OVER.get(kind, task.title)


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
