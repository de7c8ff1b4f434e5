"""Every brief of the corpus, run offline, gives a report an executive can act on.

For each brief: the quality check passes; every objective is accounted for (covered by funded
tasks, not covered with a reason, refused with its rule, unclear with a reason); the Markdown shows
exactly the structured report's figures; the schedule fits the timeline; every fee has a sourced,
dated fact.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from agents.report_markdown import usd
from agents.report_model import StructuredReport
from agents.state import cents
from tests.unit.report.corpus import BRIEFS, brief_files, load, run

NAMES = [path.name for path in brief_files()]


def report_of(name: str) -> tuple[StructuredReport, str]:
    outcome = run(name).outcome
    assert outcome.status == "completed", outcome.error
    assert outcome.report and outcome.report_markdown
    return StructuredReport.model_validate(outcome.report), outcome.report_markdown


def test_the_corpus_is_broad() -> None:
    cases = [load(path) for path in brief_files()]
    assert len(cases) >= 40
    countries = {case["expect"]["country_code"] for case in cases if case["expect"].get("country_code")}
    assert len(countries) >= 15
    budgets = [Decimal(case["brief"]["budget_usd"]) for case in cases]
    timelines = [case["brief"]["timeline_days"] for case in cases]
    assert min(budgets) <= 300 and max(budgets) >= 500000
    assert 7 in timelines and 730 in timelines


@pytest.mark.parametrize("name", NAMES)
def test_quality_checks_pass(name: str) -> None:
    report, markdown = report_of(name)
    failed = [f"{c.name}: {c.detail}" for c in report.checks if not c.passed]
    assert not failed
    assert {c.name for c in report.checks} == {"coverage", "arithmetic", "schedule", "sources",
                                                 "screening", "currency"}
    assert "All quality checks passed." in markdown


@pytest.mark.parametrize("name", NAMES)
def test_every_objective_is_accounted_for(name: str) -> None:
    report, _ = report_of(name)
    expect = load(BRIEFS / name)["expect"]
    assert [row.index for row in report.objectives] == list(range(1, len(expect["statuses"]) + 1))
    funded = {t.id for t in report.tasks if t.status == "funded"}
    for row, expected in zip(report.objectives, expect["statuses"], strict=True):
        if expected in ("refused", "unclear"):
            assert row.status == expected, (row.text, row.status, row.reason)
        else:
            assert row.status in ("covered", "not_covered"), (row.text, row.status, row.reason)
        if row.status == "covered":
            assert row.task_ids and set(row.task_ids) <= funded
        else:
            assert row.reason.strip(), row
        if row.status == "refused":
            assert row.rule and row.source_url.startswith("https://")


@pytest.mark.parametrize("name", NAMES)
def test_markdown_shows_the_structured_figures(name: str) -> None:
    report, markdown = report_of(name)
    b = report.budget
    for value in (b.total_usd, b.committed_usd, b.plan_total_usd, b.funded_usd, b.unspent_usd):
        assert usd(value) in markdown
    for row in b.by_agent:
        assert f"| {row.agent_title} | {usd(row.allocated_usd)} | {usd(row.committed_usd)} | " \
               f"{usd(row.remaining_usd)} |" in markdown
    for item in report.line_items:
        assert cents(item.quantity * item.unit_usd) == item.amount_usd
        assert f"{usd(item.unit_usd)} | {usd(item.amount_usd)} |" in markdown
    for task in report.tasks:
        assert f"**{task.id} {task.title}**" in markdown and usd(task.cost_usd) in markdown
    assert cents(sum((i.amount_usd for i in report.line_items), Decimal("0"))) == b.committed_usd
    assert "contingenc" not in markdown.lower()
    assert "(s)" not in markdown
    assert markdown.count(report.provider_label) == 1


@pytest.mark.parametrize("name", NAMES)
def test_schedule_fits_the_timeline(name: str) -> None:
    report, _ = report_of(name)
    tasks = {t.id: t for t in report.tasks if t.status == "funded"}
    for task in tasks.values():
        assert 1 <= task.start_day <= task.end_day <= report.timeline_days
        for dep in task.depends_on:
            if dep in tasks and not tasks[dep].recurring:
                assert task.start_day > tasks[dep].end_day or task.start_day == report.timeline_days
    steps = [int(step.split(":")[0].removeprefix("Day ")) for step in report.next_steps]
    assert steps == sorted(steps)
    assert all(step.split(": ", 1)[1].split(" ")[0] in tasks for step in report.next_steps)


@pytest.mark.parametrize("name", NAMES)
def test_every_fee_has_a_sourced_dated_fact(name: str) -> None:
    report, markdown = report_of(name)
    facts = {f.id: f for f in report.facts}
    for item in report.line_items:
        if item.category == "filing_fee":
            assert item.fact_ids, item
            for fact_id in item.fact_ids:
                fact = facts[fact_id]
                assert fact.source_url.startswith("https://") and len(fact.as_of) == 10
                assert f"<{fact.source_url}>" in markdown
