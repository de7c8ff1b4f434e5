"""The offline reporter: the executive summary, written from the structured report's own figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.offline_answers._common import money, plural, quoted_list


def _objective_sentence(rows: list[dict[str, Any]]) -> str:
    covered = [r for r in rows if r["status"] == "covered"]
    parts = []
    if covered:
        parts.append(f"{len(covered)} of {len(rows)} {plural(len(rows), 'objective')} "
                     f"{'is' if len(covered) == 1 else 'are'} funded ("
                     + quoted_list([f"“{r['text']}”" for r in covered]) + ")")
    for status, verb in (("not_covered", "not covered"), ("refused", "refused"), ("unclear", "unclear")):
        group = [r for r in rows if r["status"] == status]
        if group:
            noun = "objective" if len(group) == 1 else "objectives"
            parts.append(f"{noun} {quoted_list([str(r['index']) for r in group])} "
                         f"{'is' if len(group) == 1 else 'are'} {verb}")
    return "; ".join(parts) + "."


def narrative_payload(data: dict[str, Any]) -> dict[str, Any]:
    report = data["report"]
    company = report["company"]
    budget = report["budget"]
    tasks = report["tasks"]
    funded = [t for t in tasks if t["status"] == "funded"]
    committed = Decimal(budget["committed_usd"])
    total = Decimal(budget["total_usd"])
    unspent = Decimal(budget["unspent_usd"])
    first = min(funded, key=lambda t: (t["start_day"] or 0, t["priority"]), default=None)
    critical = report.get("critical_path") or []
    paragraphs = [
        f"{company['name']} ({company['industry']}, {report['jurisdiction']['label']}) asked for "
        f"{len(report['objectives'])} {plural(len(report['objectives']), 'thing')} over "
        f"{report['timeline_days']} days: {_objective_sentence(report['objectives'])}",
        f"The plan funds {len(funded)} of {len(tasks)} {plural(len(tasks), 'task')} and commits "
        f"{money(committed)} of the {money(total)} budget"
        + (f", leaving {money(unspent)} unspent" if unspent > 0 else "")
        + (f", with an approved overrun of {money(Decimal(budget['ceiling_usd']) - total)}"
           if Decimal(budget["ceiling_usd"]) > total else "") + "."
        + (f" Work starts with {first['id']} {first['title']} on day {first['start_day']}" if first else "")
        + (f"; the critical path runs {' → '.join(critical)}." if critical else "." if first else ""),
    ]
    return {"executive_summary": "\n\n".join(paragraphs), "next_steps": [], "risk_commentary": ""}
