"""The schemas models are asked to answer in (agents/outputs.py) say only what a grammar can enforce.

A server that turns the schema into a decoding grammar (llama.cpp) holds the answer to types and
enums but not to bounds, and lets any string through where a Decimal's default schema allows one:
SmolLM2 answered priority 7 and a cost that was no number, and the run failed after its repair.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from agents.outputs import DeliverableProposal, LineItemProposal, PlanProposal, TaskProposal


def test_priorities_are_an_enum_and_amounts_plain_numbers() -> None:
    task = PlanProposal.model_json_schema()["$defs"]["TaskProposal"]["properties"]
    assert task["priority"]["enum"] == [1, 2, 3, 4, 5]
    assert task["estimated_cost"]["type"] == "number" and "anyOf" not in task["estimated_cost"]
    item = DeliverableProposal.model_json_schema()["$defs"]["LineItemProposal"]["properties"]
    assert item["amount"]["type"] == "number"
    assert [option["type"] for option in item["quantity"]["anyOf"]] == ["number", "null"]


def test_validation_still_holds_the_bounds_and_reads_numeric_strings() -> None:
    task = TaskProposal(id="T1", title="Site", owner="webdev", priority=2, estimated_cost="1200.50")
    assert task.estimated_cost == Decimal("1200.50")
    with pytest.raises(ValidationError):
        TaskProposal(id="T1", title="Site", owner="webdev", priority=7, estimated_cost=1)
    with pytest.raises(ValidationError):
        LineItemProposal(description="Fee", amount=-1)
    with pytest.raises(ValidationError):
        LineItemProposal(description="Fee", amount=1, quantity=0)
