"""What an uncovered objective's risk says would cover it, checked against the plan's own numbers.

The florist's report once read "Funding T4 covers it" beside $1,317 left unspent, and "Funding T1
covers it" for paid media whose tracking prerequisite had been dropped: neither was something an
executive could act on. Across the corpus, a task dropped by its agent's share cap names that cap
(in dollars and as a share of the budget) and the smallest whole-percent cap that funds it, and a
task dropped with its prerequisite names the prerequisite too.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from agents.catalogue import default_catalogue
from tests.unit.report.test_report_corpus import NAMES, report_of

CAP = re.compile(r"the (?P<title>[\w ]+)'s share cap is \$(?P<usd>[\d,.]+) \((?P<percent>\d+)% of the budget\)"
                 r"(?:; a cap of (?P<needed>\d+)% \(Admin → Budgets\) would fund it)?")


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def main_task(reason: str) -> str:
    found = re.match(r"Its main task, (T\d+) ", reason)
    assert found, reason
    return found.group(1)


@pytest.mark.parametrize("name", NAMES)
def test_a_share_cap_drop_names_the_cap_that_would_fund_it(name: str) -> None:
    report, markdown = report_of(name)
    tasks = {t.id: t for t in report.tasks}
    budget = report.budget.total_usd
    caps = default_catalogue().default_caps()
    for objective in (o for o in report.objectives if o.status == "not_covered" and o.reason.startswith("Its main")):
        task = tasks[main_task(objective.reason)]
        if task.drop_reason != "agent_cap":
            assert "share cap is" not in objective.reason
            continue
        if task.cost_usd > budget:
            assert f"it costs more than the whole budget of ${budget:,.2f}" in objective.reason
            continue
        found = CAP.search(objective.reason)
        assert found, objective.reason
        assert found["title"] == task.agent_title
        assert money(found["usd"]) == (budget * caps[task.agent]).quantize(Decimal("0.01"))
        assert Decimal(found["percent"]) == (caps[task.agent] * 100).quantize(Decimal("1"))
        needed = sum((t.cost_usd for t in report.tasks if t.agent == task.agent and t.status == "funded"),
                     Decimal("0")) + task.cost_usd  # fmt: skip
        if needed > budget:
            assert "more than the whole budget" in objective.reason
            continue
        percent = Decimal(found["needed"])
        assert budget * percent / 100 >= needed > budget * (percent - 1) / 100  # the smallest that funds it
        assert objective.reason in markdown or objective.reason.replace("“", '"') in markdown


@pytest.mark.parametrize("name", NAMES)
def test_a_task_that_lost_its_prerequisite_names_it(name: str) -> None:
    report, _ = report_of(name)
    tasks = {t.id: t for t in report.tasks}
    for objective in (o for o in report.objectives if o.status == "not_covered" and o.reason.startswith("Its main")):
        task = tasks[main_task(objective.reason)]
        if task.drop_reason != "dependency":
            continue
        unfunded = [d for d in task.depends_on if tasks[d].status != "funded"]
        assert unfunded, task
        assert f"({unfunded[0]} {tasks[unfunded[0]].title}:" in objective.reason, objective.reason
        assert f"Funding {task.id} and {unfunded[0]}" in objective.reason


def test_the_florist_report_reads_as_an_executive_can_act_on() -> None:
    """The case that showed it: $2,000, the shop capped out, tracking capped out, the app beyond the budget."""
    report, _ = report_of("florist_savannah_7_days.json")
    reasons = {o.index: o.reason for o in report.objectives}
    assert "(T3 Tracking plan, conversion events and dashboards: over its agent's share cap)" in reasons[1]
    assert "Funding T1 and T3 covers it." in reasons[1]
    assert ("Funding T4 covers it: it costs $939.00, and the Web Developer's share cap is $600.00 (30% of the "
            "budget); a cap of 50% (Admin → Budgets) would fund it.") in reasons[2]
    assert "Funding T7 covers it, but at $2,310.00 it costs more than the whole budget of $2,000.00." in reasons[3]
    unspent = next(r for r in report.risks if r.risk.startswith("Less than half of the budget"))
    assert "share caps, not the budget" in unspent.mitigation


@pytest.mark.parametrize("name", NAMES)
def test_no_task_is_left_out_by_a_share_cap_it_fits_under(name: str) -> None:
    """A cap drops the least important work first, then takes back whatever fits again: a task the
    cap dropped does not fit beside the work of its agent the cap kept."""
    report, _ = report_of(name)
    budget = report.budget.total_usd
    caps = default_catalogue().default_caps()
    for dropped in (t for t in report.tasks if t.drop_reason == "agent_cap"):
        kept = sum((t.cost_usd for t in report.tasks if t.agent == dropped.agent and t.drop_reason != "agent_cap"),
                   Decimal("0"))  # fmt: skip
        assert kept + dropped.cost_usd > (budget * caps[dropped.agent]).quantize(Decimal("0.01")), dropped
