"""An outcome line does not promise in 7 days what typically takes 60.

The florist's week-long brief, with the money for all of it, read "By day 7, Blue Heron Florist
has released its app" while a flag said the dependent work needs about 60 days. Each squeezed
objective now says where its promise rests and when the work typically ends.
"""

from __future__ import annotations

import re

from agents.dry_run import run_brief
from agents.report_model import StructuredReport
from tests.unit.report.corpus import BRIEFS, load
from tests.unit.report.test_report_corpus import NAMES, report_of

SQUEEZED = re.compile(r"only if its compressed schedule holds: at typical durations this work ends around day (\d+) ")


def test_a_squeezed_objective_says_when_its_work_typically_ends() -> None:
    case = load(BRIEFS / "florist_savannah_7_days.json")
    outcome = run_brief({**case["brief"], "budget_usd": "60000"}, policy="approve").outcome
    report = StructuredReport.model_validate(outcome.report)
    assert "schedule_compressed" in {flag.code for flag in report.flags}
    tasks = {t.id: t for t in report.tasks}
    lines = {o.index: line for o, line in zip(report.objectives, report.outcome_statements, strict=False)}
    for objective in report.objectives:
        typical = max((tasks[t].typical_end_day or 0 for t in objective.task_ids), default=0)
        found = SQUEEZED.search(lines[objective.index])
        if typical > report.timeline_days:
            assert found and int(found.group(1)) == typical, lines[objective.index]
            assert f"- {lines[objective.index]}" in outcome.report_markdown
        else:
            assert not found, lines[objective.index]
    assert "has released its app only if its compressed schedule holds" in lines[3]


def test_a_plan_that_fits_its_timeline_promises_plainly() -> None:
    for name in NAMES:
        report, markdown = report_of(name)
        if "schedule_compressed" in {flag.code for flag in report.flags}:
            continue
        assert "compressed schedule" not in markdown, name
        assert all((t.typical_end_day or 0) <= report.timeline_days for t in report.tasks if t.status == "funded")
