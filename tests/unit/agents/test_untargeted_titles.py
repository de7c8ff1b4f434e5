"""A task whose title names the objective's target falls back to its own short title when there is
none: "Donor appeal for Spendenkampagne … starten" repeated the whole objective."""

from __future__ import annotations

from agents.dry_run import run_brief
from agents.report_model import StructuredReport

BRIEF = {
    "company": {"name": "Tierheim Nord", "industry": "Nonprofit", "location": "Hamburg, Germany"},
    "objectives": ["Spendenkampagne für das neue Katzenhaus starten", "Recruit 40 volunteers"],
    "budget_usd": "12000",
    "timeline_days": 120,
}


def test_titles_name_a_target_only_when_the_objective_has_one() -> None:
    report = StructuredReport.model_validate(run_brief(BRIEF).outcome.report)
    titles = {t.title for t in report.tasks}
    assert "Donor appeal" in titles
    assert "Volunteer recruitment for 40 volunteers" in titles
    assert not any("Spendenkampagne" in title for title in titles), titles


def test_a_german_objective_leaves_its_verb_out_of_the_title() -> None:
    """"Drei Softwareentwickler einstellen" was advertised as "Job advertising for Drei
    Softwareentwickler einstellen": German puts the verb last."""
    from tests.unit.report.test_report_corpus import report_of

    report, _ = report_of("robotics_munich_seed.json")
    titles = {t.title for t in report.tasks}
    assert "Job advertising for Drei Softwareentwickler" in titles, titles
