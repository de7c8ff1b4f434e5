"""Structured outputs the agents ask the LLM for (one schema per prompt template).

They are deliberately looser than the domain types in `agents.state`: code validates, costs and
normalises what a model proposes before it becomes part of the plan or a commitment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from agents.state import Category, Severity

# What the schema shows a model is what a grammar can hold it to. A server that constrains decoding
# with a grammar built from the schema (llama.cpp) enforces types and enums, not bounds, and lets
# any string through where a Decimal's schema also allows one: SmolLM2 answered priority 7 and a
# cost in words, failing the run after its repair. Validation is unchanged.
Priority = Annotated[int, Field(ge=1, le=5), WithJsonSchema({"type": "integer", "enum": [1, 2, 3, 4, 5]})]
Usd = Annotated[Decimal, Field(ge=0), WithJsonSchema({"type": "number", "minimum": 0})]
Quantity = Annotated[Decimal, Field(gt=0), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]


class _Output(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TaskProposal(_Output):
    id: str = Field(description="Short unique id such as T1")
    title: str
    owner: str = Field(description="One of the specialists offered in the data")
    priority: Priority = Field(description="1 = must do, 5 = nice to have")
    estimated_cost: Usd = Field(description="USD")
    depends_on: list[str] = Field(default_factory=list)
    rationale: str = ""
    kind: str = Field("", description="Task kind from the data's task_kinds when one fits")
    objective_indexes: list[int] = Field(
        default_factory=list, description="1-based indexes of the objectives this task serves"
    )


class UncoveredProposal(_Output):
    index: int = Field(description="1-based index of an objective no task serves")
    reason: str = Field(description="Why, and what a person can do about it")


class PlanProposal(_Output):
    summary: str
    tasks: list[TaskProposal] = Field(default_factory=list, max_length=40)
    not_covered: list[UncoveredProposal] = Field(default_factory=list, max_length=10)


class LineItemProposal(_Output):
    description: str
    amount: Usd = Field(description="USD; quantity x unit_usd when both are given")
    category: Category = "other"
    task_id: str = Field("", description="The task this item costs")
    quantity: Quantity | None = None
    unit: str = ""
    unit_usd: Usd | None = None
    fact_ids: list[str] = Field(default_factory=list, description="Ids of reference facts behind a fee")


class DeliverableProposal(_Output):
    title: str
    summary_markdown: str
    items: list[str] = Field(default_factory=list, max_length=40)
    line_items: list[LineItemProposal] = Field(default_factory=list, max_length=40)


class FindingProposal(_Output):
    severity: Severity
    agent: str | None = None
    message: str


class ReviewProposal(_Output):
    summary: str
    findings: list[FindingProposal] = Field(default_factory=list, max_length=40)


class ReportNarrative(_Output):
    executive_summary: str
    next_steps: list[str] = Field(default_factory=list, max_length=12)
    risk_commentary: str = ""


OUTPUT_SCHEMAS: dict[str, type[BaseModel]] = {
    "planner": PlanProposal,
    "branding": DeliverableProposal,
    "legal": DeliverableProposal,
    "webdev": DeliverableProposal,
    "martech": DeliverableProposal,
    "content": DeliverableProposal,
    "campaigns": DeliverableProposal,
    "reviewer": ReviewProposal,
    "reporter": ReportNarrative,
}
