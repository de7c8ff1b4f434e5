"""Each covered objective's KPI names the objective's own number, or says that none was named."""

from __future__ import annotations

from tests.unit.report.test_report_corpus import report_of


def test_a_kpi_without_a_number_says_one_is_to_be_set() -> None:
    """"Run a year-end giving campaign" names no amount: its KPI said "the target in the objective",
    pointing at a number that is not there."""
    from agents.report_risks import NO_TARGET

    report, markdown = report_of("literacy_nonprofit_houston.json")
    assert "the target in the objective" not in markdown
    assert f"| Donations raised | {NO_TARGET} |" in markdown
    assert "| Volunteers signed up | 40 volunteer tutors |" in markdown  # a number named is kept
