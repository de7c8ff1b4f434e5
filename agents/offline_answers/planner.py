"""The offline CFO: every screened objective -> the tasks that serve it, each priced item by item.

Objectives are classified at intake; a kind's playbook names the task kinds that serve it, and a
task kind shared by two objectives becomes one task serving both. An objective that no offered
specialist can serve is listed as not covered with the reason, never dropped.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal
from typing import Any

from agents.knowledge.licences import is_exemption, licences_named
from agents.knowledge.playbooks import TASK_KINDS, after, base_kind, kind_instance, task_kinds_for
from agents.knowledge.targets import listed_count
from agents.knowledge.tiers import tier_of
from agents.offline_answers._common import brief_of, exemption_name, money, number, plural, quoted_list
from agents.offline_answers._common import object_of as _object_of
from agents.offline_answers.cost_items import Job
from agents.offline_answers.costing import SCALABLE, estimate, items_for
from agents.state import SPECIALISTS, Brief, ObjectiveCheck

LICENSED_KINDS = {"licensing", "launch", "new_location"}
MIN_SCALE = Decimal("0.05")


def _instances(check: ObjectiveCheck, reference: dict[str, Any]) -> list[str]:
    """Task kinds (with licence instances) serving one objective."""
    kinds = list(task_kinds_for(check.kind or ""))
    licences = reference.get("licences", [])
    if check.kind in LICENSED_KINDS:
        sector = [n for n, lic in enumerate(licences) if not is_exemption(lic)]
        if check.kind == "licensing":  # an objective that names its licence is served by that one
            named = licences_named(check.text, [licences[n] for n in sector])
            sector = [sector[i] for i in named] or sector
        kinds = [k for k in kinds if k != "licence"] + [f"licence:{n}" for n in sector]
    return kinds


def _title(kind: str, brief: Brief, reference: dict[str, Any], check: ObjectiveCheck) -> str:
    base = base_kind(kind)
    spec = TASK_KINDS[base]
    template = spec.untargeted if spec.untargeted and not check.target else spec.title
    licences = reference.get("licences", [])
    licence = ""
    index = kind_instance(kind)
    if index is not None:
        chosen = licences[index]
        licence = f"{chosen['name']}, {chosen['regulator']}"
    elif base == "nonprofit_filing":
        licence = exemption_name(reference)
    city = _place_in(check.text) or reference["jurisdiction"].get("city") or brief.company.location
    target = _title_target(base, check)
    if target != (check.target or _object_of(check.text)):
        template = spec.title  # the title names what the objective lists, number or not
    mark = reference["trademark"]
    classes = mark["classes"]
    title = template.format(
        entity=f"{reference['entity']['entity']} ({reference['entity']['jurisdiction']})",
        office=quoted_list([filing["office_name"] for filing in (mark, *mark.get("also", ()))]),
        classes=("class " if len(classes) == 1 else "classes ") + ", ".join(str(c) for c in classes),
        licence=licence or "the licence the activity needs",
        target=target,
        city=city,
    )
    return title[:200]


# The standard a security objective names, as it names it: "SOC 2 Type I", "ISO 27001", "PCI DSS".
SECURITY_STANDARD = re.compile(r"\b(?:SOC ?[12](?: Type (?:II|I|1|2)\b)?|ISO(?:/IEC)? 27001|PCI(?: DSS)?|Cyber Essentials"
                               r"(?: Plus)?|HITRUST)", re.IGNORECASE)
IN_PLACE = re.compile(r"\b(?:in|à|en|in der|im|nach|to)\s+([A-ZÀ-Ý][^\W\d_]+(?:[ -][A-ZÀ-Ý][^\W\d_]+)*)")


def _title_target(base: str, check: ObjectiveCheck) -> str:
    """What a task's title says it is for: the objective's target, else its object; every role a
    hiring objective lists ("a head chef and 4 line cooks"); the standard a security audit names."""
    named = SECURITY_STANDARD.search(check.text) if base == "security_policies" else None
    if named:
        return named.group(0)
    if base == "recruiting_ads" and listed_count(_object_of(check.text)):
        return _object_of(check.text)
    return check.target or _object_of(check.text)


def _place_in(text: str) -> str | None:
    """'Open a second cafe in Leeds' -> 'Leeds'."""
    match = IN_PLACE.search(text.strip())
    return match.group(1) if match else None


def plan_payload(data: dict[str, Any]) -> dict[str, Any]:
    brief = brief_of(data)
    reference = data["reference"]
    offered = [spec["name"] for spec in data.get("specialists", [])] or list(SPECIALISTS)
    checks = [ObjectiveCheck.model_validate(raw) for raw in data["objectives"]]
    plannable = [check for check in checks if check.status == "ok"]
    serving: dict[str, list[ObjectiveCheck]] = {}
    not_covered: list[dict[str, Any]] = []
    for check in plannable:
        kinds = _instances(check, reference)
        usable = [k for k in kinds if TASK_KINDS[base_kind(k)].owner in offered]
        if not kinds:
            not_covered.append({"index": check.index, "reason": _no_playbook(check, brief, reference)})
            continue
        if not usable:
            missing = sorted({TASK_KINDS[base_kind(k)].owner for k in kinds})
            not_covered.append({"index": check.index, "reason": (
                f"Needs the {quoted_list(missing)} specialist{'s' if len(missing) > 1 else ''}, "
                "who are not on this run's team; add them to the run or plan it outside Catalyst.")})
            continue
        for kind in usable:
            serving.setdefault(kind, []).append(check)
    for agent in data.get("required_agents", []):
        if agent in offered and not any(TASK_KINDS[base_kind(k)].owner == agent for k in serving):
            fallback = next((k for k in TASK_KINDS.values() if k.owner == agent), None)
            if fallback is not None and plannable:
                serving.setdefault(fallback.key, []).append(plannable[0])
    ids = {kind: f"T{n}" for n, kind in enumerate(serving, start=1)}
    caps_usd = {spec["name"]: Decimal(spec["share_cap_usd"]) for spec in data.get("specialists", [])
                if spec.get("share_cap_usd") is not None}
    sized = _sized(serving, brief, reference, caps_usd)
    tasks = []
    for kind, served in serving.items():
        spec = TASK_KINDS[base_kind(kind)]
        cost = estimate(items_for(_job(sized[kind], served, brief, reference)))
        deps = [ids[k] for k in serving if base_kind(k) in after(spec.key) and k != kind]
        if kind.startswith("licence") and "formation" in ids:
            deps = list(dict.fromkeys([*deps, ids["formation"]]))
        tasks.append({
            "id": ids[kind], "title": _title(kind, brief, reference, served[0]), "owner": spec.owner,
            "priority": spec.priority, "estimated_cost": number(cost), "depends_on": deps,
            "rationale": _rationale(served, spec.why), "kind": sized[kind],
            "objective_indexes": [c.index for c in served],
        })  # fmt: skip
    return {"summary": _summary(brief, checks, tasks, not_covered), "tasks": tasks,
            "not_covered": not_covered}


def _job(kind: str, served: list[ObjectiveCheck], brief: Brief, reference: dict[str, Any]) -> Job:
    targets = [{"value": str(c.target_value), "unit": c.target_unit, "text": c.target}
               for c in served if c.target_value is not None]
    return Job(kind=kind, brief=brief, reference=reference, targets=targets, texts=[c.text for c in served])


def _sized(serving: dict[str, list[ObjectiveCheck]], brief: Brief, reference: dict[str, Any],
           caps_usd: dict[str, Decimal]) -> dict[str, str]:  # fmt: skip
    """Scale discretionary work (media, content) down so the plan fits the budget where it can.

    Fees and one-off work are what they are; paid media and the content calendar are sized to
    what is left, never below a useful minimum. A plan whose fixed costs alone exceed the budget
    still goes over, and the executive decides. Work that can never be funded (dearer on its own
    than the budget or its agent's share cap) leaves no room behind: counted, it once shrank a
    gym's Facebook ads to $100 for an $18,000 campaign the budget then dropped, with $6,302 unspent.
    """
    full = {k: estimate(items_for(_job(k, served, brief, reference))) for k, served in serving.items()}
    scalable = {k: v for k, v in full.items() if base_kind(k) in SCALABLE}

    def fundable(kind: str, cost: Decimal) -> bool:
        owner = TASK_KINDS[base_kind(kind)].owner
        return cost <= min(brief.budget_usd, caps_usd.get(owner, brief.budget_usd))

    fixed = sum((v for k, v in full.items() if k not in scalable and fundable(k, v)), Decimal("0"))
    wanted = sum(scalable.values(), Decimal("0"))
    if not scalable or fixed + wanted <= brief.budget_usd:
        return {k: k for k in serving}
    room = max(Decimal("0"), brief.budget_usd - fixed)
    scale = max(MIN_SCALE, (room / wanted).quantize(Decimal("0.01"), ROUND_DOWN))
    return {k: f"{k}@{scale}" if k in scalable else k for k in serving}


def _rationale(served: list[ObjectiveCheck], why: str) -> str:
    if len(served) == 1:
        return f"For objective {served[0].index} (“{served[0].text.rstrip('.')}”): {why}."
    numbers = quoted_list([str(c.index) for c in served])
    return f"Serves objectives {numbers}: {why}."


def _no_playbook(check: ObjectiveCheck, brief: Brief, reference: dict[str, Any]) -> str:
    if check.kind == "licensing":
        return (f"No licence for {brief.company.industry} in {reference['jurisdiction']['label']} is in "
                "Catalyst's reference data; a local regulatory adviser should name the permit "
                "(typically a few hours of advice, $300–$1,500).")
    return (f"Catalyst's team has no playbook for {check.kind_label or 'this kind of objective'}; "
            + (check.outside_scope or "plan it with a specialist adviser."))


def _summary(brief: Brief, checks: list[ObjectiveCheck], tasks: list[dict[str, Any]],
             not_covered: list[dict[str, Any]]) -> str:
    total = sum((Decimal(str(t["estimated_cost"])) for t in tasks), Decimal("0"))
    owners = sorted({t["owner"] for t in tasks})
    tier = tier_of(brief.budget_usd)
    lines = [f"{brief.company.name}'s {len(checks)} {plural(len(checks), 'objective')} became "
             f"{len(tasks)} {plural(len(tasks), 'task')} for {len(owners)} "
             f"{plural(len(owners), 'specialist')}, estimated at {money(total)} against a "
             f"{money(brief.budget_usd)} budget ({tier} tier prices)."]
    skipped = [c for c in checks if c.status != "ok"]
    if skipped:
        lines.append(" ".join(f"Objective {c.index} is {c.status}: {c.reason}" for c in skipped))
    if not_covered:
        lines.append(" ".join(f"Objective {n['index']} is not covered: {n['reason']}" for n in not_covered))
    return "\n".join(lines)

