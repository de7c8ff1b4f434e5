"""Domain types: brief validation, money to the cent, reducers, catalogue."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from agents.allocation import apply_caps, drop_order, trim_to
from agents.catalogue import default_catalogue
from agents.state import SPECIALISTS, Brief, Report, SpendRow, Task, append_findings, merge_deliverables
from tests.unit.agents.agents_support import brief


def test_brief_is_cleaned_and_bounded() -> None:
    parsed = Brief.model_validate(brief(objectives=["  Launch product  "], budget_usd="1234.565",
                                        agents=["legal", "branding", "legal"]))
    assert parsed.objectives == ["Launch product"]
    assert parsed.budget_usd == Decimal("1234.57")
    assert parsed.agents == ["branding", "legal"]


@pytest.mark.parametrize(
    "changes",
    [
        {"objectives": []},
        {"objectives": ["   "]},
        {"objectives": ["x" * 301]},
        {"objectives": ["a"] * 11},
        {"budget_usd": "99.99"},
        {"budget_usd": "1000000.01"},
        {"timeline_days": 6},
        {"timeline_days": 731},
        {"agents": ["legal", "astrology"]},
        {"agents": []},
        {"ai_cap_usd": "-1"},
        {"company": {"name": ""}},
    ],
)
def test_brief_rejects(changes: dict) -> None:
    with pytest.raises(ValidationError):
        Brief.model_validate(brief(**changes))


def test_reducers_merge_per_agent_and_append_findings_once() -> None:
    merged = merge_deliverables({"legal": {"v": 1}}, {"branding": {"v": 2}})
    assert merged == {"legal": {"v": 1}, "branding": {"v": 2}}
    assert merge_deliverables(merged, {"legal": {"v": 3}})["legal"] == {"v": 3}
    first = [{"id": "a", "m": 1}]
    assert append_findings(first, [{"id": "a", "m": 1}, {"id": "b", "m": 2}]) == [
        {"id": "a", "m": 1}, {"id": "b", "m": 2}]


def test_report_refuses_a_table_that_does_not_add_up() -> None:
    row = SpendRow(agent="legal", allocated=Decimal("10"), committed=Decimal("5"),
                   remaining=Decimal("5"))
    with pytest.raises(ValidationError, match="add up"):
        Report(markdown="", committed_total=Decimal("6"), budget=Decimal("100"),
               ceiling=Decimal("100"), spend=[row], agents=["legal"])


def task(id: str, owner: str, priority: int, cost: str) -> Task:
    return Task(id=id, title=id, owner=owner, priority=priority, estimated_cost=Decimal(cost))


def test_caps_and_trimming_drop_the_least_important_first() -> None:
    tasks = [task("T1", "legal", 1, "300"), task("T2", "legal", 3, "300"),
             task("T3", "campaigns", 5, "100"), task("T4", "campaigns", 2, "900")]
    assert [t.id for t in drop_order(tasks)] == ["T3", "T2", "T4", "T1"]
    kept, dropped = apply_caps(tasks, {"legal": Decimal("400"), "campaigns": Decimal("5000")})
    assert [d.task_id for d in dropped] == ["T2"] and dropped[0].reason == "agent_cap"
    kept, trimmed = trim_to(kept, Decimal("1200"))
    assert [d.task_id for d in trimmed] == ["T3"] and [t.id for t in kept] == ["T1", "T4"]


def test_a_cap_takes_back_what_fits_once_the_task_that_broke_it_is_dropped() -> None:
    tasks = [task("T1", "campaigns", 1, "18000"), task("T4", "campaigns", 3, "120"),
             task("T5", "campaigns", 3, "400"), task("T8", "campaigns", 2, "100"), task("T9", "campaigns", 4, "3400")]
    kept, dropped = apply_caps(tasks, {"campaigns": Decimal("3600")})
    # T1 alone breaks the cap; of the rest, the most important that fit come back (T9 would not).
    assert [t.id for t in kept] == ["T4", "T5", "T8"]
    assert [d.task_id for d in dropped] == ["T9", "T1"] and {d.reason for d in dropped} == {"agent_cap"}
    assert sum(t.estimated_cost for t in kept) <= Decimal("3600")


def test_catalogue_lists_every_role_and_caps_exceed_the_budget() -> None:
    catalogue = default_catalogue()
    assert set(catalogue.agents) == {"cfo", *SPECIALISTS, "reviewer", "reporter"}
    assert sum(catalogue.default_caps().values()) > 1
    for spec in catalogue.agents.values():
        assert spec.description.endswith(".") and spec.title
