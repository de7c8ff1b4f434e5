"""The judgement parts of the report that code can state: risks, KPIs and end-of-timeline outcomes.

Each is derived from the objectives' kinds, the schedule and the findings of the run, so a reader
sees risks with likelihood, impact, mitigation and owner, and a measurable target per objective.
"""

from __future__ import annotations

from typing import Any

from agents.catalogue import Catalogue
from agents.knowledge.licences import is_exemption
from agents.knowledge.playbooks import base_kind
from agents.report_model import RiskRow, StructuredReport
from agents.state import Finding, ObjectiveCheck

# A KPI whose target is the objective's own number; an objective that names none gets NO_TARGET.
OBJECTIVE_TARGET = "the target in the objective"
NO_TARGET = "none named yet: set one before the work starts"
# Objective kind -> (metric, default target, what will be true at the end).
KPI_BY_KIND: dict[str, tuple[str, str, str]] = {
    "launch": ("Paying customers since launch", "first 10 paying customers", "is open for business"),
    "formation": ("Entity registered", "certificate of formation issued", "exists as a legal entity"),
    "trademark": ("Trademark application", "filed, with an application number", "has filed its trademark"),
    "licensing": ("Licence application", "submitted and acknowledged by the regulator",
                  "has applied for its licence"),
    "nonprofit": ("Exemption application", "submitted to the tax authority", "has applied for tax exemption"),
    "fundraising": ("Investor meetings", "30 qualified investor conversations logged",
                    "has run its investor process with a deck, model and pipeline"),
    "hiring": ("Qualified applicants", "15 qualified applicants per role", "has advertised the role"),
    "donations": ("Donations raised", OBJECTIVE_TARGET, "has asked its donors and can take gifts online"),
    "volunteers": ("Volunteers signed up", OBJECTIVE_TARGET,
                   "has recruited volunteers through its own sign-up page and listings"),
    "new_location": ("Opening-month visits", "listed on maps with 50 reviews asked for",
                     "has announced and listed its new location"),
    "local_listings": ("Listing verified", "verified on Google and Apple Maps with hours and photos",
                       "can be found on maps and in local search"),
    "loyalty": ("Loyalty members", "25% of repeat customers enrolled", "runs a loyalty programme"),
    "ecommerce": ("Online orders", "first 50 online orders", "takes orders online"),
    "b2b_sales": ("Business customers signed", OBJECTIVE_TARGET, "has worked its target accounts"),
    "customer_acquisition": ("New customers from paid channels", OBJECTIVE_TARGET,
                             "has bought its acquisition campaign"),
    "website": ("Site live", "live with analytics and forms tested", "has a live website"),
    "mobile_app": ("App release", "released in the app stores", "has released its app"),
    "content_seo": ("Organic visits per month", "+50% over the first month", "publishes on a steady calendar"),
    "social": ("Engaged followers", "+30% followers with weekly posts", "posts on a steady calendar"),
    "advertising": ("Cost per result", "within the channel benchmarks", "runs measured paid campaigns"),
    "brand": ("Brand assets", "guidelines in use on every channel", "has a consistent identity"),
    "reviews": ("New reviews", OBJECTIVE_TARGET, "asks every customer for a review"),
    "awareness": ("Branded search volume", "+25% over the first month", "is visible to its audience"),
    "partnerships": ("Signed partners", "3 signed partners or stockists", "has pitched its partners"),
    "print": ("Pieces delivered", OBJECTIVE_TARGET, "has printed and delivered its flyers"),
    "events": ("Event attendance", "70% of invitees attending", "has held its launch event"),
    "trade_show": ("Leads from the stand", "every lead followed up within 5 working days", "has exhibited at its fair"),
    "grants": ("Application submitted", "complete before the funder's deadline", "has applied for its grant"),
    "export": ("Market-entry partners", "2 distribution conversations", "has prepared market entry"),
    "pricing": ("Price list", "approved price list in use", "has a tested price list"),
    "security_audit": ("Audit readiness", "every control passing in the platform before the auditor's review",
                       "is ready for its security audit"),
    "product_safety": ("Product certification", "test report and certificate issued by the lab",
                       "has submitted its products for certification"),
    "contracts": ("Contract templates", "signed off and in use with new customers", "has its contracts in writing"),
    "age_checks": ("Age checks", "ID asked whenever a buyer may be under age, refusals logged",
                   "checks ID on every age-restricted sale"),
    "compliance_privacy": ("Privacy compliance", "records of processing and consent live",
                           "documents its data processing"),
    "sales": ("Revenue growth", OBJECTIVE_TARGET, "has bought sales-driving campaigns"),
}


def kpis_for(report: StructuredReport, checks: list[ObjectiveCheck]) -> list[dict[str, Any]]:
    """One KPI per covered objective, with the objective's own target where it names one."""
    by_index = {c.index: c for c in checks}
    tasks = {t.id: t for t in report.tasks}
    rows = []
    for objective in report.objectives:
        if objective.status != "covered":
            continue
        metric, target, _ = KPI_BY_KIND.get(objective.kind, ("Objective delivered", "done", "has delivered it"))
        check = by_index.get(objective.index)
        if check and check.target:
            target = check.target
        elif target == OBJECTIVE_TARGET:  # "Run a year-end giving campaign" asks for no amount
            target = NO_TARGET
        ends = [tasks[t].end_day or report.timeline_days for t in objective.task_ids
                if t in tasks and not tasks[t].recurring]
        main = tasks.get(objective.task_ids[0]) if objective.task_ids else None
        if main is not None and main.recurring:  # work that runs to the end is judged at the end
            ends = [report.timeline_days]
        rows.append({"objective_index": objective.index, "metric": metric, "target": target,
                     "by_day": max(ends, default=report.timeline_days)})
    return rows


