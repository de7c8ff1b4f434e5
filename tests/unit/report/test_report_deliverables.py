"""What each specialist hands over, and what the report cites, across the whole corpus.

Every offline report once carried "webdev's deliverable lists no concrete outputs." as a risk: the
web, marketing-systems and campaign specialists listed nothing, and the message named the agent by
its internal key. Sources listed a trademark fee in plans with no trademark filing and the IRS's
Form 1023 fee twice. Here every brief of the corpus must show: each funded task among its
specialist's outputs, no internal agent key in what the reader sees, and sources only for what the
plan does, each fee once.
"""

from __future__ import annotations

import re

import pytest

from agents.catalogue import default_catalogue
from agents.knowledge.playbooks import base_kind
from agents.state import SPECIALISTS
from tests.unit.report.test_report_corpus import NAMES, report_of

KEYS = re.compile(r"\b(" + "|".join(SPECIALISTS) + r")(?:'s)?\b")


@pytest.mark.parametrize("name", NAMES)
def test_every_funded_task_is_among_its_specialists_outputs(name: str) -> None:
    report, markdown = report_of(name)
    outputs = {row.agent: row.outputs for row in report.deliverables}
    for task in report.tasks:
        if task.status != "funded":
            continue
        listed = [o for o in outputs.get(task.agent, []) if o.endswith(f"({task.id})")]
        assert len(listed) == 1, (task.id, task.title, outputs.get(task.agent))
        assert f"- {listed[0]}" in markdown
    assert "lists no concrete outputs" not in markdown


@pytest.mark.parametrize("name", NAMES)
def test_the_reader_never_sees_an_internal_agent_key(name: str) -> None:
    report, _ = report_of(name)
    titles = {default_catalogue().title(agent) for agent in SPECIALISTS}
    texts = [r.risk for r in report.risks] + [r.owner for r in report.risks]
    for text in texts:
        found = KEYS.findall(text)
        assert not found, (text, found)
    assert {r.owner for r in report.risks} <= titles | {"Executive", default_catalogue().title("cfo"),
                                                         default_catalogue().title("reviewer")}


@pytest.mark.parametrize("name", NAMES)
def test_sources_cite_what_the_plan_does_each_fee_once(name: str) -> None:
    report, _ = report_of(name)
    kinds = {base_kind(t.kind) for t in report.tasks if t.kind}
    cited = [(f.what, f.amount, f.currency) for f in report.facts]
    assert len(cited) == len(set(cited)), cited
    if "trademark" not in kinds:
        assert not [f.id for f in report.facts if f.id.startswith("trademark:")]
    if "nonprofit_filing" not in kinds:
        assert not [f.id for f in report.facts if f.id.startswith("irs:")]
