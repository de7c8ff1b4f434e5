"""Benchmark: how specific and how sound the reports of the brief corpus are.

Runs every brief in tests/data/briefs/ offline and measures, in one run:
- boilerplate: the share of report lines (outside tables, longer than 40 characters) that appear
  verbatim in another report of the corpus — the value, to keep at or below 0.25;
- the same share with company names and numbers masked — the baseline: what the reports would
  share if only their names and figures differed; the ratio says how much of that sameness the
  brief-specific text removes;
- coverage: the share of briefs whose every objective is accounted for (covered by funded tasks or
  not covered / refused / unclear with a reason), and the share whose quality check passes.

    .venv/bin/python bench/report_quality.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from agents.dry_run import run_brief
from agents.report_model import StructuredReport
from bench.headline import headline_line

BRIEFS = Path(__file__).resolve().parents[1] / "tests" / "data" / "briefs"
NUMBER = re.compile(r"\d[\d,.]*")


def prose_lines(markdown: str) -> list[str]:
    return [line.strip() for line in markdown.splitlines()
            if len(line.strip()) > 40 and not line.lstrip().startswith("|")]


def shared_share(reports: list[list[str]]) -> float:
    """Share of all lines that occur in at least one other report."""
    owners: Counter[str] = Counter()
    for lines in reports:
        owners.update(set(lines))
    total = sum(len(lines) for lines in reports)
    shared = sum(1 for lines in reports for line in lines if owners[line] > 1)
    return shared / total if total else 0.0


def accounted(report: StructuredReport) -> bool:
    return all(row.status == "covered" and row.task_ids or row.status != "covered" and row.reason
               for row in report.objectives)


def main() -> None:
    cases = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(BRIEFS.glob("*.json"))]
    started = time.perf_counter()
    texts, masked, covered, passed = [], [], 0, 0
    for n, case in enumerate(cases):
        outcome = run_brief(case["brief"], policy=case.get("policy", "approve"), run_id=f"corpus-{n}").outcome
        if outcome.status != "completed" or not outcome.report:
            raise RuntimeError(f"{case['name']}: run ended {outcome.status}: {outcome.error}")
        report = StructuredReport.model_validate(outcome.report)
        lines = prose_lines(outcome.report_markdown or "")
        texts.append(lines)
        name = case["brief"]["company"]["name"]
        masked.append([NUMBER.sub("#", line.replace(name, "NAME")) for line in lines])
        covered += accounted(report)
        passed += all(check.passed for check in report.checks)
    elapsed = time.perf_counter() - started
    value, baseline = shared_share(texts), shared_share(masked)
    sys.stdout.write(f"briefs {len(cases)}  boilerplate {value:.1%}  masked {baseline:.1%}  "
                     f"coverage {covered}/{len(cases)}  checks {passed}/{len(cases)}  {elapsed:.1f} s\n")
    sys.stdout.write(headline_line({
        "metric": "report_boilerplate_share", "value": round(value, 4), "baseline": round(baseline, 4),
        "ratio": round(value / baseline, 3) if baseline else None, "unit": "fraction of prose lines",
        "limit": 0.25, "briefs": len(cases), "coverage_rate": round(covered / len(cases), 4),
        "checks_pass_rate": round(passed / len(cases), 4),
        "baseline_kind": "same share with company names and numbers masked",
    }) + "\n")


if __name__ == "__main__":
    main()