def outcome_statements(report: StructuredReport, checks: list[ObjectiveCheck]) -> list[str]:
    """What will be true on the last day, one line per objective (the gaps included)."""
    name = report.company.get("name", "The company")
    kinds = {t.id: base_kind(t.kind) for t in report.tasks if t.kind and t.status == "funded"}
    ends = {t.id: t.typical_end_day for t in report.tasks if t.status == "funded" and t.typical_end_day}
    lines = []
    for row in report.objectives:
        if row.status == "covered":
            _, _, done = KPI_BY_KIND.get(row.kind, ("", "", "has delivered it"))
            if row.kind == "nonprofit" and "formation" in {kinds.get(t) for t in row.task_ids}:
                done = f"{KPI_BY_KIND['formation'][2]} and {done}"  # "Form a nonprofit corporation" is both
            typical = max((ends[t] for t in row.task_ids if ends.get(t)), default=0)
            if typical > report.timeline_days:  # squeezed to fit: say so where the promise is made
                done += (f" only if its compressed schedule holds: at typical durations this work ends "
                         f"around day {typical}")
            lines.append(f"By day {report.timeline_days}, {name} {done} (objective {row.index}: "
                         f"“{row.text}”).")
        elif row.status == "not_covered":
            lines.append(f"Objective {row.index} (“{row.text}”) will not be done by this plan: {row.reason}")
        else:
            lines.append(f"Objective {row.index} (“{row.text}”) was {row.status.replace('_', ' ')} and "
                         "is not planned.")
    late = [m for m in report.milestones if m.after_timeline]
    for milestone in late:
        lines.append(f"{milestone.title} falls on day {milestone.day}, after the timeline ends.")
    return lines


def risks_for(
    report: StructuredReport, findings: list[Finding], reference: dict[str, Any], catalogue: Catalogue
) -> list[RiskRow]:
    """A risk register: specific risks from the plan, then the run's findings."""
    risks: list[RiskRow] = []

    def add(risk: str, likelihood: str, impact: str, mitigation: str, owner: str, severity: str = "warning") -> None:
        risks.append(RiskRow(id=f"R{len(risks) + 1}", risk=risk, likelihood=likelihood, impact=impact,
                             mitigation=mitigation, owner=owner, severity=severity))

    name = report.company.get("name", "the company")
    for m in report.milestones:
        if m.after_timeline and m.task_id:
            add(f"{m.title}: day {m.day}, after the {report.timeline_days}-day timeline", "high", "medium",
                "Trade under the applied-for status and avoid commitments that need the result first.",
                catalogue.title("legal"))
    if report.jurisdiction.ambiguous or not report.jurisdiction.country_code:
        add(f"Location “{report.company.get('location', '')}” could not be placed with certainty; "
            "fees and offices may be wrong", "high", "high",
            "Confirm the country and state; re-run the plan with an unambiguous location.", "Executive",
            "critical")
    for row in report.objectives:
        if row.status == "refused":
            add(f"Objective {row.index} asks for something unlawful or deceptive ({row.rule or row.reason})",
                "high", "high", "Do not pursue it; restate the goal lawfully if there is one behind it.",
                "Executive", "critical")
        elif row.status == "not_covered":
            add(f"Objective {row.index} (“{row.text}”) has no funded work", "high", "medium",
                row.reason, "Executive")
    licences = [lic for lic in reference.get("licences") or [] if not is_exemption(lic)]
    if licences:
        names = [f"{lic['name']} ({lic['regulator']})" for lic in licences[:3]]
        add(f"Licences: {name} must hold {'; '.join(names)} before trading", "medium", "high",
            "Apply early and keep evidence of each filing; do not start the licensed activity before approval.",
            catalogue.title("legal"))
    for exemption in (lic for lic in reference.get("licences") or [] if is_exemption(lic)):
        add(f"Tax status: until the {exemption['regulator']} grants {exemption['name']}, {name} cannot promise "
            "donors that their gifts are deductible", "medium", "medium",
            "File early and keep the filing receipt; appeals and receipts say the application is pending "
            "until the decision arrives.", catalogue.title("legal"))
    if any(flag.code == "schedule_compressed" for flag in report.flags):
        add("The dependent tasks do not fit the timeline at typical durations", "high", "medium",
            "Extend the timeline or run the critical path first with named owners.", catalogue.title("cfo"))
    if report.budget.unspent_usd > 0 and report.budget.committed_usd < report.budget.total_usd / 2:
        capped = any(t.drop_reason == "agent_cap" for t in report.tasks)
        add(f"Less than half of the budget is committed (${report.budget.unspent_usd:,.2f} unspent)", "medium",
            "low", "The agents' share caps, not the budget, held work back (the objectives' risks above say "
            "what each would take): raise them, or hand the money back to the budget." if capped
            else "Put it to the objectives that are not covered, or hand it back to the budget.",
            catalogue.title("cfo"), "info")
    for finding in findings:
        if finding.severity == "info" or finding.id.startswith(("screening:", "budget:dropped")):
            continue
        owner = catalogue.title(finding.agent) if finding.agent else catalogue.title("reviewer")
        likelihood = "high" if finding.severity == "critical" else "medium"
        add(finding.message, likelihood, "high" if finding.severity == "critical" else "medium",
            "Resolve before committing the affected spend.", owner, finding.severity)
    return risks
