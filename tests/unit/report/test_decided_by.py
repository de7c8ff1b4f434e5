"""Who decided, in the report: the deadline only when its fallback did, whatever a person's note says."""

from __future__ import annotations

from decimal import Decimal

from agents.report_builder import _decision
from agents.report_model import DEADLINE_NOTE
from agents.state import Allocation, Approval


def allocation(approval: Approval) -> Allocation:
    return Allocation(budget=Decimal("1000"), ceiling=Decimal("1000"), caps={}, by_agent={},
                      plan_total=Decimal("1200"), approval=approval)  # fmt: skip


def test_the_fallback_is_reported_as_the_deadline():
    decided = _decision(allocation(Approval(decision="reject", note=f"{DEADLINE_NOTE}: trimmed.", by="deadline")),
                        "over_budget")  # fmt: skip
    assert decided is not None and decided.by == "deadline"


def test_a_person_whose_note_reads_like_the_deadline_is_still_the_executive():
    decided = _decision(allocation(Approval(decision="reject", note=f"{DEADLINE_NOTE}, as agreed.")), "over_budget")
    assert decided is not None and decided.by == "executive"
